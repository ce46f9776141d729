// The Table 1 baselines of a suite (paper-table's five 16-bit columns; here tiny shapes so the
// test takes seconds): written one at a time into OUT/baselines, measured by the bounded
// efficiency probes, reported in their paper columns with their accuracy rows "not run", deleted
// unless --keep-models; --no-baselines records the choice; a restart does not redo them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "reports/reports.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/suite_test_support.h"
#include "tests/test_support.h"

namespace {

namespace fs = std::filesystem;
using bitnet::test::Exec;
using bitnet::test::Quote;
using nlohmann::json;

fs::path SuiteWithBaselines(const fs::path& dir) {
  const fs::path p = dir / "with-baselines.json";
  std::ofstream(p) << R"({
  "suite": "with-baselines",
  "default_model": {"name": "bitnet", "shape": "tiny", "type": "i2_s", "seed": 1},
  "threads": [1],
  "probes": {"latency": {"n_prompt": 16, "n_gen": 16, "warmup": 1, "repetitions": 2},
             "energy_estimated": true, "memory": {"kv_ctx": 256}},
  "tasks": [{"task": "arc_easy", "metric": "acc_norm,none"}],
  "builtin_default": {"limit": 1},
  "baselines": {
    "models": [
      {"name": "llama-b", "shape": "tiny-llama", "type": "bf16", "seed": 2, "paper_column": "LLaMA 3.2 1B"},
      {"name": "gemma-b", "shape": "tiny-gemma3", "type": "bf16", "seed": 2, "paper_column": "Gemma-3 1B"}
    ],
    "probes": {"latency": {"n_prompt": 4, "n_gen": 6, "warmup": 1, "repetitions": 1},
               "energy_measured": {"n_prompt": 4, "n_gen": 6}, "energy_estimated": true, "memory": {"kv_ctx": 256}},
    "note": "baselines of the test suite"
  }
})";
  return p;
}

const json& Run(const json& doc, const std::string& model) {
  for (const auto& r : doc["runs"])
    if (r["model"] == model) return r;
  FAIL("no run of " << model);
  static const json none;
  return none;
}

size_t BaselineFiles(const fs::path& out) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out / "baselines", ec)) n += e.path().extension() == ".gguf";
  return n;
}

}  // namespace

TEST_CASE("suite baselines: measured in their paper columns, accuracy not run, files deleted", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-baselines");
  const fs::path suite = SuiteWithBaselines(dir), out = dir / "out";
  const auto r = Exec("--suite " + Quote(suite) + " --out " + Quote(out));
  INFO(r.out);
  REQUIRE(r.code == 0);
  const json doc = bitnet::test::ReadJson(out / "report.json");
  bitnet::test::CheckReportShape(doc);
  REQUIRE(doc["models"].size() == 3);
  CHECK(doc["runs"][0]["model"] == "bitnet");  // the requested model stays first (lm-eval top level)
  const json& llama = doc["models"][1];
  CHECK(llama["name"] == "llama-b");
  CHECK(llama["paper_column"] == "LLaMA 3.2 1B");
  CHECK(llama["synthetic"] == true);
  CHECK(llama["weight_type"] == "BF16");
  CHECK(llama["sha256"].is_null());
  CHECK(llama["synthetic_recipe"] == json({{"shape", "tiny-llama"}, {"type", "bf16"}, {"seed", 2}, {"writer", "make-model"}}));
  CHECK(doc["models"][2]["paper_column"] == "Gemma-3 1B");
  for (const char* name : {"llama-b", "gemma-b"}) {
    INFO(name);
    const json& run = Run(doc, name);
    const json& lat = run["efficiency"]["latency"];
    REQUIRE(lat.size() == 1);
    CHECK(lat[0]["n_gen"] == 6);  // the baselines' bounded settings, not the suite's
    CHECK(lat[0]["n_prompt"] == 4);
    CHECK(lat[0]["repetitions"] == 1);
    CHECK(lat[0]["tpot_ms"]["mean"].get<double>() > 0);
    CHECK(run["efficiency"]["memory"]["paper_row"]["bits_per_weight"] == 16.0);
    CHECK(run["efficiency"]["memory"]["loaded"]["kv_ctx"] == 256);
    CHECK(run["efficiency"]["energy_estimated"]["joules"].get<double>() > 0);
    CHECK(run["efficiency"]["energy_measured"].is_array());
    CHECK(run["settings"]["bounded"]["latency"]["n_gen"] == 6);
    REQUIRE(run["tasks"].contains("arc_easy"));
    CHECK(run["tasks"]["arc_easy"]["status"] == "not_run");
    CHECK_THAT(run["tasks"]["arc_easy"]["reason"].get<std::string>(), Catch::Contains("efficiency rows only"));
  }
  CHECK(Run(doc, "bitnet")["tasks"]["arc_easy"]["status"] == "done");
  CHECK(Run(doc, "bitnet")["efficiency"]["latency"][0]["n_gen"] == 16);
  const json& b = doc["baselines"];
  CHECK(b["enabled"] == true);
  REQUIRE(b["columns"].size() == 2);
  for (const auto& c : b["columns"]) CHECK(c["status"] == "measured");
  CHECK(BaselineFiles(out) == 0);  // deleted after measuring
  bool noted = false;
  for (const auto& n : doc["notes"]) noted = noted || n == "baselines of the test suite";
  CHECK(noted);

  // The renderings: measured beside the published figure, the bounded latency stated.
  const std::string md = bitnet::reports::RenderMarkdown(doc);
  CHECK_THAT(md, Catch::Contains("| LLaMA 3.2 1B (paper) | llama-b (measured) |"));
  CHECK_THAT(md, Catch::Contains("bounded: timed over 6 generated tokens after a 4-token prompt"));
  const std::string html = bitnet::reports::RenderHtml(doc);
  CHECK_THAT(html, Catch::Contains("class=\"badge b-bounded\""));
  CHECK_THAT(html, Catch::Contains("make-model --shape tiny-gemma3 --type bf16 --seed 2"));

  // A restart of the finished run redoes nothing: no model is written again.
  const auto again = Exec("--suite " + Quote(suite) + " --out " + Quote(out));
  REQUIRE(again.code == 0);
  CHECK_THAT(again.out, !Catch::Contains("writing its synthetic model"));
  const json doc2 = bitnet::test::ReadJson(out / "report.json");
  CHECK(doc2["models"][1] == doc["models"][1]);
  CHECK(Run(doc2, "gemma-b")["efficiency"] == Run(doc, "gemma-b")["efficiency"]);
}

