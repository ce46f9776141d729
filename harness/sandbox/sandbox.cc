// Parent side of the sandbox: prepares the working directory, clones the sandbox init with the
// most isolation the kernel and our privileges allow, reads its output with poll() against the
// wall deadline, kills the whole tree, reaps, and classifies how the program ended.
#include "harness/sandbox/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

#include "harness/sandbox/child.h"
#include "harness/sandbox/workdir.h"

namespace bitnet::harness::sandbox {

using namespace detail;

const char* ToString(KilledReason r) {
  switch (r) {
    case KilledReason::kNone: return "none";
    case KilledReason::kCpu: return "cpu";
    case KilledReason::kWall: return "wall";
    case KilledReason::kMemory: return "memory";
    case KilledReason::kOutput: return "output";
    case KilledReason::kFileSize: return "file_size";
  }
  return "?";
}

std::string Isolation::Describe() const {
  std::string s;
  auto add = [&](bool on, const std::string& name) {
    if (!on) return;
    if (!s.empty()) s += '+';
    s += name;
  };
  add(user_namespace, "userns");
  add(net_namespace, "netns");
  add(pid_namespace, "pidns");
  add(mount_readonly, "ro-fs");
  add(seccomp, "seccomp");
  add(uid_dropped, "uid=" + std::to_string(uid));
  if (s.empty()) s = "none";
  if (!missing.empty()) s += " (" + missing + ")";
  return s;
}

namespace {

using Clock = std::chrono::steady_clock;

// Root runs each sandbox as its own uid, with no passwd entry: RLIMIT_NPROC then counts exactly
// this run's processes, and the program cannot signal or ptrace anything else on the machine.
constexpr uint32_t kUidBase = 0x60000000;
std::atomic<uint32_t> g_run_counter{0};

uint32_t PickSandboxUid() {
  uint32_t pid_part = static_cast<uint32_t>(getpid()) & 0x3FFFFF;
  return kUidBase + (pid_part << 6) + (g_run_counter.fetch_add(1) & 63);
}

std::string ErrnoText(int err) { return std::strerror(err); }

std::string ResolveExe(const std::string& name, const std::string& path_env) {
  if (name.find('/') != std::string::npos) return name;
  size_t start = 0;
  while (start <= path_env.size()) {
    size_t end = path_env.find(':', start);
    if (end == std::string::npos) end = path_env.size();
    std::string dir = path_env.substr(start, end - start);
    if (!dir.empty()) {
      std::string cand = dir + "/" + name;
      if (access(cand.c_str(), X_OK) == 0) return cand;
    }
    start = end + 1;
  }
  return "";
}

// NUL-terminated char* array over owned strings, for execve.
class CStrings {
 public:
  void Add(std::string s) { store_.push_back(std::move(s)); }
  char* const* Finish() {
    ptrs_.clear();
    for (auto& s : store_) ptrs_.push_back(s.data());
    ptrs_.push_back(nullptr);
    return ptrs_.data();
  }

