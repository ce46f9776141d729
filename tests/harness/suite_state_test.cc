// harness/suite: suite definitions (built-in files and checks), the resume state, task-run records.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "harness/suite/microbench.h"
#include "harness/suite/run_state.h"
#include "harness/suite/suite_definition.h"
#include "harness/suite/task_run_json.h"
#include "tests/test_support.h"

namespace bitnet::suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST_CASE("suite definitions: the built-in suites parse and hold what the README says") {
  const auto names = BuiltInSuiteNames();
  CHECK(names == std::vector<std::string>{"kernels", "paper-table", "quick"});
  const SuiteDefinition paper = ResolveSuite("paper-table");
  CHECK(paper.tasks.size() == 16);  // every benchmark row of Table 1
  REQUIRE(paper.latency);
  CHECK(paper.latency->n_gen == 128);  // the paper's TPOT
  CHECK(paper.energy_measured);
  CHECK(paper.energy_estimated);
  CHECK(paper.memory);
  CHECK(paper.fingerprint);
  CHECK(paper.default_model.shape == "2b4t");
  for (const auto& t : paper.tasks) CHECK_FALSE(t.metric.empty());
  const SuiteDefinition kernels = ResolveSuite("kernels");
  CHECK(kernels.bench);
  CHECK(kernels.microbench);
  CHECK(kernels.tasks.empty());
  CHECK(ResolveSuite("quick").default_model.shape == "tiny");
  CHECK_THROWS_AS(ResolveSuite("nope"), UsageError);
}

TEST_CASE("suite definitions: errors carry the JSON path") {
  auto error = [](const json& j) {
    try {
      ParseSuite(j, "s.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error({{"suite", "x"}, {"tasks", {{{"task", "boolq"}, {"limit", -1}}}}}) ==
        "s.json: /tasks/0/limit: -1 is out of range [1, 67108864]");
  CHECK_THAT(error({{"suite", "x"}, {"threads", json::array()}}), Catch::Contains("/threads: expected a non-empty array"));
  CHECK_THAT(error({{"suite", "x"}, {"threads", {1, "2"}}}), Catch::Contains("/threads/1: expected an integer"));
  CHECK_THAT(error({{"suite", "x"}, {"probes", {{"energy_estimated", {{"node_nm", 10}}}}}}),
             Catch::Contains("/probes/energy_estimated/node_nm: expected 7 or 45"));
  CHECK_THAT(error({{"suite", "x"}, {"tasks", {"a b"}}}), Catch::Contains("/tasks/0: 'a b' is not a task name"));
  CHECK_THAT(error({{"suite", "x"}, {"probes", {{"microbench", {{"executable", "../x"}}}}}}),
             Catch::Contains("/probes/microbench/executable"));
  CHECK_THAT(error(json::array()), Catch::Contains("s.json: /: expected an object"));
  // A probe given as true takes its defaults; false switches it off.
  const SuiteDefinition s = ParseSuite({{"suite", "x"}, {"probes", {{"latency", true}, {"memory", false}}}}, "s.json");
  REQUIRE(s.latency);
  CHECK(s.latency->n_gen == 128);
  CHECK_FALSE(s.memory);
}

TEST_CASE("run state: units persist, a restart resumes, a changed configuration is refused") {
  const fs::path dir = test::TempDir("run-state");
  const json config = {{"suite", "quick"}, {"limit", nullptr}};
  {
    RunState s(dir, config, false);
    CHECK(s.resumed_units() == 0);
    s.Put("m.task.arc_easy", {{"status", "done"}, {"x", 1.5}});
    s.Put("m.efficiency.memory", {{"a", "é"}});
    CHECK(s.Find("m.task.arc_easy")->at("x") == 1.5);
    CHECK_FALSE(s.Find("m.task.boolq"));
    CHECK_THROWS(s.Put("../escape", json::object()));
  }
  std::ofstream(dir / "state" / "units" / "m.task.boolq.json.tmp123") << "{ half";  // an interrupted write
  {
    RunState s(dir, config, false);
    CHECK(s.resumed_units() == 2);
    CHECK(s.Find("m.efficiency.memory")->at("a") == "é");
    CHECK(s.Snapshot().size() == 2);
  }
  json other = config;
  other["limit"] = 3;
  try {
    RunState s(dir, other, false);
    FAIL("a changed configuration was accepted");
  } catch (const UsageError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("differs in: limit") && Catch::Contains("--fresh"));
  }
  RunState fresh(dir, other, true);
  CHECK(fresh.resumed_units() == 0);
  CHECK(RunState(dir, other, false).resumed_units() == 0);
  CHECK(RunState::Differences({{"a", 1}, {"b", 2}}, {{"a", 1}, {"c", 3}}) == std::vector<std::string>{"b", "c"});
}

TEST_CASE("task-run records round-trip") {
  evals::TaskRun r;
  r.task = "mmlu_astronomy";
  r.group = "mmlu";
  r.config = {{"task", "mmlu_astronomy"}};
  r.version = 1.0;
  r.n_shot = 5;
  r.n_original = 4;
  r.n_effective = 2;
  r.output_type = "multiple_choice";
  r.add_bos = true;
  r.request_hash = "abc";
  r.n_requests = 8;
  r.tokens_evaluated = 100;
  r.tokens_naive = 900;
  r.seconds = 0.5;
  r.results = {{"alias", "mmlu_astronomy"}, {"acc,none", 0.5}, {"acc_stderr,none", 0.5}};
  evals::MetricRow row;
  row.metric = "acc";
  row.filter = "none";
  row.value.value = 0.5;
  row.value.stderr_value = 0.5;
  r.rows.push_back(row);
  row.metric = "inst_level_strict_acc";
  row.value.stderr_value.reset();  // "N/A"
  r.rows.push_back(row);
  const json j = TaskRunToJson(r);
  const evals::TaskRun back = TaskRunFromJson(json::parse(j.dump()), "t");
  CHECK(TaskRunToJson(back) == j);
  CHECK_FALSE(back.rows[1].value.stderr_value);
  CHECK_THROWS_AS(TaskRunFromJson({{"task", "x"}}, "unit.json"), InputError);
}

}  // namespace
}  // namespace bitnet::suite

namespace bitnet::suite {
namespace {

TEST_CASE("microbench: Google Benchmark JSON is read, bad output is a stated reason") {
  const MicrobenchResult ok = ParseMicrobenchOutput(
      R"({"context": {"num_cpus": 2}, "benchmarks": [{"name": "i2s/avx2/qo/1", "bytes_per_second": 1e9}]})", "bench");
  REQUIRE(ok.ok);
  CHECK(ok.benchmarks.size() == 1);
  CHECK(ok.context["num_cpus"] == 2);
  const MicrobenchResult not_json = ParseMicrobenchOutput("Benchmark  Time", "bench_kernels");
  CHECK_FALSE(not_json.ok);
  CHECK_THAT(not_json.reason, Catch::Contains("bench_kernels: output is not JSON"));
  CHECK_FALSE(ParseMicrobenchOutput(R"({"benchmarks": [{"time": 1}]})", "b").ok);
  CHECK_FALSE(ParseMicrobenchOutput(R"({"context": {}})", "b").ok);
  MicrobenchSpec spec;
  spec.executable = "no-such-bench-executable";
  const MicrobenchResult missing = RunMicrobench(spec, "avx2");
  CHECK_FALSE(missing.ok);
  CHECK_THAT(missing.reason, Catch::Contains("no-such-bench-executable not found"));
}

}  // namespace
}  // namespace bitnet::suite
