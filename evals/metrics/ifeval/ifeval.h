#pragma once
// IFEval (google-research instruction_following_eval; lm_eval/tasks/ifeval is a port).
//
// All 25 registered instruction ids are implemented (see KnownInstructionIds()). Per prompt:
//  strict: instruction i followed iff response.strip() != "" and check_i(response)
//  loose:  followed iff any of 8 variants passes the same test: response; response with "*"
//          removed; without its first line; without its last line; without both; and the
//          "*"-removed forms of the last three (lines split on "\n", re-joined, then strip()).
// Metrics: prompt_level_{strict,loose}_acc = mean over prompts of all(followed) (aggregation
// "mean", closed-form stderr); inst_level_{strict,loose}_acc = followed / total instructions
// pooled over prompts (aggregation "ifeval_inst_level", stderr N/A) — as lm-eval reports them.
//
// kwargs follow lm-eval: falsy values (null, 0, "", []) are dropped before building, as in
// lm_eval/tasks/ifeval/utils.py. Where Python would then draw a RANDOM value (a missing required
// kwarg), this implementation cannot reproduce it and reports the instruction as not followed
// with an error (never happens on the released input_data.jsonl; a test checks every prompt).
//
// Approximations (see text.h): sentence counting (punkt), word_tokenize (capital words),
// langdetect (language:response_language, change_case:english_capital/english_lowercase).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/metrics/registry.h"

namespace bitnet::evals::ifeval {

struct Prompt {
  int key = 0;
  std::string prompt;
  std::vector<std::string> instruction_ids;
  std::vector<nlohmann::json> kwargs;  // one object per instruction id
  static Prompt FromJson(const nlohmann::json& j);  // an input_data.jsonl / google/IFEval row
};

struct Result {
  std::vector<bool> strict, loose;   // per instruction
  bool prompt_strict = false, prompt_loose = false;
  std::vector<std::string> errors;  // instruction build errors (counted as not followed)
};

Result Evaluate(const Prompt& prompt, const std::string& response);

// Whether strict checking of `instruction_id` with `kwargs` on `response` passes (no strip test).
bool CheckInstruction(const std::string& instruction_id, const nlohmann::json& kwargs,
                      const std::string& prompt, const std::string& response);

std::vector<std::string> KnownInstructionIds();
bool IsKnownInstruction(const std::string& id);
// Documentation of how faithfully an instruction is implemented ("exact" or the approximation).
std::string InstructionFidelity(const std::string& id);

// The four lm-eval metrics over a set of results: keys prompt_level_strict_acc,
// inst_level_strict_acc, prompt_level_loose_acc, inst_level_loose_acc -> per-sample Items ready
// for AggregateMetric(name, items).
std::vector<std::pair<std::string, std::vector<Item>>> MetricItems(const std::vector<Result>& results);

}  // namespace bitnet::evals::ifeval
