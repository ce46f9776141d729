// harness/sandbox: each hostile program must end as a failed sample while the test process and the
// machine are unharmed. Limits are 1-3 s so the file runs in well under a minute.
#include "harness/sandbox/sandbox.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sb = bitnet::harness::sandbox;
namespace fs = std::filesystem;

namespace {

bool HavePython() {
  for (const char* d : {"/usr/local/bin/python3", "/usr/bin/python3", "/bin/python3"}) {
    if (access(d, X_OK) == 0) return true;
  }
  return false;
}

#define REQUIRE_PYTHON()                                        \
  do {                                                          \
    if (!HavePython()) {                                        \
      WARN("python3 not found in the sandbox PATH; skipped");   \
      return;                                                   \
    }                                                           \
  } while (0)

sb::SandboxSpec Quick() {
  sb::SandboxSpec s;
  s.limits.cpu_seconds = 2;
  s.limits.wall_seconds = 3;
  s.limits.max_processes = 16;
  s.limits.address_space_bytes = 1ull << 30;
  s.limits.max_output_bytes = 1 << 20;
  return s;
}

sb::SandboxSpec Sh(const std::string& script) {
  sb::SandboxSpec s = Quick();
  s.argv = {"/bin/sh", "prog.sh"};
  s.files = {{"prog.sh", script}};
  return s;
}

sb::SandboxSpec Py(const std::string& code) {
  sb::SandboxSpec s = Quick();
  s.argv = {"python3", "-I", "prog.py"};
  s.files = {{"prog.py", code}};
  return s;
}

// Real uid, state and process group of every process, from /proc.
struct ProcInfo {
  int pid;
  long uid;
  long pgrp;
  char state;
};
std::vector<ProcInfo> Processes() {
  std::vector<ProcInfo> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    ProcInfo p{std::stoi(name), -1, -1, '?'};
    std::ifstream status(e.path() / "status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("Uid:", 0) == 0) p.uid = std::stol(line.substr(4));
    }
    std::ifstream stat(e.path() / "stat");
    std::string s((std::istreambuf_iterator<char>(stat)), {});
    size_t rp = s.rfind(')');
    if (rp != std::string::npos) {
      std::istringstream rest(s.substr(rp + 2));
      std::string state;
      long ppid = 0;
      rest >> state >> ppid >> p.pgrp;
      p.state = state.empty() ? '?' : state[0];
    }
    if (p.uid >= 0) out.push_back(p);
  }
  return out;
}

// Processes that belong to a finished run: its process group, or (root) its private uid.
int Leftovers(const sb::SandboxResult& r) {
  int n = 0;
  for (const auto& p : Processes()) {
    bool own_uid = r.isolation.uid_dropped && p.uid == static_cast<long>(r.isolation.uid);
    bool own_pgrp = r.supervisor_pid > 0 && p.pgrp == r.supervisor_pid;
    if ((own_uid || own_pgrp) && p.state != 'Z') ++n;  // zombies await the host init
  }
  return n;
}

// Test teardown: whatever a failed assertion left running is killed here.
struct SafetyKill {
  const sb::SandboxResult& r;
  ~SafetyKill() {
    for (const auto& p : Processes()) {
      bool own_uid = r.isolation.uid_dropped && p.uid == static_cast<long>(r.isolation.uid);
      bool own_pgrp = r.supervisor_pid > 0 && p.pgrp == r.supervisor_pid;
      if ((own_uid || own_pgrp) && p.pid != getpid()) kill(p.pid, SIGKILL);
    }
  }
};

#define RUN(var, spec)      \
  sb::SandboxResult var;    \
  SafetyKill var##_guard{var}; \
  var = sb::Run(spec)

}  // namespace

TEST_CASE("sandbox runs a program and captures stdout, stderr and stdin", "[sandbox]") {
  auto spec = Sh("echo hello; echo oops >&2; cat; echo hi > local.txt; cat local.txt");
  spec.stdin_data = "from stdin\n";
  RUN(r, spec);
  INFO(r.error << " | " << r.stderr_text << " | " << r.isolation.Describe());
  REQUIRE(r.Succeeded());
  CHECK(r.stdout_text == "hello\nfrom stdin\nhi\n");
  CHECK(r.stderr_text == "oops\n");
  CHECK_FALSE(r.stdout_truncated);
  CHECK(r.isolation.network_isolated());
  if (geteuid() == 0) {  // what this machine (root, Linux >= 5.12) must give
    CHECK(r.isolation.net_namespace);
    CHECK(r.isolation.pid_namespace);
    CHECK(r.isolation.mount_readonly);
    CHECK(r.isolation.uid_dropped);
    CHECK(r.isolation.uid != 0);
  }
  CHECK(Leftovers(r) == 0);
  WARN("isolation: " << r.isolation.Describe());
  if (r.isolation.pid_namespace) {  // a fresh /proc: the host's processes are not visible
    RUN(p, Sh("ls /proc | grep -c '^[0-9][0-9]*$'"));
    CHECK(p.exit_code == 0);
    CHECK(std::stoi(p.stdout_text) <= 4);
  }
}

