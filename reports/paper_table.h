#pragma once
// The paper's tables filled in from a report: for every published table, the models mapped to
// its columns (models[].paper_column) and, per row, the measured value in the paper's unit, the
// delta to the published figure, the stderr, and the marks (synthetic, estimated, skipped, ...).
// Shared by the HTML and Markdown renderers so both say the same thing.
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reports/published.h"

namespace bitnet::reports {

// A mark on a measured value: a short badge and the sentence explaining it (footnote).
struct Mark {
  std::string badge;  // "synthetic" | "estimated" | "skipped" | "failed" | "not run" | "subset" | "incomplete"
  std::string note;
};

struct Cell {
  std::optional<double> measured;  // in the paper's unit (points, GB, ms, J)
  std::optional<double> stderr_value;
  std::optional<double> delta;  // measured - published
  std::string detail;           // e.g. "2 threads, avx2" for latency, the metric used for tasks
  std::vector<Mark> marks;
};

struct MappedColumn {
  int column = -1;  // index into the table's columns
  std::string model;
  const nlohmann::json* run = nullptr;  // runs[] entry (nullptr: the model was not run)
  bool synthetic = false;
};

struct TableRowView {
  const PublishedRow* row = nullptr;
  std::vector<Cell> cells;  // one per mapped column
};

struct TableView {
  const PublishedTable* table = nullptr;
  std::vector<MappedColumn> mapped;  // ordered by column
  std::vector<TableRowView> rows;
  std::vector<std::unique_ptr<PublishedRow>> own_rows;  // rows not in the paper (measured energy)
};

// Table 1 always; Table 2 and 3 only when a model is mapped to one of their columns that Table 1
// does not have.
std::vector<TableView> BuildPaperTables(const nlohmann::json& doc);

// Number formatting in the paper's style for a row ("0.41GB", "61.2ms", "0.028J", "49.91").
std::string FormatValue(const PublishedRow& row, double v);
std::string FormatDelta(const PublishedRow& row, double d);

// The key of `results` holding `metric`: itself, else "metric,none", else the first "metric,FILTER";
// empty when none.
std::string ResolveMetric(const nlohmann::json* results, const std::string& metric);

// The value of results[metric] and its stderr ("acc_norm,none" -> "acc_norm_stderr,none").
std::string StderrKey(const std::string& metric);

}  // namespace bitnet::reports
