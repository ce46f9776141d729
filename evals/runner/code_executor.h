#pragma once
// What the runner needs to run model-written code (HumanEval+): an interface, so evals does not
// depend on harness. harness/sandbox/sandbox_executor.h implements it with the sandbox
// (python3 -I in a throw-away process tree, no network, read-only filesystem); bitnet-eval eval
// injects it only with --allow-code-execution.
#include <cstdint>
#include <string>
#include <vector>

namespace bitnet::evals {

struct CodeFile {
  std::string path;       // relative to a fresh working directory
  std::string contents;
};

struct CodeLimits {
  double cpu_seconds = 10;
  double wall_seconds = 20;                    // the whole run
  uint64_t memory_bytes = 4ull << 30;          // address space per process (evalplus: 4 GiB)
  size_t max_output_bytes = 1 << 20;           // per stream; past it the run fails
};

struct CodeResult {
  bool started = false;
  std::string error;                           // setup failure ("" when none)
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  std::string killed_reason;                   // "none", "cpu", "wall", "memory", "output", "file_size"
  std::string stdout_text, stderr_text;
  double wall_seconds = 0;

  bool Succeeded() const {
    return started && error.empty() && term_signal == 0 && exit_code == 0 &&
           (killed_reason.empty() || killed_reason == "none");
  }
};

class CodeExecutor {
 public:
  virtual ~CodeExecutor() = default;
  // Runs `python3 -I <main>` in a fresh directory holding `files`. Never throws for anything the
  // program does.
  virtual CodeResult RunPython(const std::vector<CodeFile>& files, const std::string& main,
                               const std::string& stdin_data, const CodeLimits& limits) = 0;
  // What isolation is in effect (recorded in the output); "" if unknown.
  virtual std::string Describe() const { return ""; }
};

}  // namespace bitnet::evals