 private:
  std::vector<std::string> store_;
  std::vector<char*> ptrs_;
};

struct Fd {
  int fd = -1;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

bool MakePipe(Fd& r, Fd& w) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return false;
  r.fd = p[0];
  w.fd = p[1];
  return true;
}

struct CloneAttempt {
  unsigned long flags;
  const char* what;
};

// Clones the sandbox init with the first namespace set that works; records why others failed.
long SpawnInit(ChildConfig& cfg, bool root, bool namespaces, std::string* missing) {
  constexpr unsigned long kAll = CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
                                 CLONE_NEWUTS;
  static const CloneAttempt kRoot[] = {
      {kAll, "net+mount+pid namespaces"}, {CLONE_NEWNET | CLONE_NEWNS, "net+mount namespaces"},
      {CLONE_NEWNET, "net namespace"}, {0, "no namespaces"}};
  static const CloneAttempt kUser[] = {
      {CLONE_NEWUSER | kAll, "user+net+mount+pid namespaces"},
      {CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS, "user+net+mount namespaces"},
      {0, "no namespaces"}};
  const CloneAttempt* attempts = root ? kRoot : kUser;
  size_t n = root ? std::size(kRoot) : std::size(kUser);
  if (!namespaces) {
    attempts += n - 1;  // the last attempt: no namespaces
    n = 1;
    *missing += std::string(missing->empty() ? "" : "; ") + "namespaces disabled by the spec";
  }
  for (size_t i = 0; i < n; ++i) {
    unsigned long f = attempts[i].flags;
    cfg.user_ns = (f & CLONE_NEWUSER) != 0;
    cfg.net_ns = (f & CLONE_NEWNET) != 0;
    cfg.mount_ns = (f & CLONE_NEWNS) != 0;
    cfg.pid_ns = (f & CLONE_NEWPID) != 0;
    long pid = syscall(SYS_clone, f | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) ChildMain(cfg);  // never returns
    if (pid > 0) return pid;
    int err = errno;
    if (!missing->empty()) *missing += "; ";
    *missing += std::string("clone with ") + attempts[i].what + ": " + ErrnoText(err);
    if (err != EPERM && err != EINVAL && err != ENOSPC && err != EUSERS && err != ENOSYS) break;
  }
  return -1;
}

// Without a pid namespace, processes that left the process group are found by uid: a helper
// switches to the sandbox uid and sends SIGKILL to every process it may signal (kill(-1)), a few
// times, so that a child forked while the first pass walked the task list is caught by the next.
// It stops early on ESRCH; killed orphans stay zombies until the host's init reaps them.
void KillAllOfUid(uid_t uid) {
  long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    if (syscall(SYS_setresuid, uid, uid, uid) != 0) _exit(1);
    for (int i = 0; i < 20 && kill(-1, SIGKILL) == 0; ++i) {
      timespec ts{0, 5 * 1000 * 1000};
      nanosleep(&ts, nullptr);
    }
    _exit(0);
  }
  if (pid < 0) return;
  while (waitpid(static_cast<pid_t>(pid), nullptr, 0) < 0 && errno == EINTR) {
  }
}

// A regular file in the working directory that reached RLIMIT_FSIZE: some process hit the limit
// (its SIGXFSZ may have been absorbed by a shell that then exited 153).
bool FileAtLimit(const std::filesystem::path& dir, uint64_t limit) {
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec) && it->file_size(ec) >= limit) return true;
  }
  return false;
}

bool LooksOutOfMemory(const std::string& err) {
  static const char* kMarks[] = {"MemoryError", "std::bad_alloc", "Cannot allocate memory",
                                 "Out of memory", "out of memory", "Out of space"};
  for (const char* m : kMarks) {
    if (err.find(m) != std::string::npos) return true;
  }
  return false;
}

struct Stream {
  int fd;
  std::string* text;
  bool* truncated;
};

// The running sandbox as the parent sees it.
class Supervisor {
 public:
  Supervisor(const SandboxSpec& spec, SandboxResult& r, long init, bool uid_dropped, uid_t uid,
             std::filesystem::path workdir)
      : spec_(spec), r_(r), init_(static_cast<pid_t>(init)), uid_dropped_(uid_dropped),
        uid_(uid), workdir_(std::move(workdir)) {}

  // Reads until the program's exit is reported, the init dies, the deadline, or an overflow.
  void Watch(int out_fd, int err_fd, int report_fd, Clock::time_point deadline);
  void KillTree();
  void DrainAndReap();
  void Finish(Clock::time_point start);

 private:
  bool ReadStream(Stream& s);  // false on overflow that kills the run
  void ReadReports(int& fd);

  const SandboxSpec& spec_;
  SandboxResult& r_;
  pid_t init_;
  bool uid_dropped_;
  uid_t uid_;
  std::filesystem::path workdir_;
  Stream out_{-1, nullptr, nullptr}, err_{-1, nullptr, nullptr};
  std::string report_buf_;
  bool got_ready_ = false, got_exit_ = false, got_error_ = false, killed_by_us_ = false;
  ChildReport ready_, exit_, error_;
  Clock::time_point end_;
};

