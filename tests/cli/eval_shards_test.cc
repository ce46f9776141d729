// Sharded evaluation as a cluster runs it: N `eval --shard I/N` processes (one killed with -9
// midway and restarted), then `merge-shards`; the merged run equals the unsharded one. Missing,
// duplicated and mismatched shards are errors naming the shard.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/eval_test_support.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/spawn_cli.h"
#include "tests/test_support.h"

namespace {

using namespace bitnet::test;  // Exec, Quote, ReadText, EvalArgv, EvalCommand, ...
namespace fs = std::filesystem;

const char* kTasks = "arc_easy,mmlu_astronomy,mmlu_elementary_mathematics,gsm8k,ifeval";
const std::vector<std::string> kTaskNames = {"arc_easy", "mmlu_astronomy", "mmlu_elementary_mathematics", "gsm8k",
                                             "ifeval"};
const std::vector<std::string> kOptions = {"-t", "1", "--bootstrap-iters", "100", "-q"};

}  // namespace

TEST_CASE("shards: 3 processes, one killed and restarted, merge to the unsharded results", "[cli][shards]") {
  const TinyEvalSetup s = TinyEvalWithReference("cli-shards", 6, kTasks, kOptions);
  const auto &dir = s.dir, &model = s.model, &whole = s.whole;
  const std::string& common = s.common;

  const size_t n = 3;
  std::vector<pid_t> pids;
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> argv = EvalArgv(model, kTasks, kOptions);
    argv.insert(argv.end(), {"--shard", std::to_string(i) + "/" + std::to_string(n), "--out",
                             (dir / ("shard-" + std::to_string(i))).string()});
    pids.push_back(bitnet::test::SpawnCli(argv));
  }
  // Shard 0 is killed after 6 finished requests and started again.
  REQUIRE(bitnet::test::KillWhenLines(pids[0], dir / "shard-0" / "request_cache.jsonl", 7));
  CHECK_FALSE(fs::exists(dir / "shard-0" / "shard_manifest.json"));
  for (size_t i = 1; i < n; ++i) {
    int status = 0;
    ::waitpid(pids[i], &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  const std::string d0 = Quote(dir / "shard-0"), d1 = Quote(dir / "shard-1"), d2 = Quote(dir / "shard-2");
  // Merging without the killed shard's output names what is missing.
  auto m = Exec("merge-shards " + d0 + " " + d1 + " " + d2 + " --out " + Quote(dir / "bad"));
  CHECK(m.code == 2);
  CHECK_THAT(m.out, Catch::Contains("shard-0") && Catch::Contains("shard_manifest.json"));

  const auto r1 = Exec(common + " --shard 0/3 --out " + d0);
  INFO(r1.out);
  REQUIRE(r1.code == 0);
  // Each shard's manifest records the configuration and its documents.
  const auto man = nlohmann::json::parse(ReadText(dir / "shard-1" / "shard_manifest.json"));
  CHECK(man["shard"]["index"] == 1);
  CHECK(man["shard"]["count"] == 3);
  CHECK(man["configuration"]["model_sha256"].get<std::string>().size() == 64);
  CHECK(man["configuration"]["tasks"]["arc_easy"]["request_stream_sha256"].get<std::string>().size() == 64);

  const auto merged = dir / "merged";
  m = Exec("merge-shards " + d2 + " " + d0 + " " + d1 + " --out " + Quote(merged));
  INFO(m.out);
  REQUIRE(m.code == 0);
  for (const auto& t : kTaskNames) {
    INFO(t);
    const std::string f = "samples_" + t + ".jsonl";
    CHECK(ReadText(merged / f) == ReadText(whole / f));
  }
  const auto a = nlohmann::json::parse(ReadText(whole / "results.json"));
  const auto b = nlohmann::json::parse(ReadText(merged / "results.json"));
  for (const char* k : {"results", "configs", "versions", "n-shot", "n-samples", "higher_is_better", "groups",
                        "group_subtasks"})
    CHECK(a[k] == b[k]);
  for (const auto& t : kTaskNames) {
    INFO(t);
    auto x = a["bitnet_eval"]["tasks"][t], y = b["bitnet_eval"]["tasks"][t];
    for (auto* v : {&x, &y}) {
      v->erase("seconds");
      v->erase("requests_from_cache");
    }
    CHECK(x == y);  // request-stream hash, request and token counts too
  }
  CHECK(b["bitnet_eval"]["merged_from"].size() == 3);
  // The merged table is the unsharded one; merging again (other order) gives the same bytes.
  const auto table = [](const std::string& s) {
    const size_t b = s.find("| Tasks"), e = s.find("\nwrote ");
    return b == std::string::npos || e == std::string::npos || e < b ? std::string("(no table)") : s.substr(b, e - b);
  };
  CHECK(table(m.out) == table(s.whole_run.out));
  const auto r_whole = Exec("merge-shards " + d0 + " " + d1 + " " + d2 + " --out " + Quote(dir / "merged2"));
  REQUIRE(r_whole.code == 0);
  CHECK(ReadText(dir / "merged2" / "results.json") == ReadText(merged / "results.json"));

  // A shard given twice, a missing one, a mismatched one.
  m = Exec("merge-shards " + d0 + " " + d1 + " " + d1 + " --out " + Quote(dir / "bad"));
  CHECK(m.code == 2);
  CHECK_THAT(m.out, Catch::Contains("shard 1/3 is given twice"));
  m = Exec("merge-shards " + d0 + " " + d2 + " --out " + Quote(dir / "bad"));
  CHECK(m.code == 2);
  CHECK_THAT(m.out, Catch::Contains("shard 1/3") && Catch::Contains("missing"));
  const auto other = dir / "other-1";
  REQUIRE(Exec(common + " --bos off --shard 1/3 --out " + Quote(other)).code == 0);
  m = Exec("merge-shards " + d0 + " " + Quote(other) + " " + d2 + " --out " + Quote(dir / "bad"));
  CHECK(m.code == 2);
  CHECK_THAT(m.out, Catch::Contains("other-1") && Catch::Contains("add_bos"));
  // Tampered shard outputs: a samples file cut short, a manifest claiming another document.
  const auto t1 = dir / "tampered-1";
  fs::copy(dir / "shard-1", t1);
  for (const auto& t : kTaskNames) std::ofstream(t1 / ("samples_" + t + ".jsonl"), std::ios::trunc) << "";
  REQUIRE_FALSE(man["documents"].dump() == R"({"arc_easy":[],"gsm8k":[],"ifeval":[],"mmlu_astronomy":[],"mmlu_elementary_mathematics":[]})");
  m = Exec("merge-shards " + d0 + " " + Quote(t1) + " " + d2 + " --out " + Quote(dir / "bad"));
  CHECK(m.code == 2);
  CHECK_THAT(m.out, Catch::Contains("tampered-1") && Catch::Contains("samples_"));
  const auto t2 = dir / "tampered-2";
  fs::copy(dir / "shard-1", t2);
  auto man2 = nlohmann::json::parse(ReadText(t2 / "shard_manifest.json"));
  man2["configuration"]["tasks"]["arc_easy"].erase("documents");
  std::ofstream(t2 / "shard_manifest.json", std::ios::trunc) << man2.dump();
  m = Exec("merge-shards " + Quote(t2) + " " + d0 + " " + d2 + " --out " + Quote(dir / "bad"));
  CHECK(m.code == 2);
  CHECK_THAT(m.out, Catch::Contains("tampered-2"));
  CHECK_FALSE(fs::exists(dir / "bad" / "results.json"));
}

TEST_CASE("shards: bad --shard values exit 2 before the model is loaded", "[cli][shards]") {
  const auto dir = bitnet::test::TempDir("cli-shards-bad");
  for (const char* s : {"3/3", "x", "1/0"}) {
    const auto r = Exec("eval --model " + Quote(dir / "absent.gguf") + " --tasks arc_easy --shard " + s);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("--shard"));
  }
  const auto r = Exec("merge-shards --out " + Quote(dir / "o"));
  CHECK(r.code == 2);
}
