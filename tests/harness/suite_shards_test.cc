// harness/suite/suite_shards: the partition of a suite's accuracy work (every document in exactly
// one shard, an MMLU subject's 5-shot prefix group never split, the same on every shard) and the
// probes a shard runs. The end-to-end run and merge are tests/cli/suite_shards_test.cc.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "evals/core/task_config.h"
#include "harness/suite/accuracy.h"
#include "harness/suite/suite_definition.h"
#include "harness/suite/suite_shards.h"
#include "tests/test_support.h"

namespace bitnet::suite {
namespace {

using nlohmann::json;

TEST_CASE("suite shards: every document of real MMLU 5-shot and ARC in exactly one shard, subjects whole",
          "[harness][suite][shards]") {
  const auto mmlu = test::SharedData("mmlu");
  if (!mmlu) return;
  const SuiteDefinition suite = ParseSuite(json::parse(R"({"suite": "t", "tasks": [
      {"task": "arc_easy", "shots": 0, "limit": 30}, {"task": "mmlu", "shots": 5, "limit": 3}]})"), "test suite");
  const std::vector<PlannedTask> tasks = PlanTasks(suite, evals::DefaultTasksDir());
  AccuracySettings settings;
  settings.data_dir = mmlu->parent_path();
  std::vector<PreparedTask> prepared;
  for (const auto& t : tasks) prepared.push_back(PrepareTask(t, settings));
  size_t runnable = 0;
  for (const auto& p : prepared) runnable += p.runnable ? 1 : 0;
  REQUIRE(runnable == tasks.size());  // arc_easy + 57 subjects

  const size_t n = 4;
  std::vector<std::vector<PreparedTask>> shards;
  std::vector<json> blocks;
  for (size_t i = 0; i < n; ++i) {
    shards.push_back(prepared);
    blocks.push_back(AssignShardDocuments(tasks, shards.back(), settings, {i, n}));
  }
  for (size_t i = 1; i < n; ++i) CHECK(blocks[i] == blocks[0]);  // the configuration every shard records
  std::set<size_t> shards_used;
  for (size_t t = 0; t < tasks.size(); ++t) {
    INFO(tasks[t].config.task);
    const json& cfg = blocks[0].at(tasks[t].config.task);
    const size_t docs = cfg.at("documents").get<size_t>();
    CHECK(docs == (t == 0 ? 30u : 3u));
    CHECK(cfg.at("request_stream_sha256").get<std::string>().size() == 64);
    std::map<size_t, size_t> owner;
    std::set<size_t> owners;
    for (size_t i = 0; i < n; ++i) {
      REQUIRE(shards[i][t].shard_docs);
      for (size_t d : *shards[i][t].shard_docs) {
        CHECK(owner.emplace(d, i).second);  // in no other shard
        owners.insert(i);
        shards_used.insert(i);
      }
    }
    CHECK(owner.size() == docs);          // and in one
    if (t > 0) CHECK(owners.size() == 1);  // a subject's documents share the 5-shot prefix: one shard
  }
  CHECK(shards_used.size() == n);  // the work is spread over all of them
}

TEST_CASE("suite shards: shard 0 runs every probe, the others the logits fingerprint only", "[harness][suite][shards]") {
  const SuiteDefinition paper = ResolveSuite("paper-table");
  const SuiteDefinition s0 = ProbesOfShard(paper, {0, 3}), s2 = ProbesOfShard(paper, {2, 3});
  CHECK(s0.latency);
  CHECK(s0.memory);
  CHECK(s0.energy_estimated);
  CHECK(s0.energy_measured);
  CHECK(s2.fingerprint);
  CHECK_FALSE(s2.latency);
  CHECK_FALSE(s2.memory);
  CHECK_FALSE(s2.energy_estimated);
  CHECK_FALSE(s2.energy_measured);
  CHECK_FALSE(s2.bench);
  CHECK(s2.tasks.size() == paper.tasks.size());
  CHECK_THAT(ShardNote({2, 3}), Catch::Contains("Shard 2 of 3") && Catch::Contains("merge-shards") &&
                                    Catch::Contains("shard 0 only"));
}

}  // namespace
}  // namespace bitnet::suite
