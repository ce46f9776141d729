#include "harness/sandbox/sandbox_executor.h"

namespace bitnet::harness::sandbox {

evals::CodeResult SandboxExecutor::RunPython(const std::vector<evals::CodeFile>& files, const std::string& main,
                                             const std::string& stdin_data, const evals::CodeLimits& limits) {
  SandboxSpec spec = base_;
  spec.argv = {"python3", "-I", main};
  spec.files.clear();
  for (const auto& f : files) spec.files.push_back({f.path, f.contents, false});
  spec.stdin_data = stdin_data;
  spec.limits.cpu_seconds = limits.cpu_seconds;
  spec.limits.wall_seconds = limits.wall_seconds;
  spec.limits.address_space_bytes = limits.memory_bytes;
  spec.limits.max_output_bytes = limits.max_output_bytes;
  spec.extra_env.push_back("OMP_NUM_THREADS=1");
  const SandboxResult r = Run(spec);
  last_isolation_ = r.isolation.Describe();
  evals::CodeResult out;
  out.started = r.started;
  out.error = r.error;
  out.exit_code = r.exit_code;
  out.term_signal = r.term_signal;
  out.timed_out = r.timed_out;
  out.killed_reason = ToString(r.killed_reason);
  out.stdout_text = r.stdout_text;
  out.stderr_text = r.stderr_text;
  out.wall_seconds = r.wall_seconds;
  if (r.stdout_truncated && out.error.empty()) out.error = "stdout truncated";
  return out;
}

}  // namespace bitnet::harness::sandbox