TEST_CASE("suite baselines: --keep-models keeps the files, --no-baselines records the choice", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-baselines-opts");
  const fs::path suite = SuiteWithBaselines(dir);
  {
    const auto r = Exec("--suite " + Quote(suite) + " --out " + Quote(dir / "kept") + " --keep-models");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(BaselineFiles(dir / "kept") == 2);
    CHECK(bitnet::test::ReadJson(dir / "kept" / "report.json")["baselines"]["keep_models"] == true);
  }
  {
    const auto r = Exec("--suite " + Quote(suite) + " --out " + Quote(dir / "none") + " --no-baselines");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const json doc = bitnet::test::ReadJson(dir / "none" / "report.json");
    bitnet::test::CheckReportShape(doc);
    CHECK(doc["models"].size() == 1);
    CHECK(doc["baselines"]["enabled"] == false);
    CHECK(doc["baselines"]["reason"] == "--no-baselines");
    for (const auto& c : doc["baselines"]["columns"]) CHECK(c["status"] == "not_run");
    CHECK_FALSE(fs::exists(dir / "none" / "baselines"));
  }
  CHECK(Exec("--suite " + Quote(suite) + " --out " + Quote(dir / "x") + " --no-baselines --baselines").code == 2);
  CHECK(Exec("--suite quick --out " + Quote(dir / "q") + " --baselines").code == 2);  // quick has none
}

TEST_CASE("suite baselines: a bad baseline entry names its JSON path", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-baselines-bad");
  const fs::path p = dir / "bad.json";
  std::ofstream(p) << R"({"suite": "bad", "probes": {"memory": true},
    "baselines": {"models": [{"name": "x", "shape": "tiny-llama", "paper_column": "LLaMA 9B"}]}})";
  const auto r = Exec("--suite " + Quote(p) + " --out " + Quote(dir / "out"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("/baselines/models/0/paper_column"));
  std::ofstream(p) << R"({"suite": "bad", "probes": {"memory": true},
    "baselines": {"models": [{"name": "x", "shape": "tiny-llama", "paper_column": "LLaMA 3.2 1B"}],
                  "probes": {"bench": true}}})";
  const auto r2 = Exec("--suite " + Quote(p) + " --out " + Quote(dir / "out"));
  CHECK(r2.code == 2);
  CHECK_THAT(r2.out, Catch::Contains("/baselines/probes"));
}

TEST_CASE("suite baselines: killed or interrupted half-way, the restart finishes them", "[cli][suite]") {
  const auto dir = bitnet::test::TempDir("suite-baselines-resume");
  const fs::path suite = SuiteWithBaselines(dir), out = dir / "out";
  const std::string cmd = "--suite " + Quote(suite) + " --out " + Quote(out);
  // kill -9 right after the second baseline's latency: its file is left behind.
  setenv("BITNET_SUITE_TEST_SIGNAL", "SIGKILL@gemma-b.efficiency.latency.0", 1);
  const auto killed = Exec(cmd);
  unsetenv("BITNET_SUITE_TEST_SIGNAL");
  CHECK(killed.code == 137);
  CHECK(BaselineFiles(out) == 1);
  const auto resumed = Exec(cmd);
  INFO(resumed.out);
  REQUIRE(resumed.code == 0);
  CHECK_THAT(resumed.out, !Catch::Contains("llama-b: writing"));  // finished before the kill
  CHECK_THAT(resumed.out, Catch::Contains("gemma-b: writing"));   // its memory and energy units were not
  CHECK(BaselineFiles(out) == 0);
  const json doc = bitnet::test::ReadJson(out / "report.json");
  bitnet::test::CheckReportShape(doc);
  for (const char* name : {"llama-b", "gemma-b"}) {
    INFO(name);
    CHECK(Run(doc, name)["efficiency"].contains("latency"));
    CHECK(Run(doc, name)["efficiency"].contains("memory"));
  }

  // SIGINT while a baseline is measured: a partial report, and no model file left on disk.
  const fs::path out2 = dir / "out2";
  setenv("BITNET_SUITE_TEST_SIGNAL", "SIGINT@llama-b.efficiency.latency.0", 1);
  const auto interrupted = Exec("--suite " + Quote(suite) + " --out " + Quote(out2));
  unsetenv("BITNET_SUITE_TEST_SIGNAL");
  CHECK(interrupted.code == 130);
  CHECK(bitnet::test::ReadJson(out2 / "report.json")["status"] == "partial");
  CHECK(BaselineFiles(out2) == 0);
}
