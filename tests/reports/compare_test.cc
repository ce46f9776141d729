#include <catch2/catch.hpp>

#include <algorithm>

#include "common/error.h"
#include "reports/reports.h"
#include "tests/reports/fixtures.h"

using namespace bitnet::reports;
using bitnet::test::Fixture;
using nlohmann::json;

namespace {

json& Results(json& doc, const std::string& task) { return doc["runs"][0]["tasks"][task]["results"]; }

const CompareRow* RowFor(const CompareResult& r, const std::string& item) {
  for (const auto& row : r.rows)
    if (row.item == item) return &row;
  return nullptr;
}

CompareOptions Drops(std::initializer_list<const char*> specs) {
  CompareOptions o;
  for (const char* s : specs) o.max_drops.push_back(ParseMaxDrop(s));
  return o;
}

}  // namespace

TEST_CASE("compare: identical reports pass and list the differences", "[reports][compare]") {
  const json doc = Fixture("complete.json");
  const auto r = Compare(doc, doc, Drops({"*=0"}));
  CHECK(r.verdict == Verdict::kPass);
  const CompareRow* row = RowFor(r, "arc_easy acc_norm,none");
  REQUIRE(row);
  CHECK(*row->delta == 0);
  CHECK(row->status == "ok");
  CHECK(RowFor(r, "bench tg128 median t/s"));
  CHECK(RowFor(r, "latency 2 threads TPOT ms"));
  CHECK(RowFor(r, "microbench BM_I2S_Gemv/2560/6912 items/s"));
  CHECK(*RowFor(r, "microbench BM_I2S_Gemv/2560/6912 items/s")->base == 1.12e9);  // the median aggregate
  CHECK_THAT(FormatCompare(r), Catch::Contains("verdict: PASS"));
}

TEST_CASE("compare: --max-drop gates by metric, by task/metric and for all metrics", "[reports][compare]") {
  const json base = Fixture("complete.json");
  json next = base;
  Results(next, "arc_easy")["acc_norm,none"] = 0.7205;  // -1.5 points
  Results(next, "boolq")["acc,none"] = 0.7891;          // -1.0 point

  CHECK(Compare(base, next, {}).verdict == Verdict::kPass);  // no gate: report only
  CHECK(Compare(base, next, Drops({"acc_norm=2"})).verdict == Verdict::kPass);
  const auto r = Compare(base, next, Drops({"acc_norm=1.0"}));
  CHECK(r.verdict == Verdict::kRegression);
  CHECK(RowFor(r, "arc_easy acc_norm,none")->status == "REGRESSION");
  CHECK(*RowFor(r, "arc_easy acc_norm,none")->delta == Approx(-1.5));
  CHECK(RowFor(r, "boolq acc,none")->status == "info");  // acc is not gated by acc_norm=...
  CHECK_THAT(FormatCompare(r), Catch::Contains("verdict: REGRESSION (1 of"));

  CHECK(Compare(base, next, Drops({"*=1.2"})).verdict == Verdict::kRegression);
  CHECK(Compare(base, next, Drops({"*=2"})).verdict == Verdict::kPass);
  CHECK(Compare(base, next, Drops({"boolq/acc=1.1"})).verdict == Verdict::kPass);
  CHECK(Compare(base, next, Drops({"boolq/acc=0.5"})).verdict == Verdict::kRegression);
  // The most specific gate wins: arc_easy/acc_norm=2 overrides acc_norm=1 for arc_easy.
  CHECK(Compare(base, next, Drops({"acc_norm=1", "arc_easy/acc_norm=2"})).verdict == Verdict::kPass);
  // An improvement is never a regression.
  CHECK(Compare(next, base, Drops({"*=0"})).verdict == Verdict::kPass);
}

TEST_CASE("compare: lower-is-better metrics use lm-eval's higher_is_better", "[reports][compare]") {
  json base = Fixture("complete.json");
  base["runs"][0]["lm_eval"]["higher_is_better"]["boolq"]["acc"] = false;
  json next = base;
  Results(next, "boolq")["acc,none"] = 0.8091;  // +1 point, but lower is better
  CHECK(Compare(base, next, Drops({"boolq/acc=0.5"})).verdict == Verdict::kRegression);
}

TEST_CASE("compare: --max-slowdown gates throughput", "[reports][compare]") {
  const json base = Fixture("complete.json");
  json next = base;
  next["runs"][0]["efficiency"]["bench"][1]["median_ts"] = 15.0;  // tg128 -7.9 %
  CompareOptions o;
  o.max_slowdown_pct = 10;
  CHECK(Compare(base, next, o).verdict == Verdict::kPass);
  o.max_slowdown_pct = 5;
  const auto r = Compare(base, next, o);
  CHECK(r.verdict == Verdict::kRegression);
  CHECK(RowFor(r, "bench tg128 median t/s")->status == "REGRESSION");
  CHECK(*RowFor(r, "bench tg128 median t/s")->delta == Approx((15.0 - 16.29) / 16.29 * 100));
  // TPOT is lower-is-better: a higher TPOT is a slowdown.
  json slow = base;
  slow["runs"][0]["efficiency"]["latency"][0]["tpot_ms"]["mean"] = 70.0;
  CHECK(RowFor(Compare(base, slow, o), "latency 2 threads TPOT ms")->status == "REGRESSION");
  CHECK(Compare(slow, base, o).verdict == Verdict::kPass);
  // A bench row absent from new is listed as missing (a changed configuration, not a slowdown).
  json fewer = base;
  fewer["runs"][0]["efficiency"]["bench"].erase(0);
  const auto m = Compare(base, fewer, o);
  CHECK(m.verdict == Verdict::kPass);
  CHECK(RowFor(m, "bench pp128 median t/s")->status == "missing");
}

