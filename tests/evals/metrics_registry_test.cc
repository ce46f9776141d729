// Registry, aggregations, stderr (closed form and lm-eval-compatible bootstrap).
#include <catch2/catch.hpp>

#include <cmath>

#include "evals/metrics/registry.h"
#include "evals/metrics/stats.h"

using namespace bitnet::evals;

TEST_CASE("acc over [1,0,1,1]: mean 0.75, stderr = sample std / sqrt(n)", "[metrics]") {
  const auto m = AggregateMetric("acc", ToItems({1, 0, 1, 1}));
  CHECK(m.value == Approx(0.75));
  REQUIRE(m.stderr_value);
  // sample std = sqrt(0.75/3) = 0.5; / sqrt(4) = 0.25 (= sqrt(p(1-p)/(n-1)))
  CHECK(*m.stderr_value == Approx(0.25));
  CHECK(*m.stderr_value == Approx(std::sqrt(0.75 * 0.25 / 3)));
}

TEST_CASE("result keys are metric,filter and metric_stderr,filter", "[metrics]") {
  nlohmann::json r;
  PutResult(r, "exact_match", "strict-match", AggregateMetric("exact_match", ToItems({1, 0})));
  CHECK(r["exact_match,strict-match"].get<double>() == Approx(0.5));
  CHECK(r["exact_match_stderr,strict-match"].get<double>() == Approx(0.5));
  // One item: lm-eval reports N/A.
  PutResult(r, "acc", "none", AggregateMetric("acc", ToItems({1})));
  CHECK(r["acc_stderr,none"] == "N/A");
  // bootstrap_iters = 0 disables stderr.
  PutResult(r, "acc_norm", "none", AggregateMetric("acc_norm", ToItems({1, 0}), 0));
  CHECK(r["acc_norm_stderr,none"] == "N/A");
}

TEST_CASE("registry: higher_is_better and aggregation per metric", "[metrics]") {
  for (const char* name : {"acc", "acc_norm", "acc_bytes", "acc_mutual_info", "exact_match", "pass@1",
                           "prompt_level_strict_acc", "inst_level_loose_acc"}) {
    INFO(name);
    REQUIRE(FindMetric(name));
    CHECK(FindMetric(name)->higher_is_better);
  }
  for (const char* name : {"perplexity", "word_perplexity", "byte_perplexity", "bits_per_byte"}) {
    INFO(name);
    REQUIRE(FindMetric(name));
    CHECK_FALSE(FindMetric(name)->higher_is_better);
  }
  CHECK(FindMetric("acc")->aggregation == "mean");
  CHECK(FindMetric("word_perplexity")->aggregation == "weighted_perplexity");
  CHECK(FindMetric("inst_level_strict_acc")->aggregation == "ifeval_inst_level");
  CHECK(FindAggregation("perplexity")->stderr_kind == StderrKind::kBootstrap);
  CHECK(FindAggregation("median")->stderr_kind == StderrKind::kBootstrap);
  CHECK(FindAggregation("mean")->stderr_kind == StderrKind::kClosedFormMean);
  CHECK(FindAggregation("bits_per_byte")->stderr_kind == StderrKind::kNone);
  CHECK(FindMetric("nope") == nullptr);
  CHECK_THROWS(AggregateMetric("nope", ToItems({1})));
}

TEST_CASE("weighted aggregations", "[metrics]") {
  // word_perplexity: exp(-sum(ll)/sum(words)); bits_per_byte: -sum(ll)/sum(bytes)/ln2
  const std::vector<Item> items = {{-10.0, 5}, {-6.0, 3}};
  const auto wp = AggregateMetric("word_perplexity", items);
  CHECK(wp.value == Approx(std::exp(2.0)));
  CHECK_FALSE(wp.stderr_value);
  CHECK(AggregateMetric("bits_per_byte", items).value == Approx(2.0 / std::log(2.0)));
  // IFEval inst-level: followed / total, pooled.
  CHECK(AggregateMetric("inst_level_strict_acc", {{1, 2}, {3, 3}}).value == Approx(0.8));
}

TEST_CASE("bootstrap draws follow CPython's random.Random and random.choices", "[metrics][bootstrap]") {
  CPythonRandom r0(0);
  CHECK(r0.Random() == 0.8444218515250481);  // python3: random.Random(0).random()
  CPythonRandom r5(5);
  CHECK(r5.Random() == 0.6229016948897019);
  CPythonRandom c(0);  // [int(r.random()*4) for _ in range(8)]
  const std::vector<size_t> want = {3, 3, 1, 1, 2, 1, 3, 1};
  for (size_t w : want) CHECK(ChoiceIndex(c, 4) == w);
}

TEST_CASE("bootstrap stderr matches lm-eval's chunked random.Random(i) resampling", "[metrics][bootstrap]") {
  // Reference values computed with CPython 3.11 running lm-eval's bootstrap (chunks of 1000,
  // chunk i seeded with random.Random(i), rnd.choices(xs, k=len(xs)), sample stddev).
  const std::vector<double> xs = {-1.0, -2.0, -0.5, -3.0, -1.5};
  const auto ppl = Aggregate("perplexity", ToItems(xs), 2000);
  CHECK(ppl.value == Approx(4.953032424395115).epsilon(1e-12));
  REQUIRE(ppl.stderr_value);
  CHECK(*ppl.stderr_value == Approx(2.2151013373750907).epsilon(1e-9));
  const auto med = Aggregate("median", ToItems(xs), 1000);
  CHECK(med.value == -0.5);  // arr[len//2] of the unsorted list
  CHECK(*med.stderr_value == Approx(0.8784911762486537).epsilon(1e-9));
  // Reproducible: same call, same number.
  CHECK(*Aggregate("perplexity", ToItems(xs), 2000).stderr_value == *ppl.stderr_value);
}

TEST_CASE("bootstrap with the default 100000 iterations", "[metrics][bootstrap][.slow]") {
  const std::vector<double> xs = {-1.0, -2.0, -0.5, -3.0, -1.5};
  CHECK(*Aggregate("perplexity", ToItems(xs)).stderr_value == Approx(2.1850608042352895).epsilon(1e-9));
}

TEST_CASE("pooled sample stderr of groups", "[metrics]") {
  // Two subtasks with the same stderr and size: pooled = s * sqrt((n-1)n*2 / (2n-2) / 2n)
  const double s = PooledSampleStderr({0.1, 0.1}, {10, 10});
  CHECK(s == Approx(std::sqrt((9 * 0.01 * 10 * 2) / 18.0 / 20.0)));
}