bool Supervisor::ReadStream(Stream& s) {
  char buf[65536];
  ssize_t n = read(s.fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {  // EOF (the program closed it, or everyone holding it died)
    close(s.fd);
    s.fd = -1;
    return true;
  }
  size_t cap = spec_.limits.max_output_bytes;
  size_t room = s.text->size() < cap ? cap - s.text->size() : 0;
  s.text->append(buf, std::min(room, static_cast<size_t>(n)));
  if (static_cast<size_t>(n) > room) {
    *s.truncated = true;
    if (spec_.kill_on_output_overflow) return false;
  }
  return true;
}

void Supervisor::ReadReports(int& fd) {
  char buf[512];
  ssize_t n = read(fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    close(fd);
    fd = -1;
    return;
  }
  report_buf_.append(buf, static_cast<size_t>(n));
  while (report_buf_.size() >= sizeof(ChildReport)) {
    ChildReport rep;
    std::memcpy(&rep, report_buf_.data(), sizeof(rep));
    report_buf_.erase(0, sizeof(rep));
    if (rep.kind == kReportReady) got_ready_ = true, ready_ = rep;
    if (rep.kind == kReportExit) got_exit_ = true, exit_ = rep;
    if (rep.kind == kReportError && !got_error_) got_error_ = true, error_ = rep;
  }
}

void Supervisor::Watch(int out_fd, int err_fd, int report_fd, Clock::time_point deadline) {
  out_ = {out_fd, &r_.stdout_text, &r_.stdout_truncated};
  err_ = {err_fd, &r_.stderr_text, &r_.stderr_truncated};
  while (!got_exit_ && report_fd >= 0) {
    auto now = Clock::now();
    if (now >= deadline) {
      r_.timed_out = true;
      r_.killed_reason = KilledReason::kWall;
      killed_by_us_ = true;
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    pollfd p[3] = {{out_.fd, POLLIN, 0}, {err_.fd, POLLIN, 0}, {report_fd, POLLIN, 0}};
    int rc = poll(p, 3, static_cast<int>(std::min<long long>(left, 1000)));
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    bool overflow = false;
    if (p[0].revents != 0) overflow |= !ReadStream(out_);
    if (p[1].revents != 0) overflow |= !ReadStream(err_);
    if (p[2].revents != 0) ReadReports(report_fd);
    if (overflow) {
      r_.killed_reason = KilledReason::kOutput;
      killed_by_us_ = true;
      break;
    }
  }
  end_ = Clock::now();
  if (report_fd >= 0) close(report_fd);
}

void Supervisor::KillTree() {
  kill(init_, SIGKILL);   // pid namespace: the kernel kills everything else in it
  kill(-init_, SIGKILL);  // the init called setsid(): its pgid is its pid
  if (uid_dropped_ && !(got_ready_ && (ready_.flags & kIsoPid))) KillAllOfUid(uid_);
}

void Supervisor::DrainAndReap() {
  // Whatever is still buffered in the pipes; bounded in case a writer escaped the kill.
  auto grace = Clock::now() + std::chrono::milliseconds(500);
  while ((out_.fd >= 0 || err_.fd >= 0) && Clock::now() < grace) {
    pollfd p[2] = {{out_.fd, POLLIN, 0}, {err_.fd, POLLIN, 0}};
    if (poll(p, 2, 50) <= 0) continue;
    if (p[0].revents != 0) ReadStream(out_);
    if (p[1].revents != 0) ReadStream(err_);
  }
  for (Stream* s : {&out_, &err_}) {
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
  }
  while (waitpid(init_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

void Supervisor::Finish(Clock::time_point start) {
  r_.wall_seconds = std::chrono::duration<double>(end_ - start).count();
  Isolation& iso = r_.isolation;
  if (got_ready_) {
    uint32_t f = ready_.flags;
    iso.net_namespace = f & kIsoNet;
    iso.user_namespace = f & kIsoUser;
    iso.pid_namespace = f & kIsoPid;
    iso.mount_readonly = f & kIsoReadonly;
    iso.seccomp = f & kIsoSeccomp;
    iso.uid_dropped = f & kIsoUid;
    if (ready_.stage != 0) {
      if (!iso.missing.empty()) iso.missing += "; ";
      iso.missing += std::string(StageName(ready_.stage)) + ": " + ErrnoText(ready_.err);
    }
  }
  if (got_error_) {
    r_.started = false;
    r_.error = std::string("sandbox setup failed at ") + StageName(error_.stage);
    if (error_.err != 0) r_.error += ": " + ErrnoText(error_.err);
    return;
  }
  r_.started = got_ready_;
  if (got_exit_) {
    int st = exit_.wait_status;
    if (WIFEXITED(st)) r_.exit_code = WEXITSTATUS(st);
    if (WIFSIGNALED(st)) r_.term_signal = WTERMSIG(st);
    r_.cpu_seconds = static_cast<double>(exit_.cpu_usec) / 1e6;
  } else if (killed_by_us_) {
    r_.term_signal = SIGKILL;
  } else {
    r_.error = got_ready_ ? "the sandbox init died before reporting the program's exit"
                          : "the sandbox init died during setup";
    return;
  }
  const bool failed = r_.exit_code != 0 || r_.term_signal != 0;
  if (r_.killed_reason != KilledReason::kNone || !failed) return;
  // Limits hit by the program itself or by a child it waited for (a shell reports those as an exit
  // code 128+signal, so the evidence is the CPU time, the files and the error text).
  const double cpu_limit = std::ceil(std::max(1.0, spec_.limits.cpu_seconds));
  if (r_.term_signal == SIGXCPU || r_.cpu_seconds >= cpu_limit) {
    r_.killed_reason = KilledReason::kCpu;
    r_.timed_out = true;
  } else if (r_.term_signal == SIGXFSZ || r_.stderr_text.find("File too large") != std::string::npos ||
             FileAtLimit(workdir_, spec_.limits.max_file_bytes)) {
    r_.killed_reason = KilledReason::kFileSize;
  } else if (LooksOutOfMemory(r_.stderr_text)) {
    r_.killed_reason = KilledReason::kMemory;
  }
}

}  // namespace

SandboxResult Run(const SandboxSpec& spec) {
  SandboxResult r;
  if (spec.argv.empty()) {
    r.error = "empty argv";
    return r;
  }
  std::string exe = ResolveExe(spec.argv[0], spec.path_env);
  if (exe.empty()) {
    r.error = spec.argv[0] + ": not found in " + spec.path_env;
    return r;
  }
  const bool root = geteuid() == 0;
  const uid_t uid = root ? PickSandboxUid() : getuid();
  const gid_t gid = root ? uid : getgid();
  Workdir wd;
  r.error = wd.Create(spec, root ? uid : static_cast<uid_t>(-1), gid);
  if (!r.error.empty()) return r;

  std::string workdir = wd.work().string();
  CStrings argv, envp;
  for (const auto& a : spec.argv) argv.Add(a);
  envp.Add("PATH=" + spec.path_env);
  envp.Add("LANG=" + spec.lang_env);
  envp.Add("HOME=" + workdir);
  envp.Add("TMPDIR=" + workdir);
  for (const auto& e : spec.extra_env) envp.Add(e);

  Fd out_r, out_w, err_r, err_w, rep_r, rep_w, life_r, life_w;
  if (!MakePipe(out_r, out_w) || !MakePipe(err_r, err_w) || !MakePipe(rep_r, rep_w) ||
      !MakePipe(life_r, life_w)) {
    r.error = "pipe: " + ErrnoText(errno);
    return r;
  }
  const SandboxLimits& lim = spec.limits;
  std::string seccomp_missing;
  const auto& filter = SeccompFilter(&seccomp_missing);
  std::string uid_map = std::to_string(getuid()) + " " + std::to_string(getuid()) + " 1\n";
  std::string gid_map = std::to_string(getgid()) + " " + std::to_string(getgid()) + " 1\n";

  ChildConfig cfg;
  cfg.exe = exe.c_str();
  cfg.argv = argv.Finish();
  cfg.envp = envp.Finish();
  cfg.workdir = workdir.c_str();
  cfg.stdin_fd = wd.stdin_fd();
  cfg.out_w = out_w.fd;
  cfg.err_w = err_w.fd;
  cfg.report_w = rep_w.fd;
  cfg.lifeline_r = life_r.fd;
  cfg.uid_map = uid_map.c_str();
  cfg.gid_map = gid_map.c_str();
  cfg.drop_uid = root;
  cfg.uid = uid;
  cfg.gid = gid;
  cfg.cpu_s = static_cast<rlim_t>(std::ceil(std::max(1.0, lim.cpu_seconds)));
  cfg.as_bytes = lim.address_space_bytes;
  cfg.nproc = static_cast<rlim_t>(std::max(1, lim.max_processes)) + 1;  // + the sandbox init
  cfg.fsize = lim.max_file_bytes;
  cfg.nofile = static_cast<rlim_t>(std::max(8, lim.max_open_files));
  cfg.filter = filter.empty() ? nullptr : filter.data();
  cfg.filter_len = static_cast<unsigned short>(filter.size());
  cfg.require_net_isolation = spec.require_network_isolation;

  std::string missing;
  if (!seccomp_missing.empty()) missing = "seccomp: " + seccomp_missing;
  if (!root) missing += std::string(missing.empty() ? "" : "; ") + "not root: no uid switch";
  const auto start = Clock::now();
  long init = SpawnInit(cfg, root, spec.use_namespaces, &missing);
  if (init < 0) {
    r.error = "could not start the sandbox: " + missing;
    return r;
  }
  r.supervisor_pid = static_cast<int>(init);
  r.isolation.uid = uid;
  r.isolation.missing = missing;
  for (Fd* f : {&out_w, &err_w, &rep_w, &life_r}) f->Close();

  Supervisor sup(spec, r, init, root, uid, wd.work());
  auto wall = std::chrono::duration<double>(std::max(0.05, lim.wall_seconds));
  sup.Watch(out_r.fd, err_r.fd, rep_r.fd, start + std::chrono::duration_cast<Clock::duration>(wall));
  out_r.fd = err_r.fd = rep_r.fd = -1;  // owned by the supervisor now
  sup.KillTree();
  sup.DrainAndReap();
  sup.Finish(start);
  return r;  // life_w closes here; wd removes the tree
}

}  // namespace bitnet::harness::sandbox
