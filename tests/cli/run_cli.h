#pragma once
// Runs the bitnet-eval executable the way scripts do, for the CLI tests.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace bitnet::test {

struct CliRun {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// `bitnet-eval ARGS 2>&1`; the exit code, or -1 when it did not exit normally.
inline CliRun Exec(const std::string& args) {
  const std::string cmd = std::string(BITNET_EVAL_EXE) + " " + args + " 2>&1";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string Quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace bitnet::test
