// `bitnet-eval --suite quick` end to end: a complete, valid report document (docs/REPORT_SCHEMA.md)
// with every row accounted for, deterministic across runs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"
#include "tests/cli/suite_test_support.h"
#include "tests/test_support.h"

namespace {

using bitnet::test::Exec;
using bitnet::test::Quote;
using nlohmann::json;

TEST_CASE("suite quick: a complete report with every task accounted for", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-quick");
  const auto r = Exec("--suite quick --out " + Quote(dir / "out"));
  INFO(r.out);
  REQUIRE(r.code == 0);
  const json doc = bitnet::test::ReadJson(dir / "out" / "report.json");
  bitnet::test::CheckReportShape(doc);
  CHECK(doc["status"] == "complete");
  CHECK(doc["interrupted"].is_null());
  CHECK(doc["suite"] == "quick");
  REQUIRE(doc["models"].size() == 1);
  CHECK(doc["models"][0]["synthetic"] == true);
  CHECK(doc["models"][0]["paper_column"].is_null());  // the tiny shape is not the paper's model
  const json& run = doc["runs"][0];

  // Every efficiency block of the suite, with figures.
  const json& e = run["efficiency"];
  CHECK(e["memory"]["paper_row"]["linear_params"].get<int64_t>() > 0);
  CHECK(e["memory"]["loaded"]["projection_bytes"].get<int64_t>() > 0);
  REQUIRE(e["latency"].size() == 2);  // threads 1, 2
  CHECK(e["latency"][0]["threads"] == 1);
  CHECK(e["latency"][1]["threads"] == 2);
  for (const auto& l : e["latency"]) {
    CHECK(l["n_gen"] == 16);
    CHECK(l["tpot_ms"]["mean"].get<double>() > 0);
    CHECK(l["tpot_ms"]["p50"].get<double>() <= l["tpot_ms"]["p90"].get<double>());
  }
  CHECK(e["energy_estimated"]["joules"].get<double>() > 0);
  REQUIRE(e["energy_measured"].size() == 3);  // rapl, perf, pcm: each measured or with its reason
  for (const auto& m : e["energy_measured"]) {
    if (m["available"].get<bool>()) CHECK(m["joules"].is_number());
    else CHECK_FALSE(m["reason"].get<std::string>().empty());
  }
  REQUIRE(e["bench"].size() == 2);  // pp32, tg8
  CHECK(std::regex_match(run["logits_fingerprint"]["sha256"].get<std::string>(), std::regex("[0-9a-f]{64}")));

  // All 16 rows of Table 1; none silent.
  const std::set<std::string> table1 = {"arc_challenge", "arc_easy", "openbookqa", "boolq", "hellaswag", "piqa",
                                        "winogrande", "commonsense_qa", "truthfulqa_mc2", "triviaqa", "mmlu",
                                        "humaneval_plus", "gsm8k", "math500", "ifeval", "mt_bench"};
  std::set<std::string> seen;
  for (const auto& [name, t] : run["tasks"].items()) {
    INFO(name);
    seen.insert(name);
    const std::string status = t["status"];
    CHECK((status == "done" || status == "skipped"));
    if (status == "done" && name != "mt_bench") {
      CHECK(t["results"].contains(t["primary_metric"].get<std::string>()));
    } else {
      CHECK_FALSE(t["reason"].get<std::string>().empty());
    }
  }
  CHECK(seen == table1);
  CHECK(run["tasks"]["arc_easy"]["status"] == "done");
  CHECK(run["tasks"]["arc_easy"]["n_samples"]["effective"] == 2);  // the suite's limit
  CHECK(run["tasks"]["mt_bench"]["status"] == "done");  // answers generated; the GPT-4 judge is external
  CHECK_THAT(run["tasks"]["mt_bench"]["reason"].get<std::string>(), Catch::Contains("judging is external"));
  CHECK(std::filesystem::exists(dir / "out" / "samples" / "tiny" / "mt_bench_model_answer" / "tiny.jsonl"));
  CHECK_THAT(run["tasks"]["humaneval_plus"]["reason"].get<std::string>(), Catch::Contains("--allow-code-execution"));
  CHECK(run["tasks"]["mmlu"]["subtasks"].size() == 57);  // two subjects in the samples, the rest skipped
  CHECK_THAT(run["tasks"]["mmlu"]["reason"].get<std::string>(), Catch::Contains("2 of 57"));
  CHECK(run["tasks"]["gsm8k"]["notes"].dump().find("capped at 16") != std::string::npos);

  // lm-eval compatibility: the run's block at the top level.
  CHECK(doc["results"] == run["lm_eval"]["results"]);
  CHECK(doc["results"]["arc_easy"].contains("acc,none"));
  CHECK(doc["results"]["arc_easy"].contains("acc_stderr,none"));
  CHECK(doc["results"].contains("mmlu"));

  // The Markdown summary and the plain statement about synthetic weights.
  CHECK_THAT(r.out, Catch::Contains("| arc_easy") && Catch::Contains("meaningless"));
  CHECK_THAT(r.out, Catch::Contains("Report: report.json and report.html"));
  CHECK(std::filesystem::exists(dir / "out" / "samples" / "tiny" / "samples_arc_easy.jsonl"));
  CHECK(std::filesystem::file_size(dir / "out" / "report.html") > 1000);
}

TEST_CASE("suite quick: logits fingerprint and task results are the same across runs", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-quick-twice");
  REQUIRE(Exec("--suite quick --out " + Quote(dir / "a")).code == 0);
  REQUIRE(Exec("--suite quick --out " + Quote(dir / "b") + " --threads 2").code == 0);
  const json a = bitnet::test::ReadJson(dir / "a" / "report.json");
  const json b = bitnet::test::ReadJson(dir / "b" / "report.json");
  CHECK(a["runs"][0]["logits_fingerprint"]["sha256"] == b["runs"][0]["logits_fingerprint"]["sha256"]);
  CHECK(bitnet::test::TaskResults(a) == bitnet::test::TaskResults(b));
}

TEST_CASE("suite: bad options exit 2 with a message", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-bad");
  auto r = Exec("--suite no-such-suite --out " + Quote(dir / "o"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("unknown suite 'no-such-suite'") && Catch::Contains("quick"));
  r = Exec("--suite quick --threads 1,x --out " + Quote(dir / "o"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("'x' is not a thread count"));
  r = Exec("--suite quick --model bad/name=x.gguf --out " + Quote(dir / "o"));
  CHECK(r.code == 2);
  r = Exec("--suite quick --model m=" + Quote(dir / "missing.gguf") + " --out " + Quote(dir / "o"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("missing.gguf"));
  r = Exec("--suite quick --data-dir " + Quote(dir / "nope") + " --out " + Quote(dir / "o"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("nope"));
}

}  // namespace
