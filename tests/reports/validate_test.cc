#include <catch2/catch.hpp>

#include "common/error.h"
#include "reports/published.h"
#include "reports/reports.h"
#include "tests/reports/fixtures.h"

using bitnet::InputError;
using bitnet::reports::ValidateReport;
using bitnet::test::Fixture;
using bitnet::test::FixturePath;
using nlohmann::json;

namespace {

// The message of the InputError ValidateReport throws for `doc`, or "" if it accepts it.
std::string Error(const json& doc, const std::string& source = "new.json") {
  try {
    ValidateReport(doc, source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the well-formed fixtures validate", "[reports][validate]") {
  for (const char* name : {"complete.json", "partial.json", "synthetic.json", "skipped.json", "suite_quick.json"}) {
    INFO(name);
    CHECK(Error(Fixture(name)) == "");
    CHECK_NOTHROW(bitnet::reports::LoadReport(FixturePath(name)));
  }
}

TEST_CASE("validation errors name the source and the JSON path", "[reports][validate]") {
  CHECK(Error(Fixture("malformed.json")) == "new.json: runs[0].tasks.arc_easy.results: expected an object");
  CHECK_THROWS_WITH(bitnet::reports::LoadReport(FixturePath("malformed.json")),
                    Catch::Contains("malformed.json: runs[0].tasks.arc_easy.results: expected an object"));

  json doc = Fixture("complete.json");
  SECTION("missing schema") {
    doc.erase("schema");
    CHECK(Error(doc) == "new.json: schema: missing (required)");
  }
  SECTION("wrong schema name") {
    doc["schema"] = "lm-eval";
    CHECK(Error(doc) == "new.json: schema: \"lm-eval\" is not \"bitnet-eval/report\"");
  }
  SECTION("newer schema version refused") {
    doc["schema_version"] = 2;
    CHECK_THAT(Error(doc), Catch::StartsWith("new.json: schema_version: version 2 is newer than this reader (1)"));
  }
  SECTION("schema_version as a string") {
    doc["schema_version"] = "1";
    CHECK(Error(doc) == "new.json: schema_version: expected an integer");
  }
  SECTION("unknown status") {
    doc["status"] = "done";
    CHECK_THAT(Error(doc), Catch::StartsWith("new.json: status: \"done\" is not one of"));
  }
  SECTION("run of an unknown model") {
    doc["runs"][0]["model"] = "other";
    CHECK(Error(doc) == "new.json: runs[0].model: \"other\" is not the name of an entry of models[]");
  }
  SECTION("duplicate model names") {
    doc["models"].push_back(doc["models"][0]);
    CHECK(Error(doc) == "new.json: models[1].name: \"bitnet\" appears twice in models[]");
  }
  SECTION("unknown paper column") {
    doc["models"][0]["paper_column"] = "BitNet 3B";
    CHECK_THAT(Error(doc), Catch::StartsWith("new.json: models[0].paper_column: \"BitNet 3B\" is not a column"));
  }
  SECTION("latency row with a string") {
    doc["runs"][0]["efficiency"]["latency"][1]["tpot_ms"]["mean"] = "fast";
    CHECK(Error(doc) == "new.json: runs[0].efficiency.latency[1].tpot_ms.mean: expected a number");
  }
  SECTION("energy source without availability") {
    doc["runs"][0]["efficiency"]["energy_measured"][0].erase("available");
    CHECK(Error(doc) == "new.json: runs[0].efficiency.energy_measured[0].available: missing (required)");
  }
  SECTION("done task without results") {
    doc["runs"][0]["tasks"]["boolq"].erase("results");
    CHECK(Error(doc) == "new.json: runs[0].tasks.boolq.results: missing (required)");
  }
  SECTION("a metric that is an object; a task key needing quotes") {
    doc["runs"][0]["tasks"]["my task"] = doc["runs"][0]["tasks"]["boolq"];
    doc["runs"][0]["tasks"]["my task"]["results"]["acc,none"] = json::object();
    CHECK(Error(doc) == "new.json: runs[0].tasks[\"my task\"].results[\"acc,none\"]: expected a number (or \"N/A\")");
  }
  SECTION("not an object at all") {
    CHECK(Error(json::array()) == "new.json: (document): expected a JSON object at the top level");
  }
  SECTION("settings.threads: a count or the sweep's list") {
    doc["runs"][0]["settings"]["threads"] = json::array({1, 2});
    CHECK(Error(doc) == "");
    doc["runs"][0]["settings"]["threads"] = json::array({1, "2"});
    CHECK(Error(doc) == "new.json: runs[0].settings.threads: expected an integer or an array of integers");
  }
  SECTION("unknown keys are ignored") {
    doc["future_block"] = {{"x", 1}};
    doc["runs"][0]["tasks"]["boolq"]["new_field"] = "y";
    CHECK(Error(doc) == "");
  }
}

TEST_CASE("LoadReport: unreadable and non-JSON files", "[reports][validate]") {
  CHECK_THROWS_WITH(bitnet::reports::LoadReport("/nonexistent/r.json"), Catch::StartsWith("/nonexistent/r.json: open:"));
  const std::string path = std::string(BITNET_BUILD_DIR) + "/reports-not-json.json";
  bitnet::reports::WriteFileAtomic(path, "{\"schema\": ");
  CHECK_THROWS_WITH(bitnet::reports::LoadReport(path), Catch::Contains("reports-not-json.json: byte 12: not valid JSON"));
  // Hostile nesting is refused before anything recursive touches it.
  bitnet::reports::WriteFileAtomic(path, std::string(100000, '[') + std::string(100000, ']'));
  CHECK_THROWS_WITH(bitnet::reports::LoadReport(path), Catch::Contains("nesting: JSON nested deeper than 64 levels"));
}

TEST_CASE("published tables: Table 1 as in the paper", "[reports][published]") {
  const auto& p = bitnet::reports::Published();
  REQUIRE(p.tables.size() == 3);
  const auto& t1 = p.tables[0];
  REQUIRE(t1.columns.size() == 6);
  REQUIRE(t1.rows.size() == 21);  // memory, latency, energy, training tokens, 16 benchmarks, average
  const int bitnet = t1.ColumnIndex("BitNet b1.58 2B");
  REQUIRE(bitnet == 5);
  double sum = 0;
  int n = 0;
  for (const auto& r : t1.rows)
    if (r.kind == bitnet::reports::RowKind::kTask) sum += r.values[bitnet], ++n;
  CHECK(n == 16);
  // BitNet's printed average is the plain mean of its 16 rows (MT-bench on its 0-10 scale).
  CHECK(sum / n == Approx(t1.rows.back().values[bitnet]).margin(0.005));
  CHECK(t1.rows[2].printed == std::vector<std::string>{"0.258J", "0.186J", "0.347J", "0.425J", "0.649J", "0.028J"});
  CHECK(p.tables[1].ColumnIndex("Qwen2.5 1.5B GPTQ-int4") == 1);
  CHECK(p.tables[2].rows[0].values[0] == 33.19);
}
