#pragma once
// Throughput probe in the manner of llama-bench: prefill (ppN: N tokens in one batch, logits of
// the last) and decode (tgN: N single-token steps, logits each), with a warm-up and repetitions.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/engine.h"

namespace bitnet {

struct BenchTest {
  std::string name;          // "pp128", "tg32"
  int64_t n_prompt = 0;
  int64_t n_gen = 0;
  std::vector<double> tokens_per_second;  // one per repetition
  double mean() const;
  double stddev() const;
  double median() const;
};

struct BenchOptions {
  std::vector<int64_t> n_prompt = {128};
  std::vector<int64_t> n_gen = {32};
  int repetitions = 5;
  bool warmup = true;
  uint64_t seed = 1234;  // for the random prompt tokens
};

std::vector<BenchTest> RunBench(Session& session, const BenchOptions& opts);

// llama-bench-like table rows and a JSON record for each test.
std::string BenchTable(const Model& model, const Session& session, const std::vector<BenchTest>& tests);
nlohmann::json BenchJson(const Model& model, const Session& session, const std::vector<BenchTest>& tests);

}  // namespace bitnet