TEST_CASE("sandbox runs python and clears the environment", "[sandbox]") {
  REQUIRE_PYTHON();
  setenv("BITNET_SANDBOX_CANARY", "leak", 1);
  RUN(r, Py("import os, sys\nprint(sorted(os.environ))\nprint(os.getcwd() == os.environ['HOME'])\n"));
  INFO(r.error << " | " << r.stderr_text);
  REQUIRE(r.Succeeded());
  CHECK(r.stdout_text.find("CANARY") == std::string::npos);
  CHECK(r.stdout_text.find("'HOME', 'LANG', 'PATH', 'TMPDIR'") != std::string::npos);
  CHECK(r.stdout_text.find("True") != std::string::npos);
}

TEST_CASE("sandbox reports a nonzero exit", "[sandbox]") {
  RUN(r, Sh("echo partial; exit 3"));
  CHECK(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.stdout_text == "partial\n");
  CHECK_FALSE(r.Succeeded());
  CHECK(r.killed_reason == sb::KilledReason::kNone);
  if (HavePython()) {
    RUN(p, Py("raise ValueError('bad')\n"));
    CHECK(p.exit_code == 1);
    CHECK(p.stderr_text.find("ValueError") != std::string::npos);
    CHECK_FALSE(p.Succeeded());
  }
}

TEST_CASE("sandbox fails cleanly when the program cannot start", "[sandbox]") {
  sb::SandboxSpec missing = Quick();
  missing.argv = {"bitnet-no-such-program"};
  RUN(a, missing);
  CHECK_FALSE(a.started);
  CHECK_FALSE(a.error.empty());
  auto noexec = Quick();
  noexec.argv = {"./prog"};
  noexec.files = {{"prog", "#!/bin/sh\necho hi\n", /*executable=*/false}};
  RUN(b, noexec);
  CHECK_FALSE(b.started);
  CHECK(b.error.find("exec") != std::string::npos);
  auto bad_path = Sh("true");
  bad_path.files.push_back({"../escape.txt", "x"});
  RUN(c, bad_path);
  CHECK_FALSE(c.started);
}

TEST_CASE("sandbox kills an infinite loop at the CPU and wall limits", "[sandbox]") {
  auto busy = Sh("while :; do :; done");
  busy.limits.cpu_seconds = 1;
  busy.limits.wall_seconds = 3;
  RUN(a, busy);
  CHECK(a.timed_out);
  CHECK(a.killed_reason == sb::KilledReason::kCpu);
  CHECK(a.wall_seconds < 3.5);
  CHECK_FALSE(a.Succeeded());

  auto idle = Sh("sleep 100");
  idle.limits.wall_seconds = 1;
  RUN(b, idle);
  CHECK(b.timed_out);
  CHECK(b.killed_reason == sb::KilledReason::kWall);
  CHECK(b.wall_seconds < 1.5);
  CHECK(Leftovers(b) == 0);
  CHECK_FALSE(b.Succeeded());

  if (HavePython()) {
    auto py = Py("while True:\n    pass\n");
    py.limits.cpu_seconds = 5;
    py.limits.wall_seconds = 1;
    RUN(c, py);
    CHECK(c.timed_out);
    CHECK(c.killed_reason == sb::KilledReason::kWall);
    CHECK_FALSE(c.Succeeded());
  }
}

TEST_CASE("sandbox contains a fork bomb", "[sandbox]") {
  // Only ever run inside the sandbox: max_processes 16, wall 2 s.
  auto bomb = Sh("b() { b | b & }; b; sleep 5");
  bomb.limits.wall_seconds = 2;
  auto t0 = std::chrono::steady_clock::now();
  RUN(a, bomb);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(a.error << " | " << a.isolation.Describe());
  CHECK(took < 4.0);
  CHECK_FALSE(a.Succeeded());
  CHECK(Leftovers(a) == 0);

  if (HavePython()) {
    auto py = Py("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
                 "        pass\n");
    py.limits.wall_seconds = 2;
    t0 = std::chrono::steady_clock::now();
    RUN(b, py);
    took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(took < 4.0);
    CHECK(b.timed_out);
    CHECK(Leftovers(b) == 0);
  }
  // The machine is still responsive: a trivial run completes at once.
  t0 = std::chrono::steady_clock::now();
  RUN(c, Sh("echo ok"));
  CHECK(c.Succeeded());
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 1.0);
}

