#include "evals/runner/apply_filters.h"

#include <fmt/format.h>

#include <stdexcept>

#include "common/error.h"
#include "evals/filters/filters.h"

namespace bitnet::evals {

std::vector<std::pair<std::string, std::string>> ApplyFilterList(const nlohmann::json& filter_list,
                                                                  const std::string& response) {
  std::vector<std::pair<std::string, std::string>> out;
  if (filter_list.is_null() || filter_list.empty()) {
    out.emplace_back("none", response);
    return out;
  }
  for (const auto& spec : filter_list) {
    try {
      const FilterPipeline p = FilterPipeline::FromJson(spec);
      out.emplace_back(p.name(), p.ApplyOne(response));
    } catch (const std::invalid_argument& e) {
      throw InputError("task file", "filter_list " + spec.dump(), e.what());
    }
  }
  return out;
}

std::vector<std::string> FilterListNames(const nlohmann::json& filter_list) {
  std::vector<std::string> out;
  for (const auto& [name, resp] : ApplyFilterList(filter_list, "")) out.push_back(name);
  return out;
}

}  // namespace bitnet::evals
