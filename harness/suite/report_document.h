#pragma once
// Assembles the report document (docs/REPORT_SCHEMA.md, schema v1) of a suite run from the units
// finished so far (run_state.h): complete at the end, "partial" when interrupted. Tasks that did
// not run carry their status ("skipped" with the reason, or "not_run") so no row is silent.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/suite/accuracy.h"
#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

struct ReportInputs {
  const SuiteDefinition* suite = nullptr;
  nlohmann::json command = nlohmann::json::array();
  std::string created_utc;
  nlohmann::json tool, environment;
  nlohmann::json models = nlohmann::json::array();   // one block per model (schema "models")
  std::vector<nlohmann::json> settings;               // runs[i].settings
  std::vector<PlannedTask> tasks;
  std::map<std::string, std::string> skipped;         // concrete task -> reason (model independent)
  std::map<std::string, std::string> failed;          // UnitKey(model, "task." + task) -> error
  std::vector<std::string> notes;                     // top-level notes (synthetic weights, bounds)
  std::map<std::string, std::string> accuracy_not_run;   // model -> why none of its tasks run (baselines)
  std::map<std::string, std::string> efficiency_skipped; // model -> why its probes did not run (runs[].efficiency_skipped)
  nlohmann::json baselines;                           // the report's "baselines" block; null: the suite has none
};

// State keys of one model's units.
std::string UnitKey(const std::string& model, const std::string& unit);

// `interrupted`: null, or {"signal", "at"}.
nlohmann::json AssembleReport(const ReportInputs& in, const std::map<std::string, nlohmann::json>& units,
                              const std::string& status, const nlohmann::json& interrupted);

// UTC now as 2026-11-24T06:00:00Z.
std::string UtcNow();

}  // namespace bitnet::suite
