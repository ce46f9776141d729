#pragma once
// Internal: the instruction checkers, one factory per instruction id, grouped by file.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals::ifeval {

using Checker = std::function<bool(const std::string& response)>;
// Builds the checker from kwargs (falsy values already dropped) and the prompt; throws
// std::invalid_argument for missing/invalid kwargs.
using Factory = Checker (*)(const nlohmann::json& kwargs, const std::string& prompt);

struct InstructionDef {
  const char* id;
  Factory make;
  const char* fidelity;  // "exact" or a short note on the approximation
};

void AddKeywordInstructions(std::vector<InstructionDef>& out);   // keywords:*, language:*
void AddLengthInstructions(std::vector<InstructionDef>& out);    // length_constraints:*
void AddFormatInstructions(std::vector<InstructionDef>& out);    // detectable_format:*, detectable_content:*
void AddMiscInstructions(std::vector<InstructionDef>& out);      // combination, startend, change_case, punctuation

// kwargs helpers (after falsy-dropping): required values throw when absent.
int RequireInt(const nlohmann::json& kw, const char* key);
std::string RequireString(const nlohmann::json& kw, const char* key);
std::vector<std::string> RequireStrings(const nlohmann::json& kw, const char* key);
// "less than" -> true, "at least" -> false; anything else throws (as IFEval's ValueError).
bool RequireLessThan(const nlohmann::json& kw, const char* key);
inline bool Compare(bool less_than, int actual, int threshold) {
  return less_than ? actual < threshold : actual >= threshold;
}

}  // namespace bitnet::evals::ifeval
