#pragma once
// Plain-text pieces of a report shared by the renderers (no markup; callers escape).
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bitnet::reports {

// "interrupted by SIGINT at task mmlu_anatomy; rows after it were not run".
std::string PartialText(const nlohmann::json& doc);

// One line per probe result of runs[].efficiency: latency per thread count, memory, energy.
std::vector<std::string> EfficiencyLines(const nlohmann::json& efficiency);

struct TaskSummary {
  std::string status;       // "done", "skipped: why", ...
  std::string metric;       // the primary metric (or the first metric of the results)
  std::string value;        // "0.2600" or ""
  std::string stderr_text;  // "0.0100" or ""
};
TaskSummary SummarizeTask(const nlohmann::json& task);

// "git d492455 · model bitnet sha256 ab12… · kernel avx2 · 2 threads".
// "make-model --shape S --type T --seed N" for a model block with a synthetic_recipe (a baseline
// written by the run and not hashed), else empty.
std::string RecipeText(const nlohmann::json& model);

std::string ReproLine(const nlohmann::json& doc);

// The string elements of obj[key] when it is an array (notes of a run or a task).
std::vector<std::string> Notes(const nlohmann::json& obj, const char* key = "notes");

// settings.threads as text: "2", "1,2" (a sweep) or "?".
std::string ThreadsText(const nlohmann::json* settings);

// Milliseconds with the precision that keeps 3 significant digits for small values: 61.4, 1.23, 0.0421.
std::string Ms(double ms);

// 1187801280 -> "1.19 GB".
std::string Bytes(double bytes);

}  // namespace bitnet::reports
