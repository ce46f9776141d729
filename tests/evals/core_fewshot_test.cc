// Few-shot selection against lm-eval's sampler run in CPython 3.11.7 once (values hard-coded):
//   r = random.Random(1234); [[x for x in r.sample(pool, n + 1) if x != doc][:n] for doc in docs]
#include <catch2/catch.hpp>

#include "evals/core/fewshot.h"

using namespace bitnet::evals;
using nlohmann::json;

namespace {

std::vector<json> Docs(int n) {
  std::vector<json> d;
  for (int i = 0; i < n; ++i) d.push_back(json{{"id", i}});
  return d;
}

std::vector<std::vector<int>> Ids(const std::vector<std::vector<size_t>>& picks, const std::vector<json>& pool) {
  std::vector<std::vector<int>> out;
  for (const auto& p : picks) {
    std::vector<int> ids;
    for (size_t i : p) ids.push_back(pool[i]["id"].get<int>());
    out.push_back(ids);
  }
  return out;
}

}  // namespace

TEST_CASE("Fewshot: pool is the eval split: draw n+1, drop the eval doc, one RNG across docs", "[evals][fewshot]") {
  TaskConfig task;  // fewshot_split == test_split (both unset), as truthfulqa/commonsense_qa/triviaqa
  REQUIRE(task.fewshot_draws_extra());
  const auto pool = Docs(10);
  FewshotSampler s(task);
  std::vector<std::vector<size_t>> picks;
  for (const json& doc : pool) picks.push_back(s.Select(doc, pool, 3));
  const std::vector<std::vector<int>> want = {{7, 1, 9}, {9, 0, 8}, {5, 3, 0}, {0, 5, 7}, {7, 2, 1},
                                              {1, 0, 7}, {1, 8, 7}, {9, 1, 0}, {1, 4, 3}, {5, 4, 3}};
  CHECK(Ids(picks, pool) == want);
}

TEST_CASE("Fewshot: 10-shot draws 11 (pool branch of sample())", "[evals][fewshot]") {
  TaskConfig task;
  const auto pool = Docs(30);
  FewshotSampler s(task);
  std::vector<std::vector<size_t>> picks;
  for (int d = 0; d < 3; ++d) picks.push_back(s.Select(pool[d], pool, 10));
  const std::vector<std::vector<int>> want = {{24, 14, 3, 2, 18, 1, 21, 25, 27, 11},
                                              {7, 0, 28, 25, 27, 11, 20, 19, 15, 22},
                                              {4, 5, 22, 3, 0, 16, 15, 7, 28, 17}};
  CHECK(Ids(picks, pool) == want);
}

TEST_CASE("Fewshot: a separate few-shot split draws exactly n (gsm8k)", "[evals][fewshot]") {
  TaskConfig task;
  task.fewshot_split = "train";
  task.test_split = "test";
  REQUIRE_FALSE(task.fewshot_draws_extra());
  const auto pool = Docs(100);
  FewshotSampler s(task);
  std::vector<std::vector<size_t>> picks;
  for (int d = 0; d < 4; ++d) picks.push_back(s.Select(json{{"id", -1}}, pool, 5));
  // r = random.Random(1234); [r.sample(range(100), 5) for _ in range(4)]
  const std::vector<std::vector<int>> want = {
      {99, 56, 14, 0, 11}, {74, 4, 85, 88, 10}, {12, 98, 45, 30, 2}, {3, 2, 44, 82, 79}};
  CHECK(Ids(picks, pool) == want);
}

TEST_CASE("Fewshot: first_n, zero-shot and a pool too small", "[evals][fewshot]") {
  TaskConfig task;
  task.fewshot_split = "dev";
  task.test_split = "test";
  task.fewshot_sampler = "first_n";
  const auto pool = Docs(5);
  FewshotSampler s(task);
  CHECK(s.Select(json{{"id", 99}}, pool, 5) == std::vector<size_t>{0, 1, 2, 3, 4});
  CHECK(s.Select(json{{"id", 99}}, pool, 0).empty());
  CHECK_THROWS_WITH(s.Select(json{{"id", 99}}, pool, 6), Catch::Contains("the pool has 5"));
}
