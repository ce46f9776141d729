#pragma once
// Internal to harness/sandbox: what the parent hands to the sandbox init process, and the fixed-size
// records that process writes back. The child side runs right after a raw clone() of a possibly
// multi-threaded process, so it uses plain system calls only: no malloc, no locks, no glibc set*id
// wrappers (they would try to signal threads that do not exist in the child).
#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bitnet::harness::sandbox::detail {

// Isolation bits, reported by the child once set up (mirrors Isolation in sandbox.h).
enum : uint32_t {
  kIsoNet = 1u << 0,
  kIsoUser = 1u << 1,
  kIsoPid = 1u << 2,
  kIsoReadonly = 1u << 3,
  kIsoSeccomp = 1u << 4,
  kIsoUid = 1u << 5,
};

// Steps of the child's setup; a failure names one of them.
enum Stage : int32_t {
  kStageFds = 1, kStageUserMap, kStageMounts, kStageCreds, kStageDeathSig, kStageParentGone,
  kStageRlimits, kStageNoNewPrivs, kStageSeccomp, kStageChdir, kStageFork, kStageExec,
  kStageNoNetIsolation,
};
const char* StageName(int32_t stage);

enum ReportKind : int32_t { kReportReady = 1, kReportError = 2, kReportExit = 3 };

// Written whole (< PIPE_BUF, so atomically) on the report pipe.
struct ChildReport {
  int32_t kind = 0;
  uint32_t flags = 0;      // kReportReady: kIso* bits in effect
  int32_t stage = 0;       // kReportError
  int32_t err = 0;         // kReportError: errno
  int32_t wait_status = 0; // kReportExit: wait4 status of the program
  int32_t pad = 0;
  int64_t cpu_usec = 0;    // kReportExit: user+sys of the program (and its reaped children)
};

struct ChildConfig {
  // Program.
  const char* exe = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* workdir = nullptr;
  // Descriptors in the parent; the child moves them to 0,1,2 (stdio), 3 (report), 4 (lifeline).
  int stdin_fd = -1, out_w = -1, err_w = -1, report_w = -1, lifeline_r = -1;
  // Namespaces requested in the clone flags (the child sets up what belongs to each).
  bool user_ns = false, mount_ns = false, pid_ns = false, net_ns = false;
  const char* uid_map = nullptr;  // user_ns: "<outer uid> <outer uid> 1\n" (same for gid)
  const char* gid_map = nullptr;
  // Root only: switch to this uid/gid (a per-run id with no passwd entry).
  bool drop_uid = false;
  uid_t uid = 0;
  gid_t gid = 0;
  rlim_t cpu_s = 0, as_bytes = 0, nproc = 0, fsize = 0, nofile = 0;
  // Seccomp program (empty: none available).
  const sock_filter* filter = nullptr;
  unsigned short filter_len = 0;
  bool require_net_isolation = true;
};

// The sandbox init: sets up isolation, forks the program, reaps, reports, exits.
[[noreturn]] void ChildMain(const ChildConfig& cfg);

// The socket/io_uring filter as raw BPF, built once (empty with a reason when unavailable).
const std::vector<sock_filter>& SeccompFilter(std::string* why_missing);

}  // namespace bitnet::harness::sandbox::detail
