#pragma once
// Starting bitnet-eval as a child process that a test can kill -9 midway (resume and shard tests).
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace bitnet::test {

// Starts `bitnet-eval ARGS...` with stdout and stderr sent to /dev/null; returns its pid.
inline pid_t SpawnCli(const std::vector<std::string>& args) {
  std::vector<std::string> all = {BITNET_EVAL_EXE};
  all.insert(all.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

inline size_t CountLines(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  size_t n = 0;
  for (std::string l; std::getline(f, l);) ++n;
  return n;
}

// Waits until `file` has at least `lines` lines, then kill -9s `pid`. Returns true if the process
// was killed by the signal (false: it had already exited, or the wait timed out and it was killed).
inline bool KillWhenLines(pid_t pid, const std::filesystem::path& file, size_t lines, double timeout_s = 300) {
  const auto t0 = std::chrono::steady_clock::now();
  int status = 0;
  while (CountLines(file) < lines) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > timeout_s) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && CountLines(file) >= lines;
}

}  // namespace bitnet::test
