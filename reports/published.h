#pragma once
// The published tables of arXiv 2504.12285 (reports/published/bitnet_2b4t_tables.json, compiled
// into the library): for each row its label, what it is measured by, and the printed figures.
#include <optional>
#include <string>
#include <vector>

namespace bitnet::reports {

// kEnergyMeasured is not a row of the paper: the renderers add it under the estimate (Table 1), so
// measured energy is a row of its own, never mixed with the estimate.
enum class RowKind { kMemory, kLatency, kEnergy, kInfo, kTask, kAverage, kEnergyMeasured };

struct PublishedRow {
  std::string label;
  RowKind kind = RowKind::kInfo;
  std::string task, metric;         // kTask: lm-eval task name and "metric,filter"
  double scale = 100;               // kTask: measured fraction x scale = the printed unit
  std::string unit;                 // efficiency rows: "GB", "ms", "J", "T"
  std::string note;
  std::vector<double> values;       // one per column
  std::vector<std::string> printed; // as printed in the paper
};

struct PublishedTable {
  std::string id, title, note;
  std::vector<std::string> columns;
  std::vector<PublishedRow> rows;
  int ColumnIndex(const std::string& column) const;  // -1 if absent
};

struct PublishedTables {
  std::string source;
  std::vector<PublishedTable> tables;  // Table 1, 2, 3 in order
};

// Parsed once; throws std::logic_error if the compiled-in data is inconsistent (a build bug).
const PublishedTables& Published();

// Every column name of every table (for validating models[].paper_column).
std::vector<std::string> PublishedColumns();

}  // namespace bitnet::reports
