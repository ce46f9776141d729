#pragma once
// lm-evaluation-harness's few-shot selection (lm_eval/api/samplers.py; EVALS.md §1.5):
//   - one random.Random(seed) per task (seed 1234 by default, `fewshot_random_seed`), consumed
//     across the eval documents in evaluation order, so a document's examples depend on every
//     earlier document;
//   - "default" sampler: rnd.sample(pool, k); "first_n": pool[:k];
//   - k = n + 1 when fewshot_split == test_split (both unset included), then every drawn document
//     equal to the eval document is dropped and the list is cut to n; otherwise k = n.
// Zero-shot documents draw nothing. Equality is JSON equality of the processed documents (lm-eval
// compares the dicts).
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/core/cpython_random.h"
#include "evals/core/task_config.h"

namespace bitnet::evals {

inline constexpr int64_t kFewshotSeed = 1234;

class FewshotSampler {
 public:
  FewshotSampler(const TaskConfig& task, int64_t seed = kFewshotSeed);

  // Indices into `pool` of the examples for `doc` (in prompt order). Call once per eval document,
  // in evaluation order.
  std::vector<size_t> Select(const nlohmann::json& doc, const std::vector<nlohmann::json>& pool, int n);

 private:
  const TaskConfig& task_;
  CPythonRandom rnd_;
};

}  // namespace bitnet::evals
