// `bitnet-eval eval --out DIR` after kill -9: the restarted run reuses DIR/request_cache.jsonl and
// ends with the same samples and results as an uninterrupted run; other settings are refused.
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

const char* kTasks = "arc_easy,mmlu_astronomy,gsm8k,ifeval";
const std::vector<std::string> kOptions = {"-t", "2", "--bootstrap-iters", "100"};

}  // namespace

TEST_CASE("eval: killed with -9 midway and restarted, the results equal an uninterrupted run", "[cli][eval][resume]") {
  const TinyEvalSetup s = TinyEvalWithReference("cli-resume", 4, kTasks, kOptions, "--no-cache");
  const auto &dir = s.dir, &model = s.model, &whole = s.whole;
  const std::string& common = s.common;
  CHECK_FALSE(fs::exists(whole / "request_cache.jsonl"));

  const auto out = dir / "resumed";
  std::vector<std::string> argv = EvalArgv(model, kTasks, kOptions);
  argv.insert(argv.end(), {"--out", out.string()});
  const pid_t pid = bitnet::test::SpawnCli(argv);
  // Header + 20 records: inside mmlu_astronomy (arc_easy has 16 requests).
  REQUIRE(bitnet::test::KillWhenLines(pid, out / "request_cache.jsonl", 21));
  CHECK_FALSE(fs::exists(out / "results.json"));
  // A record cut short, as when the kill lands inside a write.
  { std::ofstream(out / "request_cache.jsonl", std::ios::app) << R"({"doc":5,"idx":1,"key":"ab)"; }

  const auto r1 = Exec(common + " --out " + Quote(out));
  INFO(r1.out);
  REQUIRE(r1.code == 0);
  CHECK_THAT(r1.out, Catch::Contains("truncated last record") && Catch::Contains("resuming") &&
                         Catch::Contains("from cache") && Catch::Contains("requests (100.0%)"));
  for (const char* t : {"arc_easy", "mmlu_astronomy", "gsm8k", "ifeval"}) {
    INFO(t);
    const std::string f = std::string("samples_") + t + ".jsonl";
    CHECK(ReadText(out / f) == ReadText(whole / f));
  }
  CHECK(ComparableResults(out / "results.json") == ComparableResults(whole / "results.json"));
  const auto j = nlohmann::json::parse(ReadText(out / "results.json"));
  CHECK(j["bitnet_eval"]["request_cache"]["reused"].get<size_t>() >= 20);

  // The same folder with other settings: refused (exit 2) unless --no-cache.
  const auto r2 = Exec(common + " --bos off --out " + Quote(out));
  CHECK(r2.code == 2);
  CHECK_THAT(r2.out, Catch::Contains("add_bos") && Catch::Contains("--no-cache") && Catch::Contains("request_cache.jsonl"));
  const auto r3 = Exec(common + " --bos off --no-cache --quiet --out " + Quote(out));
  CHECK(r3.code == 0);
  CHECK_THAT(r3.out, !Catch::Contains("requests ("));
}
