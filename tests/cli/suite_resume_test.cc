// Resuming an interrupted suite run: kill -9 and Ctrl-C at a unit boundary (the suite runner's
// test hook BITNET_SUITE_TEST_SIGNAL=SIGNAL@UNIT raises the signal right after that unit is
// persisted), a real SIGINT from outside in the middle of a unit, the partial report, and the
// refusal of a changed configuration.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"
#include "tests/cli/suite_test_support.h"
#include "tests/test_support.h"

namespace {

namespace fs = std::filesystem;
using bitnet::test::Exec;
using bitnet::test::Quote;
using nlohmann::json;

bitnet::test::CliRun ExecWithSignal(const std::string& hook, const std::string& args) {
  setenv("BITNET_SUITE_TEST_SIGNAL", hook.c_str(), 1);
  auto r = Exec(args);
  unsetenv("BITNET_SUITE_TEST_SIGNAL");
  return r;
}

size_t CountUnits(const fs::path& out) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out / "state" / "units", ec))
    if (e.path().extension() == ".json") ++n;
  return n;
}

TEST_CASE("suite resume: kill -9 after a task, then the same command finishes with the same results", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-kill9");
  REQUIRE(Exec("--suite quick --out " + Quote(dir / "whole")).code == 0);
  const json whole = bitnet::test::ReadJson(dir / "whole" / "report.json");

  const std::string cmd = "--suite quick --out " + Quote(dir / "cut");
  const auto killed = ExecWithSignal("SIGKILL@tiny.task.boolq", cmd);
  CHECK(killed.code == 137);  // the shell reports 128 + SIGKILL
  CHECK_FALSE(fs::exists(dir / "cut" / "report.json"));
  const size_t done_before = CountUnits(dir / "cut");
  CHECK(fs::exists(dir / "cut" / "state" / "units" / "tiny.task.boolq.json"));
  CHECK_FALSE(fs::exists(dir / "cut" / "state" / "units" / "tiny.task.hellaswag.json"));

  const auto resumed = Exec(cmd);
  INFO(resumed.out);
  REQUIRE(resumed.code == 0);
  CHECK_THAT(resumed.out, Catch::Contains("resuming: " + std::to_string(done_before) + " finished units"));
  CHECK_THAT(resumed.out, Catch::Contains("[suite] tiny: task hellaswag") &&
                              !Catch::Contains("[suite] tiny: task boolq ..."));
  const json doc = bitnet::test::ReadJson(dir / "cut" / "report.json");
  bitnet::test::CheckReportShape(doc);
  CHECK(doc["status"] == "complete");
  CHECK(bitnet::test::TaskResults(doc) == bitnet::test::TaskResults(whole));
  CHECK(doc["runs"][0]["logits_fingerprint"] == whole["runs"][0]["logits_fingerprint"]);

  // Run again: everything is in the state, nothing runs.
  const auto again = Exec(cmd);
  CHECK(again.code == 0);
  CHECK_THAT(again.out, !Catch::Contains("[suite] tiny: task arc_easy ..."));
}

TEST_CASE("suite resume: kill -9 inside a task resumes at its first unfinished request", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-kill9-request");
  REQUIRE(Exec("--suite quick --out " + Quote(dir / "whole")).code == 0);
  const json whole = bitnet::test::ReadJson(dir / "whole" / "report.json");
  const std::string cmd = "--suite quick --out " + Quote(dir / "cut");
  // arc_challenge and arc_easy make 16 requests (2 documents x 4 choices each): the 20th is inside openbookqa.
  CHECK(ExecWithSignal("SIGKILL@request.20", cmd).code == 137);
  CHECK(fs::exists(dir / "cut" / "state" / "units" / "tiny.task.arc_easy.json"));
  CHECK_FALSE(fs::exists(dir / "cut" / "state" / "units" / "tiny.task.openbookqa.json"));
  const auto resumed = Exec(cmd);
  INFO(resumed.out);
  REQUIRE(resumed.code == 0);
  CHECK_THAT(resumed.out, Catch::Contains("request cache: 20 finished requests"));
  const json doc = bitnet::test::ReadJson(dir / "cut" / "report.json");
  CHECK(bitnet::test::TaskResults(doc) == bitnet::test::TaskResults(whole));
  CHECK(doc["runs"][0]["tasks"]["openbookqa"]["tokens_evaluated"] ==
        whole["runs"][0]["tasks"]["openbookqa"]["tokens_evaluated"]);
}

