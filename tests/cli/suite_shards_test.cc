// A suite split over processes as a cluster runs it: `run --suite quick --shard I/3` three times
// in parallel (one killed with SIGKILL inside a task and started again), then `merge-shards`; the
// merged report and per-sample logs equal the unsharded run's, and `compare` passes with identical
// logits and no drop. Missing, duplicated, unfinished and mismatched shards are errors naming them.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/eval_test_support.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/spawn_cli.h"
#include "tests/cli/suite_test_support.h"
#include "tests/test_support.h"

namespace {

using namespace bitnet::test;  // Exec, Quote, ReadText, ReadJson, SpawnCli, ...
using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> ShardArgv(const fs::path& dir, size_t index, const std::string& extra = "") {
  std::vector<std::string> argv = {"run", "--suite", "quick", "--shard", std::to_string(index) + "/3", "--out",
                                   (dir / ("shard-" + std::to_string(index))).string()};
  if (!extra.empty()) argv.push_back(extra);
  return argv;
}

std::string ShardCommand(const fs::path& dir, size_t index) {
  std::string cmd;
  for (const auto& a : ShardArgv(dir, index)) cmd += Quote(a) + " ";
  return cmd;
}

// A task entry without what differs between two runs of the same work (time, paths in notes).
json Stable(json task) {
  task.erase("seconds");
  task.erase("notes");
  return task;
}

json StableLmEval(json lm) {
  for (auto& [name, t] : lm["bitnet_eval"]["tasks"].items()) t.erase("seconds");
  return lm;
}

// MT-bench records carry FastChat's wall-clock "tstamp" of the answer: equal but for that.
std::string WithoutTimestamps(const std::string& jsonl) {
  std::string out;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j.contains("mt_bench")) j["mt_bench"].erase("tstamp");
    out += j.dump() + "\n";
  }
  return out;
}

CliRun Merge(const std::vector<fs::path>& dirs, const fs::path& out) {
  std::string cmd = "merge-shards";
  for (const auto& d : dirs) cmd += " " + Quote(d);
  return Exec(cmd + " --out " + Quote(out));
}

// merge-shards refused: exit 2, and the message holds every one of `expected`.
void CheckRefused(const CliRun& m, const std::vector<std::string>& expected) {
  INFO(m.out);
  CHECK(m.code == 2);
  for (const auto& e : expected) CHECK_THAT(m.out, Catch::Contains(e));
}

// A copy of the shard folder `src` named `name`, with one of its JSON files changed by `edit`.
template <typename Edit>
fs::path TamperedCopy(const fs::path& src, const std::string& name, const std::string& file, Edit edit) {
  const fs::path dst = src.parent_path() / name;
  fs::copy(src, dst, fs::copy_options::recursive);
  json j = ReadJson(dst / file);
  edit(j);
  std::ofstream(dst / file, std::ios::trunc) << j.dump();
  return dst;
}

}  // namespace

