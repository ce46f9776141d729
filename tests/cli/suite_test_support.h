#pragma once
// Helpers for the suite tests: reading a report, checking its schema v1 shape, and the parts of
// it that must not change between runs (task results, request hashes).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/reports.h"

namespace bitnet::test {

inline nlohmann::json ReadJson(const std::filesystem::path& p) {
  std::ifstream f(p);
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// The reports library's validation, and the keys the suite always writes.
inline void CheckReportShape(const nlohmann::json& doc) {
  REQUIRE(doc.is_object());
  REQUIRE_NOTHROW(reports::ValidateReport(doc, "report.json"));  // what compare/merge/report accept
  CHECK(doc["schema"] == "bitnet-eval/report");
  CHECK(doc["schema_version"] == 1);
  CHECK((doc["status"] == "complete" || doc["status"] == "partial"));
  CHECK(doc["suite"].is_string());
  CHECK(doc["created_utc"].is_string());
  CHECK(doc["command"].is_array());
  CHECK(doc["tool"]["git_hash"].is_string());
  CHECK(doc["environment"]["cpu_model"].is_string());
  CHECK(doc["environment"]["cpu_flags"].is_array());
  REQUIRE(doc["models"].is_array());
  REQUIRE(doc["runs"].is_array());
  REQUIRE(doc["runs"].size() == doc["models"].size());
  for (size_t i = 0; i < doc["runs"].size(); ++i) {
    const auto& m = doc["models"][i];
    const auto& r = doc["runs"][i];
    CHECK(m["name"].is_string());
    if (m.contains("synthetic_recipe"))  // a baseline written by the run: its recipe, not a hash
      CHECK(m["synthetic_recipe"]["shape"].is_string());
    else
      CHECK(m["sha256"].get<std::string>().size() == 64);
    CHECK(m["synthetic"].is_boolean());
    CHECK(r["model"] == m["name"]);
    CHECK(r["settings"]["kernel"].is_string());
    CHECK(r["efficiency"].is_object());
    CHECK(r["tasks"].is_object());
    CHECK(r["lm_eval"].is_object());
    for (const auto& [name, t] : r["tasks"].items()) {
      INFO(name);
      CHECK(t["status"].is_string());
      CHECK(t["results"].is_object());
    }
  }
  for (const char* k : {"results", "versions", "n-shot", "configs", "higher_is_better", "n-samples"})
    CHECK(doc[k].is_object());
}

// task -> {status, results, request hash}: what must be identical between two runs.
inline nlohmann::json TaskResults(const nlohmann::json& doc) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, t] : doc["runs"][0]["tasks"].items())
    out[name] = {{"status", t["status"]}, {"results", t["results"]}, {"hash", t["request_stream_sha256"]}};
  return out;
}

}  // namespace bitnet::test