TEST_CASE("compare: --require-identical-logits", "[reports][compare]") {
  const json base = Fixture("complete.json");
  CompareOptions o;
  o.require_identical_logits = true;
  CHECK(Compare(base, base, o).verdict == Verdict::kPass);
  json next = base;
  next["runs"][0]["logits_fingerprint"]["sha256"] = std::string(64, 'a');
  CHECK(Compare(base, next, o).verdict == Verdict::kRegression);
  next["runs"][0].erase("logits_fingerprint");
  const auto r = Compare(base, next, o);
  CHECK(r.verdict == Verdict::kBadInput);
  CHECK_THAT(r.messages.at(0), Catch::Contains("run bitnet has no logits_fingerprint in new"));
}

TEST_CASE("compare: changed request stream or task version is not comparable", "[reports][compare]") {
  const json base = Fixture("complete.json");
  json next = base;
  next["runs"][0]["tasks"]["arc_easy"]["request_stream_sha256"] = std::string(64, 'e');
  next["runs"][0]["tasks"]["boolq"]["version"] = 2.0;
  Results(next, "arc_easy")["acc_norm,none"] = 0.1;
  const auto r = Compare(base, next, Drops({"*=1"}));
  CHECK(r.verdict == Verdict::kPass);
  CHECK(RowFor(r, "arc_easy")->status == "not comparable");
  CHECK_THAT(RowFor(r, "arc_easy")->note, Catch::Contains("request stream"));
  CHECK_THAT(RowFor(r, "boolq")->note, Catch::Contains("task version 1.0 -> 2.0"));
  // A gate on only non-comparable tasks matched nothing: bad input, not a silent pass.
  const auto only = Compare(base, next, Drops({"arc_easy/acc_norm=1"}));
  CHECK(only.verdict == Verdict::kBadInput);
  CHECK_THAT(only.messages.back(), Catch::Contains("--max-drop arc_easy/acc_norm=1 matched no metric"));
}

TEST_CASE("compare: runs matched by name, else sha256; nothing comparable is bad input", "[reports][compare]") {
  const json base = Fixture("complete.json");
  json renamed = base;
  renamed["models"][0]["name"] = "bitnet-new";
  renamed["runs"][0]["model"] = "bitnet-new";
  CHECK(Compare(base, renamed, Drops({"*=0"})).verdict == Verdict::kPass);  // same sha256
  renamed["models"][0]["sha256"] = std::string(64, '0');
  const auto r = Compare(base, renamed, {});
  CHECK(r.verdict == Verdict::kBadInput);
  CHECK_THAT(r.messages.back(), Catch::Contains("nothing comparable"));
  // A task that disappeared from new is a regression when a gate covers it.
  json lost = base;
  lost["runs"][0]["tasks"]["piqa"]["status"] = "skipped";
  lost["runs"][0]["tasks"]["piqa"]["reason"] = "dataset missing";
  CHECK(Compare(base, lost, Drops({"piqa/acc_norm=5"})).verdict == Verdict::kRegression);
  CHECK(Compare(base, lost, Drops({"arc_easy/acc_norm=5"})).verdict == Verdict::kPass);
  // Invalid input.
  json bad = base;
  bad["runs"][0]["tasks"]["arc_easy"]["results"] = json::array();
  const auto b = Compare(base, bad, {});
  CHECK(b.verdict == Verdict::kBadInput);
  CHECK_THAT(b.messages.at(0), Catch::Contains("new: runs[0].tasks.arc_easy.results: expected an object"));
  // --max-slowdown with nothing to time is bad input.
  json no_eff = base;
  no_eff["runs"][0].erase("efficiency");
  CompareOptions o;
  o.max_slowdown_pct = 5;
  CHECK(Compare(base, no_eff, o).verdict == Verdict::kBadInput);
}

TEST_CASE("compare: --max-drop parsing", "[reports][compare]") {
  CHECK(ParseMaxDrop("acc_norm=1.0").metric == "acc_norm");
  CHECK(ParseMaxDrop("acc_norm=1.0").task.empty());
  CHECK(ParseMaxDrop("arc_easy/acc=1").task == "arc_easy");
  CHECK(ParseMaxDrop("exact_match,strict-match=2.5").points == 2.5);
  for (const char* bad : {"acc_norm", "=1", "acc=", "acc=-1", "acc=x", "/acc=1", "acc=1x", "acc=nan"})
    CHECK_THROWS_AS(ParseMaxDrop(bad), bitnet::UsageError);
}

TEST_CASE("compare: JSON output", "[reports][compare]") {
  const json base = Fixture("complete.json");
  json next = base;
  Results(next, "arc_easy")["acc_norm,none"] = 0.70;
  const json j = CompareJson(Compare(base, next, Drops({"acc_norm=1"})));
  CHECK(j["verdict"] == "regression");
  CHECK(j["exit_code"] == 1);
  bool found = false;
  for (const auto& row : j["rows"])
    if (row["item"] == "arc_easy acc_norm,none") found = row["status"] == "REGRESSION";
  CHECK(found);
}

TEST_CASE("compare: two runs of the quick suite (the CI gate of the project)", "[reports][compare]") {
  const json base = Fixture("suite_quick.json");
  CompareOptions o{{ParseMaxDrop("*=0")}, std::nullopt, true};
  CHECK(Compare(base, base, o).verdict == Verdict::kPass);
  json next = base;
  next["runs"][0]["logits_fingerprint"]["sha256"] = std::string(64, '1');
  CHECK(Compare(base, next, o).verdict == Verdict::kRegression);
}