TEST_CASE("sandbox enforces the process limit", "[sandbox]") {
  // 40 background sleeps against max_processes 16: the shell reports fork failures.
  auto many = Sh("n=0; for i in $(seq 40); do if sleep 2 & then n=$((n+1)); fi; done; "
                 "echo started; exit 0");
  many.limits.max_processes = 16;
  RUN(a, many);
  INFO(a.stderr_text);
  CHECK(a.stderr_text.find("fork") != std::string::npos);
  CHECK(Leftovers(a) == 0);
  if (HavePython()) {
    auto py = Py("import os, time\nn = 0\nfor _ in range(40):\n    try:\n        pid = os.fork()\n"
                 "    except OSError:\n        continue\n    if pid == 0:\n        time.sleep(2)\n"
                 "        os._exit(0)\n    n += 1\nprint(n)\n");
    py.limits.max_processes = 16;
    RUN(b, py);
    INFO(b.stderr_text);
    REQUIRE(b.exit_code == 0);
    int n = std::stoi(b.stdout_text);
    CHECK(n >= 10);
    CHECK(n <= 16);  // the program itself counts too
    CHECK(Leftovers(b) == 0);
  }
}

TEST_CASE("sandbox reports a memory bomb as memory", "[sandbox]") {
  REQUIRE_PYTHON();
  auto huge = Py("x = bytearray(8 << 30)\n");
  huge.limits.address_space_bytes = 512ull << 20;
  RUN(a, huge);
  CHECK(a.killed_reason == sb::KilledReason::kMemory);
  CHECK_FALSE(a.Succeeded());

  auto grow = Py("a = []\nwhile True:\n    a.append(bytearray(32 << 20))\n");
  grow.limits.address_space_bytes = 512ull << 20;
  RUN(b, grow);
  INFO(b.stderr_text);
  CHECK(b.killed_reason == sb::KilledReason::kMemory);
  CHECK_FALSE(b.Succeeded());
}

TEST_CASE("sandbox stops writes outside the working directory", "[sandbox]") {
  const std::string target = "/tmp/bitnet-sandbox-escape-" + std::to_string(getpid());
  fs::remove(target);
  RUN(a, Sh("echo pwned > " + target + " || exit 7; echo x > ../up.txt"));
  CHECK_FALSE(a.Succeeded());
  CHECK_FALSE(fs::exists(target));
  if (HavePython()) {
    RUN(b, Py("open('" + target + "', 'w').write('pwned')\n"));
    CHECK_FALSE(b.Succeeded());
    CHECK(b.stderr_text.find("Error") != std::string::npos);
    CHECK_FALSE(fs::exists(target));
  }
  auto fsize = Sh("head -c 4000000 /dev/zero > big.bin");
  fsize.limits.max_file_bytes = 1 << 20;
  RUN(c, fsize);
  CHECK(c.killed_reason == sb::KilledReason::kFileSize);
  fs::remove(target);
}

