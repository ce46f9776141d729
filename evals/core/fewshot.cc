#include "evals/core/fewshot.h"

#include "common/error.h"

namespace bitnet::evals {

FewshotSampler::FewshotSampler(const TaskConfig& task, int64_t seed) : task_(task), rnd_(seed) {}

std::vector<size_t> FewshotSampler::Select(const nlohmann::json& doc, const std::vector<nlohmann::json>& pool, int n) {
  if (n <= 0) return {};
  const size_t k = static_cast<size_t>(n) + (task_.fewshot_draws_extra() ? 1 : 0);
  if (k > pool.size()) {
    throw InputError(task_.file, "/num_fewshot",
                     "needs " + std::to_string(k) + " few-shot documents, the pool has " + std::to_string(pool.size()));
  }
  std::vector<size_t> drawn;
  if (task_.fewshot_sampler == "first_n") {
    for (size_t i = 0; i < k; ++i) drawn.push_back(i);
  } else {
    drawn = rnd_.Sample(pool.size(), k);
  }
  std::vector<size_t> out;
  for (size_t i : drawn) {
    if (out.size() == static_cast<size_t>(n)) break;
    if (pool[i] != doc) out.push_back(i);
  }
  return out;
}

}  // namespace bitnet::evals