TEST_CASE("suite shards: quick as 3 processes, one killed with -9 and restarted, merge to the unsharded run",
          "[cli][suite][shards]") {
  const auto dir = TempDir("suite-shards");
  const auto whole = dir / "whole";
  const CliRun w = Exec("--suite quick --out " + Quote(whole));
  INFO(w.out);
  REQUIRE(w.code == 0);

  // Shard 1 dies by SIGKILL after computing 3 requests (the suite runner's test hook).
  std::vector<pid_t> pids;
  for (size_t i = 0; i < 3; ++i) {
    if (i == 1) setenv("BITNET_SUITE_TEST_SIGNAL", "SIGKILL@request.3", 1);
    pids.push_back(SpawnCli(ShardArgv(dir, i)));
    unsetenv("BITNET_SUITE_TEST_SIGNAL");
  }
  for (size_t i = 0; i < 3; ++i) {
    int status = 0;
    REQUIRE(::waitpid(pids[i], &status, 0) == pids[i]);
    INFO("shard " << i);
    if (i == 1) {
      REQUIRE(WIFSIGNALED(status));
      CHECK(WTERMSIG(status) == SIGKILL);
    } else {
      REQUIRE(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
    }
  }
  const fs::path d0 = dir / "shard-0", d1 = dir / "shard-1", d2 = dir / "shard-2";
  CHECK_FALSE(fs::exists(d1 / "shard_manifest.json"));
  CheckRefused(Merge({d0, d1, d2}, dir / "bad"), {"shard-1", "has not finished"});

  const CliRun r1 = Exec(ShardCommand(dir, 1));
  INFO(r1.out);
  REQUIRE(r1.code == 0);
  CHECK_THAT(r1.out, Catch::Contains("request cache: 3 finished requests") && Catch::Contains("shard 1/3 finished"));

  // Each shard's own report: its part, marked; only shard 0 measured the efficiency rows.
  const json s0 = ReadJson(d0 / "report.json"), s1 = ReadJson(d1 / "report.json");
  CheckReportShape(s1);
  CHECK(s1["shard"]["index"] == 1);
  CHECK(s0["runs"][0]["efficiency"].contains("latency"));
  CHECK(s1["runs"][0]["efficiency"].empty());
  CHECK(s1["runs"][0]["logits_fingerprint"] == s0["runs"][0]["logits_fingerprint"]);
  const json man = ReadJson(d1 / "shard_manifest.json");
  CHECK(man["kind"] == "suite");
  CHECK(man["configuration"]["tasks"]["arc_easy"]["request_stream_sha256"].get<std::string>().size() == 64);
  CHECK(fs::exists(d1 / "samples" / "tiny" / "shard_manifest.json"));

  const auto merged = dir / "merged";
  const CliRun m = Merge({d2, d0, d1}, merged);
  INFO(m.out);
  REQUIRE(m.code == 0);
  const json a = ReadJson(whole / "report.json"), b = ReadJson(merged / "report.json");
  CheckReportShape(b);
  CHECK(b["status"] == "complete");
  CHECK(TaskResults(b) == TaskResults(a));
  const json &ta = a["runs"][0]["tasks"], &tb = b["runs"][0]["tasks"];
  REQUIRE(ta.size() == tb.size());
  for (const auto& [name, t] : ta.items()) {
    INFO(name);
    CHECK(Stable(t) == Stable(tb[name]));  // request hashes, token counts, n_samples, stderr too
  }
  CHECK(StableLmEval(a["runs"][0]["lm_eval"]) == StableLmEval(b["runs"][0]["lm_eval"]));
  for (const char* k : {"results", "versions", "n-shot", "configs", "n-samples", "groups"}) CHECK(a[k] == b[k]);
  CHECK(b["runs"][0]["logits_fingerprint"] == a["runs"][0]["logits_fingerprint"]);
  CHECK(b["runs"][0]["efficiency"] == s0["runs"][0]["efficiency"]);  // shard 0's rows
  CHECK(b["sharded"]["count"] == 3);
  CHECK_THAT(b["notes"].dump(), Catch::Contains("Merged from 3 shards") && !Catch::Contains("Shard 0 of 3"));
  CHECK(fs::exists(merged / "report.html"));
  size_t logs = 0;
  for (const auto& e : fs::directory_iterator(whole / "samples" / "tiny")) {
    if (e.path().extension() != ".jsonl") continue;
    INFO(e.path().filename());
    const std::string x = ReadText(e.path()), y = ReadText(merged / "samples" / "tiny" / e.path().filename());
    if (e.path().filename() == "samples_mt_bench.jsonl") CHECK(WithoutTimestamps(x) == WithoutTimestamps(y));
    else CHECK(x == y);
    ++logs;
  }
  CHECK(logs >= 15);
  const CliRun cmp = Exec("compare " + Quote(whole / "report.json") + " " + Quote(merged / "report.json") +
                          " --require-identical-logits --max-drop '*=0'");
  INFO(cmp.out);
  CHECK(cmp.code == 0);
  CHECK_THAT(cmp.out, Catch::Contains("verdict: PASS"));

  // A shard missing, one given twice, one from another configuration, one with other logits, one
  // with a failed task: exit 2 naming the shard and what differs, nothing written.
  const fs::path bad = dir / "bad";
  CheckRefused(Merge({d0, d2}, bad), {"shard 1/3", "missing"});
  CheckRefused(Merge({d0, d1, d1, d2}, bad), {"shard 1/3 is given twice"});
  const auto other = dir / "other-1";
  REQUIRE(Exec("run --suite quick --limit 1 --shard 1/3 --out " + Quote(other)).code == 0);
  CheckRefused(Merge({d0, other, d2}, bad), {"other-1", "/limit"});
  const auto logits = TamperedCopy(d2, "other-logits-2", "report.json", [](json& r) {
    r["runs"][0]["logits_fingerprint"]["sha256"] = std::string(64, '0');
  });
  CheckRefused(Merge({d0, d1, logits}, bad), {"other-logits-2", "logits_fingerprint"});
  const auto failed = TamperedCopy(d2, "failed-2", "shard_manifest.json",
                                   [](json& m) { m["failed"]["tiny.task.boolq"] = "out of memory"; });
  CheckRefused(Merge({d0, d1, failed}, bad), {"failed-2", "tiny.task.boolq failed"});
  CHECK_FALSE(fs::exists(dir / "bad" / "report.json"));
}

TEST_CASE("suite shards: a bad --shard exits 2 before any work", "[cli][suite][shards]") {
  const auto dir = TempDir("suite-shards-bad");
  for (const char* s : {"3/3", "1/", "x/2"}) {
    const CliRun r = Exec("run --suite quick --shard " + std::string(s) + " --out " + Quote(dir / "o"));
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("--shard"));
  }
  CHECK_FALSE(fs::exists(dir / "o" / "state"));
}
