#include "harness/bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

#include "harness/run_context.h"

namespace bitnet {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<int32_t> RandomTokens(int64_t n, int64_t n_vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> t(static_cast<size_t>(n));
  for (auto& x : t) x = static_cast<int32_t>(rng() % static_cast<uint64_t>(n_vocab));
  return t;
}

double Prefill(Session& s, const std::vector<int32_t>& tokens) {
  s.Reset();
  const auto t0 = Clock::now();
  s.Eval(tokens, static_cast<int64_t>(tokens.size()) - 1);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double Decode(Session& s, const std::vector<int32_t>& tokens) {
  s.Reset();
  const auto t0 = Clock::now();
  for (int32_t t : tokens) {
    const int32_t one[1] = {t};
    s.Eval(one, 0);
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

double BenchTest::mean() const {
  if (tokens_per_second.empty()) return 0.0;
  return std::accumulate(tokens_per_second.begin(), tokens_per_second.end(), 0.0) / tokens_per_second.size();
}

double BenchTest::stddev() const {
  if (tokens_per_second.size() < 2) return 0.0;
  const double m = mean();
  double ss = 0.0;
  for (double v : tokens_per_second) ss += (v - m) * (v - m);
  return std::sqrt(ss / (tokens_per_second.size() - 1));
}

double BenchTest::median() const {
  if (tokens_per_second.empty()) return 0.0;
  std::vector<double> v = tokens_per_second;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::vector<BenchTest> RunBench(Session& s, const BenchOptions& o) {
  const int64_t V = s.model().config().n_vocab;
  std::vector<BenchTest> out;
  if (o.warmup) {  // touch every weight page and spin up the pool once
    Prefill(s, RandomTokens(std::min<int64_t>(8, s.n_ctx()), V, o.seed));
    Decode(s, RandomTokens(2, V, o.seed + 1));
  }
  for (int64_t n : o.n_prompt) {
    if (n <= 0) continue;
    BenchTest t{fmt::format("pp{}", n), n, 0, {}};
    const auto tokens = RandomTokens(n, V, o.seed);
    for (int r = 0; r < o.repetitions; ++r) t.tokens_per_second.push_back(n / Prefill(s, tokens));
    out.push_back(t);
  }
  for (int64_t n : o.n_gen) {
    if (n <= 0) continue;
    BenchTest t{fmt::format("tg{}", n), 0, n, {}};
    const auto tokens = RandomTokens(n, V, o.seed + 7);
    for (int r = 0; r < o.repetitions; ++r) t.tokens_per_second.push_back(n / Decode(s, tokens));
    out.push_back(t);
  }
  return out;
}

namespace {

std::string ModelLabel(const Model& m) {
  const auto& c = m.config();
  const double params = static_cast<double>(m.weights().NonEmbeddingParams() + c.n_vocab * c.n_embd);
  return fmt::format("{} {:.2f}B {}", c.arch_name, params / 1e9, m.WeightTypeName());
}

}  // namespace

std::string BenchTable(const Model& m, const Session& s, const std::vector<BenchTest>& tests) {
  const auto& c = m.config();
  const double size_gib = static_cast<double>(std::filesystem::file_size(m.path())) / (1024.0 * 1024.0 * 1024.0);
  const double params = static_cast<double>(m.weights().NonEmbeddingParams() + c.n_vocab * c.n_embd) / 1e9;
  std::string out = fmt::format("| {:<32} | {:>10} | {:>8} | {:<12} | {:>7} | {:>8} | {:>18} | {:>8} |\n", "model",
                                "size", "params", "backend", "threads", "test", "t/s", "median");
  out += fmt::format("| {:-<32} | {:->10} | {:->8} | {:-<12} | {:->7} | {:->8} | {:->18} | {:->8} |\n", "", "", "", "",
                     "", "", "", "");
  for (const auto& t : tests)
    out += fmt::format("| {:<32} | {:>6.2f} GiB | {:>6.2f} B | {:<12} | {:>7} | {:>8} | {:>9.2f} ± {:>6.2f} | {:>8.2f} |\n",
                       ModelLabel(m), size_gib, params, fmt::format("CPU {}", s.kernels().name), s.n_threads(), t.name,
                       t.mean(), t.stddev(), t.median());
  return out;
}

nlohmann::json BenchJson(const Model& m, const Session& s, const std::vector<BenchTest>& tests) {
  const auto& c = m.config();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& t : tests)
    rows.push_back({{"model_filename", m.path()},
                    {"model_type", ModelLabel(m)},
                    {"model_size", std::filesystem::file_size(m.path())},
                    {"model_n_params", m.weights().NonEmbeddingParams() + c.n_vocab * c.n_embd},
                    {"model_n_params_non_embedding", m.weights().NonEmbeddingParams()},
                    {"kernel", s.kernels().name},
                    {"tokenizer_pre", m.tokenizer() ? std::string(PreTokenizerName(m.tokenizer()->pre_tokenizer())) : "none"},
                    {"n_threads", s.n_threads()},
                    {"n_prompt", t.n_prompt},
                    {"n_gen", t.n_gen},
                    {"test", t.name},
                    {"avg_ts", t.mean()},
                    {"stddev_ts", t.stddev()},
                    {"median_ts", t.median()},
                    {"samples_ts", t.tokens_per_second}});
  return rows;
}

}  // namespace bitnet