TEST_CASE("sandbox has no network", "[sandbox]") {
  REQUIRE_PYTHON();
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  REQUIRE(lfd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  REQUIRE(listen(lfd, 4) == 0);
  socklen_t len = sizeof(addr);
  REQUIRE(getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const int port = ntohs(addr.sin_port);

  RUN(r, Py("import socket\ns = socket.create_connection(('127.0.0.1', " + std::to_string(port) +
            "), timeout=1)\ns.sendall(b'leak')\nprint('connected')\n"));
  INFO(r.stderr_text);
  CHECK_FALSE(r.Succeeded());
  CHECK(r.stdout_text.find("connected") == std::string::npos);
  CHECK(accept(lfd, nullptr, nullptr) < 0);  // nobody knocked
  close(lfd);

  RUN(u, Py("import socket\nsocket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"));
  CHECK_FALSE(u.Succeeded());
}

TEST_CASE("sandbox programs cannot kill their parent or the test process", "[sandbox]") {
  const std::string me = std::to_string(getpid());
  auto ppid = Sh("kill -9 $PPID; sleep 30");
  ppid.limits.wall_seconds = 1;
  RUN(a, ppid);
  CHECK_FALSE(a.Succeeded());
  RUN(b, Sh("kill -9 " + me));
  CHECK_FALSE(b.Succeeded());
  RUN(b2, Sh("kill -9 -1; sleep 0.1; exit 9"));  // everything it may signal: only its own tree
  CHECK_FALSE(b2.Succeeded());
  if (HavePython()) {
    auto py = Py("import os, time\nos.kill(os.getppid(), 9)\ntime.sleep(30)\n");
    py.limits.wall_seconds = 1;
    RUN(c, py);
    CHECK_FALSE(c.Succeeded());
    RUN(d, Py("import os\nos.kill(" + me + ", 9)\n"));
    CHECK_FALSE(d.Succeeded());
    RUN(e, Py("import os, signal\nos.killpg(os.getpgid(" + me + "), signal.SIGKILL)\n"));
    CHECK_FALSE(e.Succeeded());
  }
  SUCCEED("the test process is still alive");
}

TEST_CASE("sandbox truncates huge output without hanging", "[sandbox]") {
  auto flood = Sh("yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  flood.limits.max_output_bytes = 1 << 20;
  RUN(a, flood);
  CHECK(a.stdout_truncated);
  CHECK(a.stdout_text.size() == (1u << 20));
  CHECK(a.killed_reason == sb::KilledReason::kOutput);
  CHECK(a.wall_seconds < 2.0);
  CHECK_FALSE(a.Succeeded());

  auto keep = Sh("head -c 20000000 /dev/zero; echo done >&2");
  keep.kill_on_output_overflow = false;
  keep.limits.max_output_bytes = 4096;
  RUN(b, keep);
  CHECK(b.stdout_truncated);
  CHECK(b.stdout_text.size() == 4096);
  CHECK(b.exit_code == 0);
  CHECK(b.stderr_text == "done\n");
}

TEST_CASE("sandbox copes with a program that closes stdout early", "[sandbox]") {
  RUN(a, Sh("echo first; exec 1>&-; echo still >&2; exit 5"));
  CHECK(a.exit_code == 5);
  CHECK(a.stdout_text == "first\n");
  CHECK(a.stderr_text == "still\n");
  auto hang = Sh("exec 1>&- 2>&-; sleep 30");
  hang.limits.wall_seconds = 1;
  RUN(b, hang);
  CHECK(b.timed_out);
  CHECK(b.wall_seconds < 1.5);
  CHECK(Leftovers(b) == 0);
  if (HavePython()) {
    RUN(c, Py("import os, sys\nos.close(1)\nsys.stderr.write('still\\n')\nsys.exit(2)\n"));
    CHECK(c.exit_code == 2);
    CHECK(c.stderr_text.find("still") != std::string::npos);
  }
}

TEST_CASE("sandbox fallback without namespaces still contains the program", "[sandbox]") {
  auto spec = Sh("echo hi");
  spec.use_namespaces = false;
  RUN(a, spec);
  INFO(a.error << " | " << a.isolation.Describe());
  REQUIRE(a.Succeeded());
  CHECK_FALSE(a.isolation.net_namespace);
  CHECK_FALSE(a.isolation.pid_namespace);
  CHECK(a.isolation.network_isolated());  // seccomp carries the network barrier alone
  WARN("fallback isolation: " << a.isolation.Describe());

  auto bomb = Sh("b() { b | b & }; b; sleep 5");
  bomb.use_namespaces = false;
  bomb.limits.wall_seconds = 2;
  RUN(b, bomb);
  CHECK_FALSE(b.Succeeded());
  CHECK(b.wall_seconds < 3.0);
  if (geteuid() != 0) {
    WARN("not root: leftovers of a process-group escape cannot be swept; skipped");
    return;
  }
  CHECK(Leftovers(b) == 0);
  // A grandchild that leaves the process group is found by the per-run uid.
  auto escape = Sh("setsid sleep 30 & sleep 0.2; echo parent-done");
  escape.use_namespaces = false;
  RUN(c, escape);
  CHECK(c.stdout_text == "parent-done\n");
  CHECK(Leftovers(c) == 0);
  const std::string me = std::to_string(getpid());
  auto killer = Sh("kill -9 " + me + " || exit 1; kill -9 $PPID; sleep 5");
  killer.use_namespaces = false;
  killer.limits.wall_seconds = 1;
  RUN(d, killer);
  CHECK_FALSE(d.Succeeded());
  if (HavePython()) {
    auto net = Py("import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n");
    net.use_namespaces = false;
    RUN(e, net);
    CHECK_FALSE(e.Succeeded());
    CHECK(e.stderr_text.find("PermissionError") != std::string::npos);
  }
}
