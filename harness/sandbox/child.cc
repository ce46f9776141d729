// The sandbox init process (see child.h for the rules this code lives by: raw system calls only).
//
// Order matters:
//   1. descriptors to 0,1,2 (stdio), 3 (report, close-on-exec), 4 (lifeline); everything else closed;
//   2. user namespace maps (non-root), then mounts: "/" read-only recursively, the working
//      directory bound onto itself and left writable, a fresh /proc for the new pid namespace;
//   3. credentials (root: a per-run uid/gid with no groups); this clears PR_SET_PDEATHSIG, so
//   4. the parent-death signal is set only now, and the lifeline tells whether the parent is
//      already gone;
//   5. rlimits, no_new_privs, the seccomp filter, chdir;
//   6. report "ready", fork the program, reap until it exits, report its status, exit (as pid 1 of
//      a pid namespace, the kernel then kills whatever the program left behind).
#include "harness/sandbox/child.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

namespace bitnet::harness::sandbox::detail {

const char* StageName(int32_t stage) {
  switch (stage) {
    case kStageFds: return "descriptors";
    case kStageUserMap: return "user namespace id maps";
    case kStageMounts: return "read-only mounts";
    case kStageCreds: return "dropping to the sandbox uid";
    case kStageDeathSig: return "PR_SET_PDEATHSIG";
    case kStageParentGone: return "parent exited during setup";
    case kStageRlimits: return "rlimits";
    case kStageNoNewPrivs: return "PR_SET_NO_NEW_PRIVS";
    case kStageSeccomp: return "seccomp filter";
    case kStageChdir: return "chdir to the working directory";
    case kStageFork: return "fork of the program";
    case kStageExec: return "exec of the program";
    case kStageNoNetIsolation: return "no network isolation (neither netns nor seccomp)";
    default: return "unknown stage";
  }
}

namespace {

constexpr int kReportFd = 3;
constexpr int kLifelineFd = 4;
int g_report_fd = -1;  // the child's own copy of this global; set before any Report()

// glibc 2.36's <sys/mount.h> and <linux/mount.h> clash, so the mount_setattr ABI is spelled here.
struct MountAttr {
  uint64_t attr_set = 0, attr_clr = 0, propagation = 0, userns_fd = 0;
};
constexpr uint64_t kMountAttrRdonly = 0x1, kMountAttrNosuid = 0x2;

void Report(const ChildReport& r) {
  const char* p = reinterpret_cast<const char*>(&r);
  size_t left = sizeof(r);
  while (left > 0) {
    ssize_t n = write(g_report_fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

[[noreturn]] void Fail(Stage stage, int err) {
  ChildReport r;
  r.kind = kReportError;
  r.stage = stage;
  r.err = err;
  Report(r);
  _exit(127);
}
[[noreturn]] void Fail(Stage stage) { Fail(stage, errno); }

void MoveFds(const ChildConfig& c) {
  const int src[5] = {c.stdin_fd, c.out_w, c.err_w, c.report_w, c.lifeline_r};
  int tmp[5];
  for (int i = 0; i < 5; ++i) {  // first out of the way of 0..4, so no dup2 clobbers a source
    tmp[i] = fcntl(src[i], F_DUPFD, 10);
    if (tmp[i] < 0) Fail(kStageFds);
  }
  for (int i = 0; i < 5; ++i) {
    if (dup2(tmp[i], i) < 0) Fail(kStageFds);
  }
  g_report_fd = kReportFd;
  if (syscall(SYS_close_range, 5u, ~0u, 0u) != 0) {
    for (int fd = 5; fd < 65536; ++fd) close(fd);
  }
  if (fcntl(kReportFd, F_SETFD, FD_CLOEXEC) != 0) Fail(kStageFds);
}

bool WriteProcFile(const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t len = strlen(text);
  bool ok = write(fd, text, len) == static_cast<ssize_t>(len);
  close(fd);
  return ok;
}

// Everything read-only except the working directory. Returns false (errno set) on failure.
bool SetUpMounts(const ChildConfig& c) {
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
  if (mount(c.workdir, c.workdir, nullptr, MS_BIND | MS_REC, nullptr) != 0) return false;
  MountAttr ro;
  ro.attr_set = kMountAttrRdonly | kMountAttrNosuid;
  if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof(ro)) != 0) return false;
  MountAttr rw;
  rw.attr_clr = kMountAttrRdonly;
  if (syscall(SYS_mount_setattr, AT_FDCWD, c.workdir, 0, &rw, sizeof(rw)) != 0) return false;
  if (c.pid_ns) {  // best effort: hides host processes from /proc; the old one stays otherwise
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, nullptr);
  }
  return true;
}

void DropCreds(const ChildConfig& c) {
  if (syscall(SYS_setgroups, 0, nullptr) != 0) Fail(kStageCreds);
  if (syscall(SYS_setresgid, c.gid, c.gid, c.gid) != 0) Fail(kStageCreds);
  if (syscall(SYS_setresuid, c.uid, c.uid, c.uid) != 0) Fail(kStageCreds);
}

void SetLimit(int resource, rlim_t soft, rlim_t hard) {
  rlimit cur{};
  if (getrlimit(resource, &cur) != 0) Fail(kStageRlimits);
  if (hard > cur.rlim_max) hard = cur.rlim_max;  // cannot raise; keep the stricter one
  if (soft > hard) soft = hard;
  rlimit want{soft, hard};
  if (setrlimit(resource, &want) != 0) Fail(kStageRlimits);
}

void SetLimits(const ChildConfig& c) {
  SetLimit(RLIMIT_CORE, 0, 0);
  SetLimit(RLIMIT_CPU, c.cpu_s, c.cpu_s + 1);  // SIGXCPU at the soft limit, SIGKILL 1 s later
  SetLimit(RLIMIT_AS, c.as_bytes, c.as_bytes);
  SetLimit(RLIMIT_NPROC, c.nproc, c.nproc);
  SetLimit(RLIMIT_FSIZE, c.fsize, c.fsize);
  SetLimit(RLIMIT_NOFILE, c.nofile, c.nofile);
}

[[noreturn]] void ReapAndReport(pid_t program) {
  for (;;) {
    int status = 0;
    rusage ru{};
    pid_t w = wait4(-1, &status, 0, &ru);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) _exit(1);  // ECHILD cannot happen before the program is reaped
    if (w != program) continue;  // an orphan adopted by this init
    ChildReport r;
    r.kind = kReportExit;
    r.wait_status = status;
    r.cpu_usec = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
                 ru.ru_stime.tv_usec;
    Report(r);
    _exit(0);  // as pid 1 of a pid namespace: the kernel now SIGKILLs every process left in it
  }
}

}  // namespace

