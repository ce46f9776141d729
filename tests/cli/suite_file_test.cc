// A user-written suite file: it runs what it names, and its mistakes are reported with the file and
// the line/column (syntax) or the JSON path (content), exit 2.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"
#include "tests/cli/suite_test_support.h"
#include "tests/test_support.h"

namespace {

namespace fs = std::filesystem;
using bitnet::test::Exec;
using bitnet::test::Quote;

fs::path Write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p;
}

TEST_CASE("suite file: runs the tasks, shots, limits and probes it names", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-file");
  const auto file = Write(dir / "mine.json", R"({
  "suite": "mine",
  "default_model": {"name": "t", "shape": "tiny", "seed": 3},
  "threads": [1],
  "probes": {"memory": true, "energy_estimated": {"sequence_tokens": 256}},
  "tasks": [{"task": "arc_easy", "limit": 3, "metric": "acc,none"},
            {"task": "mmlu_astronomy", "shots": 1, "limit": 2, "metric": "acc,none"}]
})");
  const auto r = Exec("--suite " + Quote(file) + " --out " + Quote(dir / "out"));
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto doc = bitnet::test::ReadJson(dir / "out" / "report.json");
  bitnet::test::CheckReportShape(doc);
  CHECK(doc["suite"] == "mine");
  const auto& run = doc["runs"][0];
  CHECK(run["model"] == "t");
  CHECK(run["efficiency"].contains("memory"));
  CHECK(run["efficiency"]["energy_estimated"]["sequence_tokens"] == 256);
  CHECK_FALSE(run["efficiency"].contains("latency"));
  CHECK_FALSE(run.contains("logits_fingerprint"));
  REQUIRE(run["tasks"].size() == 2);
  CHECK(run["tasks"]["arc_easy"]["n_samples"]["effective"] == 3);
  CHECK(run["tasks"]["mmlu_astronomy"]["n_shot"] == 1);
  CHECK(run["tasks"]["mmlu_astronomy"]["n_samples"]["effective"] == 2);
}

TEST_CASE("suite file: kernel microbenchmarks and bench rows that compare gates on", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-file-kernels");
  const auto file = Write(dir / "k.json", R"({"suite": "k", "default_model": {"name": "t", "shape": "tiny"},
    "threads": [1], "probes": {"logits_fingerprint": true, "bench": {"n_prompt": [16], "n_gen": [4], "repetitions": 2},
    "microbench": {"filter": "quantize/{kernel}/", "min_time": 0.01}}})");
  REQUIRE(Exec("--suite " + Quote(file) + " --out " + Quote(dir / "a")).code == 0);
  const auto doc = bitnet::test::ReadJson(dir / "a" / "report.json");
  bitnet::test::CheckReportShape(doc);
  const auto& e = doc["runs"][0]["efficiency"];
  REQUIRE(e["bench"].size() == 2);
  if (e.contains("microbench_skipped")) {  // built without google/benchmark: said so
    CHECK_THAT(e["microbench_skipped"].get<std::string>(), Catch::Contains("bench_kernels"));
  } else {
    REQUIRE(e["microbench"].size() >= 1);
    CHECK_THAT(e["microbench"][0]["name"].get<std::string>(), Catch::StartsWith("quantize/"));
  }
  // The report gates against itself.
  const auto same = Exec("compare " + Quote(dir / "a" / "report.json") + " " + Quote(dir / "a" / "report.json") +
                         " --max-slowdown 5 --require-identical-logits");
  INFO(same.out);
  CHECK(same.code == 0);
}

TEST_CASE("suite file: errors name the file and the line or JSON path", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-file-bad");
  const std::string out = " --out " + Quote(dir / "out");
  struct Case {
    const char* name;
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"syntax.json", "{\n  \"suite\": \"x\",\n  \"tasks\": [\"arc_easy\",]\n}", "line 3, column"},
      {"unknown_key.json", R"({"suite": "x", "probes": {"latncy": {}}})", "/probes/latncy: unknown key"},
      {"bad_type.json", R"({"suite": "x", "tasks": [{"task": "arc_easy", "shots": "five"}]})",
       "/tasks/0/shots: expected an integer"},
      {"bad_range.json", R"({"suite": "x", "probes": {"latency": {"n_gen": 0}}})", "/probes/latency/n_gen: 0 is out of range"},
      {"unknown_task.json", R"({"suite": "x", "tasks": ["arc_easy", "arc_eazy"]})", "/tasks/1: no such task or group"},
      {"twice.json", R"({"suite": "x", "tasks": ["boolq", "boolq"]})", "/tasks/1: task 'boolq' is listed twice"},
      {"empty.json", R"({"suite": "x"})", "runs nothing"},
      {"no_name.json", R"({"tasks": ["boolq"]})", "/suite: the suite's name is required"},
  };
  for (const Case& c : cases) {
    const auto file = Write(dir / c.name, c.text);
    const auto r = Exec("--suite " + Quote(file) + out);
    INFO(c.name << ": " << r.out);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains(c.name) && Catch::Contains(c.expect));
  }
  const auto missing = Exec("--suite " + Quote(dir / "absent.json") + out);
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("absent.json"));
}

}  // namespace
