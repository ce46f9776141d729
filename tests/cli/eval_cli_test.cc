// `bitnet-eval eval` as scripts call it: files written, the table, exit codes.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/eval_test_support.h"
#include "tests/cli/run_cli.h"
#include "tests/test_support.h"

namespace {

using namespace bitnet::test;  // Exec, Quote, ReadText, MakeTinyModel
using Run = CliRun;

}  // namespace

TEST_CASE("eval: arc_easy + gsm8k on the samples write results.json, logs and the table", "[cli][eval]") {
  const auto dir = bitnet::test::TempDir("cli-eval");
  const auto model = bitnet::test::MakeTinyModel(dir, 3);
  const auto out = dir / "out";
  const Run r = Exec("eval --model " + Quote(model) + " --tasks arc_easy,gsm8k --limit 2 -t 2 --out " + Quote(out));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("| Tasks") && Catch::Contains("| arc_easy") && Catch::Contains("| gsm8k") &&
                        Catch::Contains("strict-match"));
  const auto j = nlohmann::json::parse(ReadText(out / "results.json"));
  CHECK(j["results"]["arc_easy"].contains("acc_norm_stderr,none"));
  CHECK(j["bitnet_eval"]["model"]["sha256"].get<std::string>().size() == 64);
  CHECK(j["bitnet_eval"]["bos"]["mode"] == "auto");
  CHECK(j["bitnet_eval"]["host"].is_object());
  const std::string log = ReadText(out / "samples_arc_easy.jsonl");
  CHECK(std::count(log.begin(), log.end(), '\n') == 2);
  CHECK(std::filesystem::exists(out / "samples_gsm8k.jsonl"));
}

TEST_CASE("eval: unknown task, missing data dir and bad options exit 2", "[cli][eval]") {
  const auto dir = bitnet::test::TempDir("cli-eval-err");
  const std::string m = "--model " + Quote(dir / "absent.gguf");  // never loaded: input is checked first
  Run r = Exec("eval " + m + " --tasks arc_eazy");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("no such task") && Catch::Contains("arc_easy"));
  r = Exec("eval " + m + " --tasks arc_easy --data-dir " + Quote(dir / "nothing"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("nothing"));
  std::filesystem::create_directories(dir / "empty");
  r = Exec("eval " + m + " --tasks arc_easy --data-dir " + Quote(dir / "empty"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("arc_easy.jsonl"));
  r = Exec("eval " + m + " --tasks arc_easy --bos maybe");
  CHECK(r.code == 2);
  r = Exec("eval " + m + " --tasks humaneval_plus");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("evalplus"));
}