TEST_CASE("suite resume: SIGINT writes a partial report, exits 130, and the run continues", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-sigint");
  const std::string cmd = "--suite quick --out " + Quote(dir / "out");
  const auto r = ExecWithSignal("SIGINT@tiny.task.arc_easy", cmd);
  INFO(r.out);
  CHECK(r.code == 130);
  CHECK_THAT(r.out, Catch::Contains("partial report"));
  const json partial = bitnet::test::ReadJson(dir / "out" / "report.json");
  bitnet::test::CheckReportShape(partial);
  CHECK(partial["status"] == "partial");
  CHECK(partial["interrupted"]["signal"] == "SIGINT");
  CHECK_THAT(partial["interrupted"]["at"].get<std::string>(), Catch::Contains("arc_easy"));
  const json& tasks = partial["runs"][0]["tasks"];
  CHECK(tasks["arc_challenge"]["status"] == "done");
  CHECK(tasks["arc_easy"]["status"] == "done");
  CHECK(tasks["boolq"]["status"] == "not_run");
  CHECK(tasks["humaneval_plus"]["status"] == "skipped");  // without --allow-code-execution
  CHECK(partial["runs"][0]["efficiency"].contains("memory"));

  const auto resumed = Exec(cmd);
  REQUIRE(resumed.code == 0);
  const json doc = bitnet::test::ReadJson(dir / "out" / "report.json");
  CHECK(doc["status"] == "complete");
  CHECK(doc["runs"][0]["tasks"]["boolq"]["status"] == "done");
  CHECK(doc["runs"][0]["tasks"]["arc_easy"] == tasks["arc_easy"]);
}

TEST_CASE("suite resume: SIGTERM from outside in the middle of a unit", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-sigterm");
  // A long latency unit after a short first one: the signal lands inside it.
  const fs::path suite_file = dir / "slow.json";
  std::ofstream(suite_file) << R"({"suite": "slow", "default_model": {"name": "tiny", "shape": "tiny"},
    "threads": [1], "probes": {"logits_fingerprint": {"prompt_tokens": 8},
    "latency": {"n_prompt": 8, "n_gen": 1000, "warmup": 0, "repetitions": 1000}}})";
  const fs::path out = dir / "out";
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string s = suite_file.string(), o = out.string();
    execl(BITNET_EVAL_EXE, BITNET_EVAL_EXE, "--suite", s.c_str(), "--out", o.c_str(), (char*)nullptr);
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(out / "state" / "units" / "tiny.efficiency.fingerprint.json") &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGTERM);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 143);
  const json doc = bitnet::test::ReadJson(out / "report.json");
  CHECK(doc["status"] == "partial");
  CHECK(doc["suite"] == "slow");
  CHECK(doc["interrupted"]["signal"] == "SIGTERM");
  CHECK_THAT(doc["interrupted"]["at"].get<std::string>(), Catch::Contains("latency"));
  CHECK(doc["runs"][0].contains("logits_fingerprint"));
  CHECK_FALSE(doc["runs"][0]["efficiency"].contains("latency"));
}

TEST_CASE("suite resume: a changed configuration is refused unless --fresh", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-changed");
  const std::string out = " --out " + Quote(dir / "out");
  REQUIRE(ExecWithSignal("SIGKILL@tiny.efficiency.fingerprint", "--suite quick" + out).code == 137);
  const auto changed = Exec("--suite quick --limit 1" + out);
  CHECK(changed.code == 2);
  CHECK_THAT(changed.out, Catch::Contains("different configuration") && Catch::Contains("limit") &&
                              Catch::Contains("--fresh"));
  const auto fresh = Exec("--suite quick --limit 1 --fresh" + out);
  CHECK(fresh.code == 0);
  const json doc = bitnet::test::ReadJson(dir / "out" / "report.json");
  CHECK(doc["runs"][0]["tasks"]["arc_easy"]["n_samples"]["effective"] == 1);
}

}  // namespace
