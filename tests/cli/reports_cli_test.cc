// `bitnet-eval report`, `compare` and `merge` as scripts and CI call them: outputs, files written,
// exit codes (compare: 0 pass, 1 regression, 2 bad input).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/run_cli.h"
#include "tests/test_support.h"

namespace {

namespace fs = std::filesystem;
using bitnet::test::Exec;
using bitnet::test::Quote;
using nlohmann::json;

std::string Fixture(const std::string& name) { return Quote(fs::path(BITNET_REPORTS_FIXTURES) / name); }

json ReadJson(const fs::path& p) {
  std::ifstream f(p);
  return json::parse(f);
}

std::string ReadText(const fs::path& p) {
  std::ifstream f(p);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void WriteJson(const fs::path& p, const json& j) { std::ofstream(p) << j.dump(1); }

}  // namespace

TEST_CASE("report: re-renders a saved report as Markdown and HTML", "[cli][reports]") {
  const auto dir = bitnet::test::TempDir("cli-report");
  const auto html = dir / "r.html";
  const auto r = Exec("report " + Fixture("skipped.json") + " --html " + Quote(html) + " --markdown");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("| ARC-Challenge (0-shot; acc_norm) | 49.91 | 48.12 |"));
  const std::string h = ReadText(html);
  CHECK_THAT(h, Catch::Contains("<table class=\"paper\" id=\"table1\">"));
  CHECK_THAT(h, Catch::Contains("needs --allow-code-execution"));
  // Markdown only by default.
  const auto md = Exec("report " + Fixture("partial.json"));
  CHECK(md.code == 0);
  CHECK_THAT(md.out, Catch::Contains("**PARTIAL REPORT**"));
}

TEST_CASE("report: bad input exits 2 with the file and JSON path", "[cli][reports]") {
  const auto r = Exec("report " + Fixture("malformed.json"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("malformed.json: runs[0].tasks.arc_easy.results: expected an object"));
  CHECK(Exec("report /nonexistent/report.json").code == 2);
  CHECK(Exec("report").code == 2);
}

TEST_CASE("compare: exit codes for each gating option", "[cli][reports][compare]") {
  const auto dir = bitnet::test::TempDir("cli-compare");
  const std::string base = Fixture("complete.json");
  json j = ReadJson(fs::path(BITNET_REPORTS_FIXTURES) / "complete.json");
  j["runs"][0]["tasks"]["arc_easy"]["results"]["acc_norm,none"] = 0.7205;  // -1.5 points
  j["runs"][0]["efficiency"]["bench"][1]["median_ts"] = 15.0;             // tg128 -7.9 %
  const auto next = dir / "new.json";
  WriteJson(next, j);

  auto r = Exec("compare " + base + " " + base);
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("verdict: PASS"));

  r = Exec("compare " + base + " " + Quote(next) + " --max-drop acc_norm=1.0 --json " + Quote(dir / "cmp.json"));
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("arc_easy acc_norm,none") && Catch::Contains("REGRESSION"));
  CHECK(ReadJson(dir / "cmp.json")["verdict"] == "regression");
  CHECK(Exec("compare " + base + " " + Quote(next) + " --max-drop acc_norm=2").code == 0);
  CHECK(Exec("compare " + base + " " + Quote(next) + " --max-drop '*=1'").code == 1);
  CHECK(Exec("compare " + base + " " + Quote(next) + " --max-drop arc_easy/acc_norm=1 --max-drop boolq/acc=0").code == 1);
  CHECK(Exec("compare " + base + " " + Quote(next) + " --max-drop boolq/acc=0").code == 0);
  CHECK(Exec("compare " + base + " " + Quote(next) + " --max-slowdown 5").code == 1);
  CHECK(Exec("compare " + base + " " + Quote(next) + " --max-slowdown 10").code == 0);
  CHECK(Exec("compare " + base + " " + base + " --require-identical-logits").code == 0);

  // Bad input: no fingerprint, invalid file, unreadable file, bad gate, unmatched gate.
  r = Exec("compare " + base + " " + Fixture("partial.json") + " --require-identical-logits");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("has no logits_fingerprint in new"));
  r = Exec("compare " + base + " " + Fixture("malformed.json"));
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("malformed.json: runs[0].tasks.arc_easy.results: expected an object"));
  CHECK(Exec("compare " + base + " /nonexistent.json").code == 2);
  CHECK(Exec("compare " + base + " " + base + " --max-drop acc_norm").code == 2);
  CHECK(Exec("compare " + base + " " + base + " --max-drop no_such_metric=1").code == 2);
  CHECK(Exec("compare " + base + " " + Fixture("synthetic.json")).code == 2);  // no run in common
  CHECK(Exec("compare " + base).code == 2);
}

TEST_CASE("merge: one HTML and JSON with a column per (machine, model)", "[cli][reports][merge]") {
  const auto dir = bitnet::test::TempDir("cli-merge");
  json i7 = ReadJson(fs::path(BITNET_REPORTS_FIXTURES) / "complete.json");
  i7["environment"]["cpu_model"] = "Intel(R) Core(TM) i7-13800H";
  const auto i7_path = dir / "i7.json";
  WriteJson(i7_path, i7);
  const auto r = Exec("merge " + Fixture("complete.json") + " " + Quote(i7_path) + " " + Fixture("synthetic.json") +
                      " --html " + Quote(dir / "m.html") + " --json " + Quote(dir / "m.json"));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("| TPOT mean, 2 threads | ms |"));
  const json m = ReadJson(dir / "m.json");
  CHECK(m["schema"] == "bitnet-eval/merged-report");
  CHECK(m["columns"].size() == 3);
  CHECK_THAT(ReadText(dir / "m.html"), Catch::Contains("Intel(R) Core(TM) i7-13800H (2 cores) · bitnet"));
  // The merged document re-renders with `report`.
  const auto again = Exec("report " + Quote(dir / "m.json") + " --html " + Quote(dir / "again.html"));
  CHECK(again.code == 0);
  CHECK(ReadText(dir / "again.html") == ReadText(dir / "m.html"));
  // Invalid input: exit 2 naming the file.
  const auto bad = Exec("merge " + Fixture("complete.json") + " " + Fixture("malformed.json"));
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("malformed.json: runs[0].tasks.arc_easy.results"));
}
