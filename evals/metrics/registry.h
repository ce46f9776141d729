#pragma once
// Metric and aggregation registry (lm_eval/api/metrics.py @register_metric/@register_aggregation,
// stderr_for_metric; result keys as in lm_eval/evaluator.py).
//
// Per-sample scores are Items: `value` is the score (0/1 for acc, a loglikelihood for perplexity);
// `weight` is the denominator for weighted aggregations (words or bytes for word_perplexity /
// byte_perplexity / bits_per_byte; the number of instructions for IFEval inst-level, where value
// is the number followed).
//
// Aggregations and their stderr (exactly lm-eval's choice):
//   mean                 closed form sample_stddev/sqrt(n)
//   median               arr[len//2] of the UNSORTED list (as lm-eval); bootstrap stderr
//   perplexity           exp(-mean(ll)); bootstrap stderr
//   nanmean              mean ignoring NaN; bootstrap stderr
//   weighted_perplexity  exp(-sum(ll)/sum(w)); no stderr ("N/A")
//   bits_per_byte        -sum(ll)/sum(bytes)/ln 2; no stderr ("N/A")
//   ifeval_inst_level    sum(followed)/sum(instructions) (lm-eval agg_inst_level_acc, a custom
//                        function aggregation); no stderr ("N/A")
// The stderr is "N/A" also when bootstrap_iters <= 0 or there is a single item (evaluator.py).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

struct Item {
  double value = 0;
  double weight = 1;
};

enum class StderrKind { kClosedFormMean, kBootstrap, kNone };

struct AggregationInfo {
  std::string name;
  StderrKind stderr_kind;
  double (*fn)(const std::vector<Item>&);
};

struct MetricInfo {
  std::string name;
  bool higher_is_better;
  std::string aggregation;
  std::string output_type;  // "multiple_choice", "loglikelihood", "loglikelihood_rolling", "generate_until"
};

const MetricInfo* FindMetric(const std::string& name);
const AggregationInfo* FindAggregation(const std::string& name);
std::vector<std::string> MetricNames();
std::vector<std::string> AggregationNames();

inline constexpr int kDefaultBootstrapIters = 100000;

struct AggregatedMetric {
  double value = 0;
  std::optional<double> stderr_value;  // nullopt is reported as "N/A"
};

// Aggregate with the named aggregation and its lm-eval stderr.
AggregatedMetric Aggregate(const std::string& aggregation, const std::vector<Item>& items,
                           int bootstrap_iters = kDefaultBootstrapIters);
// Aggregate a registered metric (its aggregation is looked up).
AggregatedMetric AggregateMetric(const std::string& metric, const std::vector<Item>& items,
                                 int bootstrap_iters = kDefaultBootstrapIters);

std::vector<Item> ToItems(const std::vector<double>& values);

// "acc,none" and "acc_stderr,none".
std::string ResultKey(const std::string& metric, const std::string& filter);
std::string StderrKey(const std::string& metric, const std::string& filter);
// results[ResultKey] = value; results[StderrKey] = stderr or "N/A".
void PutResult(nlohmann::json& results, const std::string& metric, const std::string& filter,
               const AggregatedMetric& m);

}  // namespace bitnet::evals