void ChildMain(const ChildConfig& c) {
  g_report_fd = c.report_w;
  if (setsid() < 0) Fail(kStageFds);
  MoveFds(c);

  ChildReport ready;
  ready.kind = kReportReady;
  uint32_t flags = 0;
  if (c.net_ns) flags |= kIsoNet;
  if (c.pid_ns) flags |= kIsoPid;
  if (c.user_ns) {
    if (!WriteProcFile("/proc/self/setgroups", "deny") ||
        !WriteProcFile("/proc/self/uid_map", c.uid_map) ||
        !WriteProcFile("/proc/self/gid_map", c.gid_map)) {
      Fail(kStageUserMap);
    }
    flags |= kIsoUser;
  }
  if (c.mount_ns) {
    if (SetUpMounts(c)) {
      flags |= kIsoReadonly;
    } else if (ready.stage == 0) {
      ready.stage = kStageMounts;
      ready.err = errno;
    }
  }
  if (c.drop_uid) {
    DropCreds(c);
    flags |= kIsoUid;
  }

  // The parent-death signal must follow the credential change, which resets it.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) Fail(kStageDeathSig);
  pollfd life{kLifelineFd, POLLIN, 0};
  if (poll(&life, 1, 0) < 0 || (life.revents & (POLLHUP | POLLERR)) != 0) _exit(1);
  close(kLifelineFd);

  SetLimits(c);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) Fail(kStageNoNewPrivs);
  if (c.filter_len > 0) {
    sock_fprog prog{c.filter_len, const_cast<sock_filter*>(c.filter)};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0) {
      flags |= kIsoSeccomp;
    } else if (ready.stage == 0) {
      ready.stage = kStageSeccomp;
      ready.err = errno;
    }
  }
  if (c.require_net_isolation && (flags & (kIsoNet | kIsoSeccomp)) == 0) {
    Fail(kStageNoNetIsolation, 0);
  }
  if (chdir(c.workdir) != 0) Fail(kStageChdir);

  ready.flags = flags;
  Report(ready);

  long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) Fail(kStageFork);
  if (pid == 0) {
    execve(c.exe, c.argv, c.envp);
    Fail(kStageExec);
  }
  ReapAndReport(static_cast<pid_t>(pid));
}

}  // namespace bitnet::harness::sandbox::detail
