#pragma once
// Latency probe: time to first token (the prompt's Eval, logits of its last row, argmax) and
// time per output token over n_gen decode steps (one Session::Eval of one token each, greedy:
// the argmax is fed back), default 128 as Table 1's TPOT (i7-13800H, 8 threads), with warm-up
// runs, repetitions, mean/p50/p90, and thread sweeps (one Session per thread count). Each Eval
// is timed here; the engine is not instrumented.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/runtime/session.h"

namespace bitnet::probes {

struct LatencyOptions {
  std::vector<int32_t> prompt;  // empty: n_prompt random tokens (seeded)
  int64_t n_prompt = 128;
  int64_t n_gen = 128;          // decode steps timed per repetition
  int warmup = 1;               // unmeasured runs first (page in the weights, start the pool)
  int repetitions = 3;
  uint64_t seed = 1234;
};

struct LatencyResult {
  int n_threads = 0;
  std::string kernel;
  int64_t n_prompt = 0;
  int64_t n_gen = 0;                     // decode steps per repetition (after clamping to n_ctx)
  std::vector<double> ttft_seconds;      // one per repetition
  std::vector<double> token_seconds;     // every decode step of every repetition, in order
  std::vector<int32_t> tokens;           // the last repetition's output (first from the prompt)

  double ttft_mean = 0.0;
  double tpot_mean = 0.0;
  double tpot_p50 = 0.0;
  double tpot_p90 = 0.0;
  double tokens_per_second() const { return tpot_mean > 0 ? 1.0 / tpot_mean : 0.0; }
};

// The p-th percentile (0..100) with linear interpolation between order statistics (numpy's
// default); 0 for an empty sample.
double Percentile(std::vector<double> values, double p);

// Throws UsageError when the prompt is empty or does not fit the context with one decode step.
LatencyResult MeasureLatency(Session& session, const LatencyOptions& opts);

// One Session per thread count (base options otherwise), measured in order.
std::vector<LatencyResult> ThreadSweep(const std::shared_ptr<const Model>& model, const std::vector<int>& threads,
                                       const LatencyOptions& opts, const SessionOptions& base = {});

}  // namespace bitnet::probes
