// Merge: several reports -> one document with a column per (machine, model) and rows for latency,
// throughput, memory, energy and task metrics side by side (hardware comparison studies).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "reports/json_path.h"
#include "reports/compare_internal.h"
#include "reports/merge_internal.h"
#include "reports/paper_table.h"
#include "reports/report_text.h"
#include "reports/reports.h"

namespace bitnet::reports {
namespace {

using nlohmann::json;

struct RowBuilder {
  std::vector<std::string> order;
  std::map<std::string, json> rows;  // key -> {"key","label","group","unit","higher_is_better","values"}
  size_t n_columns = 0;

  void Set(const std::string& key, const std::string& group, const std::string& label, const std::string& unit,
           bool higher_is_better, size_t column, double value) {
    auto it = rows.find(key);
    if (it == rows.end()) {
      order.push_back(key);
      it = rows.emplace(key, json{{"key", key}, {"group", group}, {"label", label}, {"unit", unit},
                                  {"higher_is_better", higher_is_better}, {"values", json::array()}}).first;
    }
    json& values = it->second["values"];
    while (values.size() < n_columns) values.push_back(nullptr);
    values[column] = value;
  }
};

void AddEfficiency(RowBuilder& b, const json& run, size_t col) {
  const json* eff = Find(run, {"efficiency"});
  if (!eff) return;
  if (const json* lat = Find(*eff, {"latency"}); lat && lat->is_array())
    for (const auto& r : *lat) {
      const int t = static_cast<int>(Num(r, "threads").value_or(0));
      if (auto v = Num(Find(r, {"tpot_ms"}), "mean"))
        b.Set(fmt::format("latency.{}.tpot_ms", t), "latency", fmt::format("TPOT mean, {} threads", t), "ms", false, col, *v);
      if (auto v = Num(Find(r, {"ttft_ms"}), "mean"))
        b.Set(fmt::format("latency.{}.ttft_ms", t), "latency", fmt::format("TTFT mean, {} threads", t), "ms", false, col, *v);
      if (auto v = Num(r, "decode_tps"))
        b.Set(fmt::format("latency.{}.decode_tps", t), "latency", fmt::format("decode, {} threads", t), "t/s", true, col, *v);
      if (auto v = Num(r, "prefill_tps"))
        b.Set(fmt::format("latency.{}.prefill_tps", t), "latency", fmt::format("prefill, {} threads", t), "t/s", true, col, *v);
    }
  if (const json* bench = Find(*eff, {"bench"}); bench && bench->is_array())
    for (const auto& r : *bench)
      if (auto v = Num(r, "median_ts"))
        b.Set("bench." + Str(r, "test"), "throughput", "bench " + Str(r, "test") + " (median)", "t/s", true, col, *v);
  for (const auto& [key, v] : MicrobenchValues(Find(*eff, {"microbench"})))
    b.Set("microbench." + key, "microbench", key, "", true, col, v);
  if (auto v = Num(Find(*eff, {"memory", "paper_row"}), "gb"))
    b.Set("memory.paper_row", "memory", "memory, paper row (non-emb × bits)", "GB", false, col, *v);
  if (const json* l = Find(*eff, {"memory", "loaded"})) {
    double total = 0;
    for (const char* k : {"projection_bytes", "embedding_bytes", "head_bytes", "norm_bytes", "kv_cache_bytes"})
      total += Num(l, k).value_or(0);
    b.Set("memory.loaded", "memory", "memory, loaded (weights + KV cache)", "GB", false, col, total / 1e9);
  }
  if (const json* r = Find(*eff, {"memory", "resident"}); r && Bool(*r, "ok"))
    if (auto v = Num(r, "peak_bytes")) b.Set("memory.resident", "memory", "memory, peak resident", "GB", false, col, *v / 1e9);
  if (auto v = Num(Find(*eff, {"energy_estimated"}), "joules"))
    b.Set("energy.estimated", "energy", "energy, estimated (512-token sequence)", "J", false, col, *v);
  if (const json* meas = Find(*eff, {"energy_measured"}); meas && meas->is_array())
    for (const auto& m : *meas)
      if (Bool(m, "available"))
        if (auto v = Num(m, "joules_per_token"))
          b.Set("energy.measured." + Str(m, "source"), "energy", "energy, measured (" + Str(m, "source") + ")", "J/token",
                false, col, *v);
}

void AddTasks(RowBuilder& b, const json& run, size_t col) {
  const json* tasks = Find(run, {"tasks"});
  if (!tasks) return;
  for (const auto& [name, t] : tasks->items()) {
    if (Str(t, "status") != "done") continue;
    const json* res = Find(t, {"results"});
    std::string metric = ResolveMetric(res, Str(t, "primary_metric"));
    if (metric.empty()) {
      metric.clear();
      if (res)
        for (const auto& [k, v] : res->items())
          if (v.is_number() && k.find("_stderr") == std::string::npos) {
            metric = k;
            break;
          }
    }
    if (auto v = Num(res, metric)) {
      const bool fraction = *v >= 0 && *v <= 1;
      b.Set("task." + name + "." + metric, "accuracy", name + " " + metric, fraction ? "pts" : "", true, col,
            fraction ? *v * 100 : *v);
    }
  }
}

}  // namespace

json Merge(const std::vector<json>& docs, const std::vector<std::string>& sources) {
  json sources_json = json::array();
  std::vector<std::string> names;
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string name = i < sources.size() && !sources[i].empty() ? sources[i] : fmt::format("report {}", i + 1);
    ValidateReport(docs[i], name);
    names.push_back(name);
    sources_json.push_back({{"name", name}, {"document", docs[i]}});
  }
  json columns = json::array();
  RowBuilder b;
  std::map<std::string, int> label_count;
  std::vector<std::pair<size_t, const json*>> runs;  // (document, run)
  for (size_t d = 0; d < docs.size(); ++d)
    for (const auto& run : docs[d]["runs"]) runs.push_back({d, &run});
  b.n_columns = runs.size();
  for (const auto& [d, run] : runs) label_count[ColumnLabel(docs[d], *run)]++;
  for (size_t col = 0; col < runs.size(); ++col) {
    const auto& [d, run] = runs[col];
    const json& doc = docs[d];
    const json* model = ModelByName(doc, Str(*run, "model"));
    std::string label = ColumnLabel(doc, *run);
    if (label_count[label] > 1) label += " (" + names[d] + ")";
    const json* settings = Find(*run, {"settings"});
    columns.push_back({{"label", label}, {"source", names[d]}, {"source_index", d},
                       {"machine", Str(Find(doc, {"environment"}) ? doc["environment"] : json(), "cpu_model", "unknown CPU")},
                       {"model", Str(*run, "model")}, {"sha256", model ? Str(*model, "sha256") : ""},
                       {"synthetic", model && Bool(*model, "synthetic")},
                       {"kernel", settings ? Str(*settings, "kernel") : ""},
                       {"threads", ThreadsText(settings)},
                       {"status", Str(doc, "status")}});
    AddEfficiency(b, *run, col);
    AddTasks(b, *run, col);
  }
  json rows = json::array();
  for (const auto& key : b.order) {
    json row = b.rows[key];
    while (row["values"].size() < b.n_columns) row["values"].push_back(nullptr);
    rows.push_back(row);
  }
  return {{"schema", kMergedSchema}, {"schema_version", kSchemaVersion}, {"columns", columns}, {"rows", rows},
          {"sources", sources_json}};
}

std::string ColumnLabel(const json& doc, const json& run) {
  const json* env = Find(doc, {"environment"});
  std::string machine = env ? Str(*env, "cpu_model", "unknown CPU") : "unknown CPU";
  if (env)
    if (auto cores = Num(env, "cores")) machine += fmt::format(" ({:.0f} cores)", *cores);
  return machine + " · " + Str(run, "model");
}

}  // namespace bitnet::reports
