// Latency probe on the tiny synthetic model: TTFT, per-token times, percentiles, thread sweeps.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "engine/model/model.h"
#include "harness/probes/latency.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet::probes {
namespace {

std::shared_ptr<const Model> Tiny() { return Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S)); }

TEST_CASE("latency: percentiles interpolate like numpy") {
  CHECK(Percentile({}, 50) == 0.0);
  CHECK(Percentile({3.0}, 90) == 3.0);
  CHECK(Percentile({4, 1, 3, 2}, 50) == Approx(2.5));
  CHECK(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90) == Approx(9.1));
  CHECK(Percentile({1, 2, 3}, 0) == 1.0);
  CHECK(Percentile({1, 2, 3}, 100) == 3.0);
}

TEST_CASE("latency: TTFT and per-token times over repetitions") {
  SessionOptions so;
  so.n_threads = 1;
  Session s(Tiny(), so);
  LatencyOptions o;
  o.n_prompt = 8;
  o.n_gen = 16;
  o.warmup = 1;
  o.repetitions = 2;
  const LatencyResult r = MeasureLatency(s, o);
  CHECK(r.n_threads == 1);
  CHECK(r.n_prompt == 8);
  CHECK(r.n_gen == 16);
  CHECK_FALSE(r.kernel.empty());
  REQUIRE(r.ttft_seconds.size() == 2);
  REQUIRE(r.token_seconds.size() == 32);
  CHECK(r.tokens.size() == 17);  // one from the prompt, one per decode step
  CHECK(r.ttft_mean > 0);
  CHECK(r.tpot_mean > 0);
  CHECK(r.tpot_p50 <= r.tpot_p90);
  CHECK(r.tokens_per_second() == Approx(1.0 / r.tpot_mean));
  for (double t : r.token_seconds) CHECK(t > 0);
  CHECK(s.n_past() == 8 + 16);
}

TEST_CASE("latency: greedy output is the same for a given prompt and across thread counts") {
  LatencyOptions o;
  o.prompt = {1, 2, 3, 4, 5};
  o.n_gen = 8;
  o.warmup = 0;
  o.repetitions = 1;
  const auto sweep = ThreadSweep(Tiny(), {1, 2}, o);
  REQUIRE(sweep.size() == 2);
  CHECK(sweep[0].n_threads == 1);
  CHECK(sweep[1].n_threads == 2);
  CHECK(sweep[0].n_prompt == 5);
  CHECK(sweep[0].tokens == sweep[1].tokens);
  CHECK(sweep[1].token_seconds.size() == 8);
}

TEST_CASE("latency: decode steps are clamped to the context; an empty prompt is refused") {
  SessionOptions so;
  so.n_threads = 1;
  so.n_ctx = 32;
  Session s(Tiny(), so);
  LatencyOptions o;
  o.n_prompt = 30;
  o.n_gen = 128;
  o.warmup = 0;
  o.repetitions = 1;
  const LatencyResult r = MeasureLatency(s, o);
  CHECK(r.n_gen == 2);
  CHECK(r.token_seconds.size() == 2);
  CHECK(s.n_past() == 32);

  o.n_prompt = 0;
  CHECK_THROWS_AS(MeasureLatency(s, o), UsageError);
  o.n_prompt = 32;
  CHECK_THROWS_AS(MeasureLatency(s, o), UsageError);
}

}  // namespace
}  // namespace bitnet::probes
