#include "harness/probes/latency.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include <fmt/format.h>

#include "common/error.h"

namespace bitnet::probes {
namespace {

using Clock = std::chrono::steady_clock;

int32_t Argmax(const std::vector<float>& logits, int64_t n_vocab) {
  const auto begin = logits.end() - n_vocab;  // the last row
  return static_cast<int32_t>(std::max_element(begin, logits.end()) - begin);
}

std::vector<int32_t> RandomTokens(int64_t n, int64_t n_vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> t(static_cast<size_t>(n));
  for (auto& x : t) x = static_cast<int32_t>(rng() % static_cast<uint64_t>(n_vocab));
  return t;
}

// One generation: returns TTFT, appends each decode step's seconds to `steps`.
double RunOnce(Session& s, const std::vector<int32_t>& prompt, int64_t n_gen, std::vector<double>* steps,
               std::vector<int32_t>* tokens) {
  const int64_t V = s.model().config().n_vocab;
  s.Reset();
  tokens->clear();
  auto t0 = Clock::now();
  int32_t next = Argmax(s.Eval(prompt, static_cast<int64_t>(prompt.size()) - 1), V);
  const double ttft = std::chrono::duration<double>(Clock::now() - t0).count();
  tokens->push_back(next);
  for (int64_t i = 0; i < n_gen; ++i) {
    const int32_t one[1] = {next};
    t0 = Clock::now();
    next = Argmax(s.Eval(one, 0), V);
    if (steps) steps->push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    tokens->push_back(next);
  }
  return ttft;
}

}  // namespace

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

LatencyResult MeasureLatency(Session& s, const LatencyOptions& o) {
  const int64_t V = s.model().config().n_vocab;
  const std::vector<int32_t> prompt = o.prompt.empty() ? RandomTokens(o.n_prompt, V, o.seed) : o.prompt;
  if (prompt.empty()) throw UsageError("latency: empty prompt (n_prompt must be > 0)");
  if (static_cast<int64_t>(prompt.size()) + 1 > s.n_ctx())
    throw UsageError(fmt::format("latency: a {}-token prompt leaves no room in a {}-token context", prompt.size(),
                                 s.n_ctx()));
  LatencyResult r;
  r.n_threads = s.n_threads();
  r.kernel = s.kernels().name;
  r.n_prompt = static_cast<int64_t>(prompt.size());
  // The last decode step writes position n_prompt + n_gen - 1.
  r.n_gen = std::clamp<int64_t>(o.n_gen, 0, s.n_ctx() - r.n_prompt);
  for (int w = 0; w < o.warmup; ++w) RunOnce(s, prompt, r.n_gen, nullptr, &r.tokens);
  for (int rep = 0; rep < o.repetitions; ++rep)
    r.ttft_seconds.push_back(RunOnce(s, prompt, r.n_gen, &r.token_seconds, &r.tokens));
  if (!r.ttft_seconds.empty())
    r.ttft_mean = std::accumulate(r.ttft_seconds.begin(), r.ttft_seconds.end(), 0.0) / r.ttft_seconds.size();
  if (!r.token_seconds.empty())
    r.tpot_mean = std::accumulate(r.token_seconds.begin(), r.token_seconds.end(), 0.0) / r.token_seconds.size();
  r.tpot_p50 = Percentile(r.token_seconds, 50);
  r.tpot_p90 = Percentile(r.token_seconds, 90);
  return r;
}

std::vector<LatencyResult> ThreadSweep(const std::shared_ptr<const Model>& model, const std::vector<int>& threads,
                                       const LatencyOptions& o, const SessionOptions& base) {
  std::vector<LatencyResult> out;
  for (int t : threads) {
    SessionOptions so = base;
    so.n_threads = t;
    Session s(model, so);
    out.push_back(MeasureLatency(s, o));
  }
  return out;
}

}  // namespace bitnet::probes
