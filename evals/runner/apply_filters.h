#pragma once
// A task's filter_list applied to one response. Kept apart from evals/core/task_config.h on
// purpose: that header and evals/filters/filters.h both declare bitnet::evals::FilterPipeline
// (a struct and a class), so no translation unit may include both; this one takes the task's
// JSON filter_list instead.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

// (pipeline name, filtered response) for every pipeline of `filter_list` (lm-eval's YAML form),
// or {"none", response} (take_first) when the list is null or empty.
std::vector<std::pair<std::string, std::string>> ApplyFilterList(const nlohmann::json& filter_list,
                                                                  const std::string& response);

// The pipeline names of `filter_list`, in order ({"none"} when null or empty).
std::vector<std::string> FilterListNames(const nlohmann::json& filter_list);

}  // namespace bitnet::evals
