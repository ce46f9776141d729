#include "evals/runner/aggregate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "common/error.h"
#include "evals/runner/apply_filters.h"

namespace bitnet::evals {

using nlohmann::json;

namespace {

const MetricSpec* SpecFor(const TaskConfig& task, const std::string& metric) {
  for (const auto& m : task.metrics)
    if (m.metric == metric) return &m;
  return nullptr;
}

}  // namespace

std::vector<std::string> ColumnOrder(const TaskConfig& task) {
  std::vector<std::string> out;
  const std::string& pr = task.process_results;
  if (pr == "ifeval") {
    for (const char* m : {"prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc",
                          "inst_level_loose_acc"})
      if (SpecFor(task, m)) out.push_back(ResultKey(m, "none"));
  } else if (pr == "evalplus") {
    out = {ResultKey("pass@1", "base"), ResultKey("pass@1", "plus")};
  } else if (pr == "truthfulqa_mc2") {
    out = {ResultKey("acc", "none")};
  } else if (pr == "mt_bench_judge") {
    // judged outside: no metric columns
  } else if (task.output_type == OutputType::kGenerateUntil) {
    for (const std::string& f : FilterListNames(task.resolved.value("filter_list", json())))
      for (const auto& m : task.metrics) out.push_back(ResultKey(m.metric, f));
  } else {
    for (const auto& m : task.metrics) out.push_back(ResultKey(m.metric, "none"));
  }
  return out;
}

Item SampleItem(const json& v, const std::string& where) {
  if (v.is_number()) return {v.get<double>(), 1};
  if (v.is_boolean()) return {v.get<bool>() ? 1.0 : 0.0, 1};
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_boolean(); })) {
    double n = 0;
    for (const auto& x : v) n += x.get<bool>() ? 1 : 0;
    return {n, static_cast<double>(v.size())};
  }
  if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number())
    return {v[0].get<double>(), v[1].get<double>()};
  throw InputError(where, "metrics",
                   "expected a number, a list of booleans or [value, weight], got " + v.dump().substr(0, 80));
}

std::vector<MetricColumn> AggregateSamples(const TaskConfig& task, const std::vector<json>& samples,
                                           int bootstrap_iters, const std::string& where) {
  const std::vector<std::string> order = ColumnOrder(task);
  std::map<std::string, std::vector<Item>> items;
  for (size_t i = 0; i < samples.size(); ++i) {
    const json& rec = samples[i];
    const std::string at = fmt::format("{} (sample {} of {})", where, i, task.task);
    if (!rec.contains("metrics") || !rec["metrics"].is_object()) throw InputError(at, "metrics", "missing or not an object");
    for (const auto& [key, v] : rec["metrics"].items()) {
      if (std::find(order.begin(), order.end(), key) == order.end())
        throw InputError(at, "metrics." + key, "not a metric of task " + task.task);
      items[key].push_back(SampleItem(v, at + " metrics." + key));
    }
  }
  std::vector<MetricColumn> out;
  for (const std::string& key : order) {
    auto it = items.find(key);
    if (it == items.end()) continue;
    if (it->second.size() != samples.size())
      throw InputError(where, key, fmt::format("{} of {} samples carry this metric", it->second.size(), samples.size()));
    MetricColumn c;
    const size_t comma = key.find(',');
    c.metric = key.substr(0, comma);
    c.filter = key.substr(comma + 1);
    const MetricSpec* spec = SpecFor(task, c.metric);
    const MetricInfo* info = FindMetric(c.metric);
    c.aggregation = info ? info->aggregation : "mean";
    c.higher_is_better = info ? info->higher_is_better : true;
    if (spec && spec->args.is_object()) {
      if (spec->args.contains("aggregation") && spec->args["aggregation"].is_string())
        c.aggregation = spec->args["aggregation"].get<std::string>();
      if (spec->args.contains("higher_is_better") && spec->args["higher_is_better"].is_boolean())
        c.higher_is_better = spec->args["higher_is_better"].get<bool>();
    }
    if (!FindAggregation(c.aggregation))
      throw InputError(task.file, "metric_list " + c.metric, "unknown aggregation '" + c.aggregation + "'");
    c.items = std::move(it->second);
    c.value = Aggregate(c.aggregation, c.items, bootstrap_iters);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace bitnet::evals
