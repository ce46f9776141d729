#include "evals/metrics/registry.h"

#include <cmath>
#include <stdexcept>

#include "evals/metrics/stats.h"

namespace bitnet::evals {

namespace {

std::vector<double> Values(const std::vector<Item>& items) {
  std::vector<double> v;
  v.reserve(items.size());
  for (const Item& it : items) v.push_back(it.value);
  return v;
}

double WeightedMean(const std::vector<Item>& items) {
  double a = 0, b = 0;
  for (const Item& it : items) {
    a += it.value;
    b += it.weight;
  }
  return a / b;
}

double AggMean(const std::vector<Item>& items) { return Mean(Values(items)); }
double AggMedian(const std::vector<Item>& items) { return items.at(items.size() / 2).value; }
double AggPerplexity(const std::vector<Item>& items) { return std::exp(-AggMean(items)); }
double AggNanMean(const std::vector<Item>& items) {
  double s = 0;
  size_t n = 0;
  for (const Item& it : items) {
    if (!std::isnan(it.value)) {
      s += it.value;
      ++n;
    }
  }
  return n == 0 ? std::nan("") : s / static_cast<double>(n);
}
double AggWeightedPerplexity(const std::vector<Item>& items) { return std::exp(-WeightedMean(items)); }
double AggBitsPerByte(const std::vector<Item>& items) { return -WeightedMean(items) / std::log(2.0); }
double AggInstLevel(const std::vector<Item>& items) { return WeightedMean(items); }

const std::vector<AggregationInfo>& Aggregations() {
  static const std::vector<AggregationInfo> kAggs = {
      {"mean", StderrKind::kClosedFormMean, AggMean},
      {"median", StderrKind::kBootstrap, AggMedian},
      {"perplexity", StderrKind::kBootstrap, AggPerplexity},
      {"nanmean", StderrKind::kBootstrap, AggNanMean},
      {"weighted_perplexity", StderrKind::kNone, AggWeightedPerplexity},
      {"bits_per_byte", StderrKind::kNone, AggBitsPerByte},
      {"ifeval_inst_level", StderrKind::kNone, AggInstLevel},
  };
  return kAggs;
}

const std::vector<MetricInfo>& Metrics() {
  static const std::vector<MetricInfo> kMetrics = {
      {"acc", true, "mean", "multiple_choice"},
      {"acc_norm", true, "mean", "multiple_choice"},
      {"acc_bytes", true, "mean", "multiple_choice"},
      {"acc_mutual_info", true, "mean", "multiple_choice"},
      {"exact_match", true, "mean", "generate_until"},
      {"pass@1", true, "mean", "generate_until"},
      {"perplexity", false, "perplexity", "loglikelihood"},
      {"word_perplexity", false, "weighted_perplexity", "loglikelihood_rolling"},
      {"byte_perplexity", false, "weighted_perplexity", "loglikelihood_rolling"},
      {"bits_per_byte", false, "bits_per_byte", "loglikelihood_rolling"},
      {"prompt_level_strict_acc", true, "mean", "generate_until"},
      {"inst_level_strict_acc", true, "ifeval_inst_level", "generate_until"},
      {"prompt_level_loose_acc", true, "mean", "generate_until"},
      {"inst_level_loose_acc", true, "ifeval_inst_level", "generate_until"},
  };
  return kMetrics;
}

}  // namespace

const MetricInfo* FindMetric(const std::string& name) {
  for (const MetricInfo& m : Metrics())
    if (m.name == name) return &m;
  return nullptr;
}

const AggregationInfo* FindAggregation(const std::string& name) {
  for (const AggregationInfo& a : Aggregations())
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<std::string> MetricNames() {
  std::vector<std::string> out;
  for (const MetricInfo& m : Metrics()) out.push_back(m.name);
  return out;
}

std::vector<std::string> AggregationNames() {
  std::vector<std::string> out;
  for (const AggregationInfo& a : Aggregations()) out.push_back(a.name);
  return out;
}

AggregatedMetric Aggregate(const std::string& aggregation, const std::vector<Item>& items,
                           int bootstrap_iters) {
  const AggregationInfo* agg = FindAggregation(aggregation);
  if (!agg) throw std::invalid_argument("unknown aggregation '" + aggregation + "'");
  if (items.empty()) throw std::invalid_argument("aggregation '" + aggregation + "' of no items");
  AggregatedMetric out;
  out.value = agg->fn(items);
  if (bootstrap_iters <= 0 || items.size() < 2) return out;
  switch (agg->stderr_kind) {
    case StderrKind::kClosedFormMean:
      out.stderr_value = MeanStderr(Values(items));
      break;
    case StderrKind::kBootstrap: {
      auto fn = agg->fn;
      Statistic f = [fn](const std::vector<double>& xs) {
        std::vector<Item> its;
        its.reserve(xs.size());
        for (double x : xs) its.push_back({x, 1});
        return fn(its);
      };
      out.stderr_value = BootstrapStderr(f, Values(items), bootstrap_iters);
      break;
    }
    case StderrKind::kNone:
      break;
  }
  return out;
}

AggregatedMetric AggregateMetric(const std::string& metric, const std::vector<Item>& items,
                                 int bootstrap_iters) {
  const MetricInfo* m = FindMetric(metric);
  if (!m) throw std::invalid_argument("unknown metric '" + metric + "'");
  return Aggregate(m->aggregation, items, bootstrap_iters);
}

std::vector<Item> ToItems(const std::vector<double>& values) {
  std::vector<Item> out;
  out.reserve(values.size());
  for (double v : values) out.push_back({v, 1});
  return out;
}

std::string ResultKey(const std::string& metric, const std::string& filter) {
  return metric + "," + filter;
}
std::string StderrKey(const std::string& metric, const std::string& filter) {
  return metric + "_stderr," + filter;
}

void PutResult(nlohmann::json& results, const std::string& metric, const std::string& filter,
               const AggregatedMetric& m) {
  results[ResultKey(metric, filter)] = m.value;
  if (m.stderr_value)
    results[StderrKey(metric, filter)] = *m.stderr_value;
  else
    results[StderrKey(metric, filter)] = "N/A";
}

}  // namespace bitnet::evals
