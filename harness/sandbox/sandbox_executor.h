#pragma once
// evals::CodeExecutor on the sandbox (sandbox.h): python3 -I in a throw-away process tree with the
// given limits, no network, read-only filesystem outside a fresh working directory.
#include "evals/runner/code_executor.h"
#include "harness/sandbox/sandbox.h"

namespace bitnet::harness::sandbox {

class SandboxExecutor : public evals::CodeExecutor {
 public:
  SandboxExecutor() = default;
  explicit SandboxExecutor(SandboxSpec base) : base_(std::move(base)) {}
  evals::CodeResult RunPython(const std::vector<evals::CodeFile>& files, const std::string& main,
                              const std::string& stdin_data, const evals::CodeLimits& limits) override;
  std::string Describe() const override { return last_isolation_; }

 private:
  SandboxSpec base_;                 // path_env, temp_root, extra_env ... (argv/files/limits are set per run)
  std::string last_isolation_;
};

}  // namespace bitnet::harness::sandbox
