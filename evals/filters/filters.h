#pragma once
// lm-eval response filters (lm_eval/filters/{extraction,selection,transformation}.py).
//
// A filter maps the list of responses of ONE document to a new list; a pipeline is a named
// sequence of filters, and its name is the "filter" half of a result key ("exact_match,strict-match").
// When a task lists no filter, lm-eval uses the pipeline "none" = [take_first].
//
// Registered filter functions (MakeFilter names, with their YAML-style arguments):
//   regex              regex_pattern (default "#### (\-?[0-9\.\,]+)"), group_select (0; negative
//                      counts from the end, as a Python index), fallback ("[invalid]").
//                      findall; pick match[group_select]; for a multi-group pattern take the first
//                      non-empty group (none -> fallback); .strip(). An index out of range (a Python
//                      IndexError) yields the fallback here.
//   take_first         keep only the first response.
//   remove_whitespace  strip() (lm-eval HEAD). Argument mode: "lstrip" gives the older (<= v0.4.8
//                      era) lstrip() behaviour.
//   lowercase / uppercase   str.lower() / str.upper().
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

class Filter {
 public:
  virtual ~Filter() = default;
  virtual std::vector<std::string> Apply(std::vector<std::string> resps) const = 0;
};

// Throws std::invalid_argument for an unknown function name or a bad argument.
std::unique_ptr<Filter> MakeFilter(const std::string& function, const nlohmann::json& args = {});
std::vector<std::string> RegisteredFilterNames();

class FilterPipeline {
 public:
  FilterPipeline(std::string name, std::vector<std::unique_ptr<Filter>> steps);
  // {"name": "strict-match", "filter": [{"function": "regex", "regex_pattern": "..."}, ...]}
  static FilterPipeline FromJson(const nlohmann::json& spec);
  const std::string& name() const { return name_; }
  std::vector<std::string> Apply(std::vector<std::string> resps) const;
  // Convenience for the usual single-response case: the first output (or "" when empty).
  std::string ApplyOne(const std::string& resp) const;

 private:
  std::string name_;
  std::vector<std::shared_ptr<Filter>> steps_;
};

// The "none" pipeline (take_first).
FilterPipeline NonePipeline();

// GSM8K (lm_eval/tasks/gsm8k/gsm8k.yaml), in the YAML's order: "strict-match", "flexible-extract".
inline constexpr const char* kGsm8kStrictPattern = "#### (\\-?[0-9\\.\\,]+)";
inline constexpr const char* kGsm8kFlexiblePattern = "(-?[$0-9.,]{2,})|(-?[0-9]+)";
std::vector<FilterPipeline> Gsm8kPipelines();

}  // namespace bitnet::evals
