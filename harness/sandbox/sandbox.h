#pragma once
// Runs untrusted, model-written programs (HumanEval+ solutions, MATH checkers) in a throw-away
// process tree with resource limits, no network and a read-only view of the filesystem outside a
// fresh working directory. Linux only. See harness/sandbox/README.md for what is isolated how,
// and for the residual risks.
//
//   SandboxSpec spec;
//   spec.argv = {"python3", "-I", "prog.py"};
//   spec.files = {{"prog.py", source}};
//   spec.limits.wall_seconds = 10;
//   SandboxResult r = Run(spec);
//   bool passed = r.Succeeded() && r.stdout_text == expected;
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bitnet::harness::sandbox {

struct SandboxLimits {
  double cpu_seconds = 10;                       // RLIMIT_CPU per process (rounded up to 1 s)
  double wall_seconds = 20;                      // whole run; then the whole tree is SIGKILLed
  uint64_t address_space_bytes = 4ull << 30;     // RLIMIT_AS per process (evalplus: 4 GiB)
  int max_processes = 64;                        // processes + threads of the sandbox tree
  uint64_t max_file_bytes = 64ull << 20;         // RLIMIT_FSIZE
  int max_open_files = 256;                      // RLIMIT_NOFILE
  size_t max_output_bytes = 1 << 20;             // captured per stream; the rest is dropped
};

struct SandboxFile {
  std::string path;      // relative to the working directory; no "..", no leading "/"
  std::string contents;
  bool executable = false;
};

struct SandboxSpec {
  std::vector<std::string> argv;          // argv[0] is looked up in path_env unless it has a '/'
  std::vector<SandboxFile> files;         // created in the fresh working directory
  std::string stdin_data;
  SandboxLimits limits;
  std::string path_env = "/usr/local/bin:/usr/bin:/bin";
  std::string lang_env = "C.UTF-8";
  std::vector<std::string> extra_env;     // "KEY=VALUE", e.g. "OMP_NUM_THREADS=1"
  bool kill_on_output_overflow = true;    // output past the cap kills the run (reason kOutput)
  // Refuse to run when neither a network namespace nor the seccomp socket filter could be set up.
  bool require_network_isolation = true;
  std::filesystem::path temp_root;        // empty: std::filesystem::temp_directory_path()
  // false: no namespaces at all (rlimits, seccomp and, as root, the per-run uid only). For tests
  // of the fallback used where the kernel refuses namespaces; weaker, see README.md.
  bool use_namespaces = true;
};

enum class KilledReason { kNone, kCpu, kWall, kMemory, kOutput, kFileSize };
const char* ToString(KilledReason r);

// What was actually in effect for one run (it depends on privileges and the kernel).
struct Isolation {
  bool net_namespace = false;    // empty network namespace (only a down loopback)
  bool user_namespace = false;   // non-root: the namespaces hang off a new user namespace
  bool pid_namespace = false;    // the tree dies with its init; no other process is nameable
  bool mount_readonly = false;   // everything but the working directory is mounted read-only
  bool seccomp = false;          // socket(AF_INET/AF_INET6/AF_PACKET) and io_uring fail
  bool uid_dropped = false;      // root only: ran as a per-run unprivileged uid
  uint32_t uid = 0;              // uid the program ran as (host view)
  std::string missing;           // why something above is off ("" when all is on)

  bool network_isolated() const { return net_namespace || seccomp; }
  std::string Describe() const;  // e.g. "netns+pidns+ro-fs+seccomp+uid=1610612800"
};

struct SandboxResult {
  bool started = false;          // false: the program never ran; see error
  std::string error;             // setup failure or supervisor trouble ("" when none)
  int exit_code = -1;            // when the program exited normally
  int term_signal = 0;           // when it was killed by a signal (ours or its own)
  bool timed_out = false;        // killed at the CPU or wall limit
  KilledReason killed_reason = KilledReason::kNone;
  std::string stdout_text, stderr_text;
  bool stdout_truncated = false, stderr_truncated = false;
  double wall_seconds = 0;       // spawn to exit (or kill)
  double cpu_seconds = 0;        // user+sys of the program and the children it waited for
  int supervisor_pid = 0;        // host pid of the sandbox init; also its process group id
  Isolation isolation;

  // True only for a clean exit 0 within every limit; anything else is a failed sample.
  bool Succeeded() const {
    return started && error.empty() && term_signal == 0 && exit_code == 0 &&
           killed_reason == KilledReason::kNone;
  }
};

// Never throws for anything the program does; never blocks past the wall limit plus a short grace.
SandboxResult Run(const SandboxSpec& spec);

}  // namespace bitnet::harness::sandbox
