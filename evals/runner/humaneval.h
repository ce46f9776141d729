#pragma once
// HumanEval+ scoring the evalplus way (EVALS.md §2): the solution (the generation, or prompt +
// generation when it does not define entry_point) runs in one process per sample and test set,
// its output on each base_input / plus_input is compared with the canonical solution's output
// (computed once per task by running prompt + canonical_solution through the same executor), with
// evalplus' float rule (atol, 1e-6 for float outputs when the task's atol is 0; find_zero
// also accepts abs(poly(x)) <= atol). Per-input time limit: max(1 s, 4 x the canonical solution's time). A crash,
// timeout, limit hit or mismatch on any input fails the set; plus passes only if base passes too.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/runner/code_executor.h"

namespace bitnet::evals {

struct HumanEvalSetResult {
  bool passed = false;
  std::string status;          // "pass", "fail", "timeout", "error", "skipped"
  std::string detail;          // first failing input / error text (short)
};

struct HumanEvalResult {
  std::string solution;        // the program that was run
  HumanEvalSetResult base, plus;
  // Set when the task's canonical solution failed or timed out in the executor (then no
  // expected outputs exist: both sets are "error", the sample scores 0, the run goes on).
  std::string canonical_error;
};

// The code evalplus would run for this generation: markdown fences removed; prompt + generation
// unless the generation itself defines `def <entry_point>(`.
std::string BuildHumanEvalSolution(const nlohmann::json& doc, const std::string& generation);

// The python driver (exposed for tests).
const std::string& HumanEvalDriverSource();

class HumanEvalChecker {
 public:
  explicit HumanEvalChecker(CodeExecutor& exec) : exec_(exec) {}
  // A canonical solution that fails or exceeds its limits is a per-task error in the result
  // (canonical_error), computed once per task.
  HumanEvalResult Check(const nlohmann::json& doc, const std::string& generation);

  double min_time_limit = 1.0;       // evalplus DEFAULT_MIN_TIME_LIMIT
  double gt_time_factor = 4.0;       // evalplus DEFAULT_GT_TIME_LIMIT_FACTOR

 private:
  struct Expected {
    std::string outputs_json;        // raw (may hold NaN / Infinity)
    std::vector<double> times;
  };
  struct TaskCache {
    Expected base, plus;
    std::string error;               // the canonical solution failed
  };
  const TaskCache& Ground(const nlohmann::json& doc);
  Expected RunGround(const nlohmann::json& doc, const nlohmann::json& inputs);
  HumanEvalSetResult RunSet(const nlohmann::json& doc, const std::string& solution, const nlohmann::json& inputs,
                            const Expected& exp);

  CodeExecutor& exec_;
  std::map<std::string, TaskCache> cache_;
};

}  // namespace bitnet::evals
