#include "reports/published.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace bitnet::reports {
namespace detail {
extern const char* const kPublishedTablesJson;  // generated from published/bitnet_2b4t_tables.json
}

namespace {

RowKind KindFromName(const std::string& k) {
  if (k == "memory") return RowKind::kMemory;
  if (k == "latency") return RowKind::kLatency;
  if (k == "energy") return RowKind::kEnergy;
  if (k == "info") return RowKind::kInfo;
  if (k == "task") return RowKind::kTask;
  if (k == "average") return RowKind::kAverage;
  throw std::logic_error(fmt::format("published tables: unknown row kind '{}'", k));
}

PublishedTables Parse() {
  const auto j = nlohmann::json::parse(detail::kPublishedTablesJson);
  PublishedTables out;
  out.source = j.at("source").get<std::string>();
  for (const auto& t : j.at("tables")) {
    PublishedTable table;
    table.id = t.at("id").get<std::string>();
    table.title = t.at("title").get<std::string>();
    table.note = t.value("note", "");
    table.columns = t.at("columns").get<std::vector<std::string>>();
    for (const auto& r : t.at("rows")) {
      PublishedRow row;
      row.label = r.at("label").get<std::string>();
      row.kind = KindFromName(r.at("kind").get<std::string>());
      row.task = r.value("task", "");
      row.metric = r.value("metric", "");
      row.scale = r.value("scale", 100.0);
      row.unit = r.value("unit", "");
      row.note = r.value("note", "");
      row.values = r.at("values").get<std::vector<double>>();
      row.printed = r.at("printed").get<std::vector<std::string>>();
      if (row.values.size() != table.columns.size() || row.printed.size() != table.columns.size())
        throw std::logic_error(fmt::format("published tables: {} row '{}' has {} values for {} columns", table.id,
                                           row.label, row.values.size(), table.columns.size()));
      if (row.kind == RowKind::kTask && (row.task.empty() || row.metric.empty()))
        throw std::logic_error(fmt::format("published tables: {} row '{}' names no task/metric", table.id, row.label));
      table.rows.push_back(std::move(row));
    }
    out.tables.push_back(std::move(table));
  }
  return out;
}

}  // namespace

int PublishedTable::ColumnIndex(const std::string& column) const {
  auto it = std::find(columns.begin(), columns.end(), column);
  return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

const PublishedTables& Published() {
  static const PublishedTables tables = Parse();
  return tables;
}

std::vector<std::string> PublishedColumns() {
  std::vector<std::string> out;
  for (const auto& t : Published().tables)
    for (const auto& c : t.columns)
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

}  // namespace bitnet::reports
