#pragma once
// From per-sample records (samples_<task>.jsonl lines) to a task's metrics: one code path for a
// normal run and for merge-shards, so a merged run is identical to an unsharded one by
// construction.
//
// A record's "metrics" object holds, per "metric,filter" key, the sample's value in lm-eval's
// per-sample form:
//   number                 one item {value, 1} (acc, exact_match, pass@1, prompt-level IFEval)
//   [true, false, ...]     one item {#true, size} (IFEval's inst-level: one bool per instruction)
//   [value, weight]        one item {value, weight} (word/byte perplexity, bits_per_byte)
// Columns come in the task's order (ColumnOrder), the stderr from the metrics registry.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/core/task_config.h"
#include "evals/metrics/registry.h"

namespace bitnet::evals {

struct MetricColumn {
  std::string metric, filter;
  bool higher_is_better = true;
  std::string aggregation;
  AggregatedMetric value;
  std::vector<Item> items;
};

// "metric,filter" keys a task's samples may carry, in the order of the printed table.
std::vector<std::string> ColumnOrder(const TaskConfig& task);

// One per-sample metric value (see above) -> its item; throws InputError(where, ...) on another shape.
Item SampleItem(const nlohmann::json& value, const std::string& where);

// Aggregates `samples` (records with "metrics"). `where` names the source in errors (a file).
std::vector<MetricColumn> AggregateSamples(const TaskConfig& task, const std::vector<nlohmann::json>& samples,
                                           int bootstrap_iters, const std::string& where);

}  // namespace bitnet::evals
