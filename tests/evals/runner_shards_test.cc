// Sharding (evals/runner/shards.h): "I/N" parsing, a partition that covers every document once
// and keeps few-shot prefix groups together, and the aggregation of per-sample values
// (aggregate.h) that merge-shards relies on.
#include <catch2/catch.hpp>

#include <set>

#include "common/error.h"
#include "datasets/loaders/data_dir.h"
#include "evals/runner/aggregate.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/shards.h"

using namespace bitnet;
using namespace bitnet::evals;
using nlohmann::json;

TEST_CASE("shards: I/N is parsed strictly", "[evals][shards]") {
  const ShardSpec s = ShardSpec::Parse("2/5");
  CHECK(s.index == 2);
  CHECK(s.count == 5);
  CHECK(s.ToString() == "2/5");
  for (const char* bad : {"5/5", "1", "/3", "1/", "a/3", "-1/3", "1/0", "1/3/4", " 1/3"})
    CHECK_THROWS_AS(ShardSpec::Parse(bad), UsageError);
}

TEST_CASE("shards: ranges round-trip and bad ranges are errors", "[evals][shards]") {
  const std::vector<size_t> p = {0, 1, 2, 5, 7, 8};
  CHECK(ToRanges(p).dump() == "[[0,3],[5,6],[7,9]]");
  CHECK(FromRanges(ToRanges(p), "m") == p);
  CHECK(ToRanges({}).dump() == "[]");
  CHECK_THROWS_AS(FromRanges(json::parse("[[3,3]]"), "m"), InputError);
  CHECK_THROWS_AS(FromRanges(json::parse("[[0,4],[2,5]]"), "m"), InputError);
  CHECK_THROWS_AS(FromRanges(json::parse("[[0]]"), "m"), InputError);
}

TEST_CASE("shards: every document in exactly one shard, few-shot groups kept together", "[evals][shards]") {
  const std::vector<TaskConfig> tasks =
      ResolveTasks({"arc_easy", "mmlu_astronomy", "mmlu_elementary_mathematics", "gsm8k"}, DefaultTasksDir());
  std::vector<std::vector<DocRequests>> streams;
  RunOptions ro;
  for (const auto& t : tasks) streams.push_back(PlanRequests(t, LoadTaskDocs(t, datasets::SamplesDir(), t.num_fewshot), ro));
  // MMLU (first_n, 5 shots): one unit per subject; arc_easy (0-shot): one per document.
  const auto units = ShardUnits(tasks, streams);
  size_t mmlu_units = 0;
  for (const auto& u : units)
    if (u.task == 1 || u.task == 2) {
      ++mmlu_units;
      CHECK(u.first == 0);
      CHECK(u.end == streams[u.task].size());
    }
  CHECK(mmlu_units == 2);
  for (size_t n : {1, 2, 3, 7}) {
    std::vector<std::multiset<size_t>> seen(tasks.size());
    for (size_t i = 0; i < n; ++i) {
      const auto docs = ShardDocuments(tasks, streams, ShardSpec{i, n});
      REQUIRE(docs.size() == tasks.size());
      for (size_t t = 0; t < tasks.size(); ++t) {
        CHECK(std::is_sorted(docs[t].begin(), docs[t].end()));
        if ((t == 1 || t == 2) && !docs[t].empty()) CHECK(docs[t].size() == streams[t].size());
        seen[t].insert(docs[t].begin(), docs[t].end());
      }
      CHECK(ShardDocuments(tasks, streams, ShardSpec{i, n}) == docs);  // deterministic
    }
    for (size_t t = 0; t < tasks.size(); ++t) {
      INFO("n " << n << " task " << t);
      REQUIRE(seen[t].size() == streams[t].size());
      size_t k = 0;
      for (size_t d : seen[t]) CHECK(d == k++);
    }
  }
}

TEST_CASE("aggregate: per-sample values in lm-eval's forms", "[evals][shards]") {
  CHECK(SampleItem(json(0.5), "w").value == 0.5);
  CHECK(SampleItem(json(true), "w").value == 1.0);
  const Item inst = SampleItem(json::parse("[true,false,true]"), "w");
  CHECK(inst.value == 2);
  CHECK(inst.weight == 3);
  const Item ppl = SampleItem(json::parse("[-12.5, 40]"), "w");
  CHECK(ppl.value == -12.5);
  CHECK(ppl.weight == 40);
  CHECK_THROWS_WITH(SampleItem(json("x"), "samples_x.jsonl"), Catch::Contains("samples_x.jsonl"));
  CHECK_THROWS_AS(SampleItem(json::parse("[1,2,3]"), "w"), InputError);

  const TaskConfig gsm = ResolveTasks({"gsm8k"}, DefaultTasksDir())[0];
  const auto order = ColumnOrder(gsm);
  REQUIRE(order.size() == 2);
  CHECK(order[0] == "exact_match,strict-match");
  CHECK(order[1] == "exact_match,flexible-extract");
  std::vector<json> samples = {json{{"metrics", {{"exact_match,strict-match", 1.0}, {"exact_match,flexible-extract", 0.0}}}},
                               json{{"metrics", {{"exact_match,strict-match", 0.0}, {"exact_match,flexible-extract", 0.0}}}}};
  const auto cols = AggregateSamples(gsm, samples, 0, "s");
  REQUIRE(cols.size() == 2);
  CHECK(cols[0].filter == "strict-match");
  CHECK(cols[0].value.value == 0.5);
  samples[1]["metrics"]["acc,none"] = 1.0;
  CHECK_THROWS_WITH(AggregateSamples(gsm, samples, 0, "s"), Catch::Contains("not a metric"));
  samples[1]["metrics"].erase("acc,none");
  samples[1]["metrics"].erase("exact_match,flexible-extract");
  CHECK_THROWS_WITH(AggregateSamples(gsm, samples, 0, "s"), Catch::Contains("1 of 2 samples"));
}
