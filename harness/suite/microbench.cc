#include "harness/suite/microbench.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path SelfDir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::vector<fs::path> MicrobenchCandidates(const std::string& executable) {
  const fs::path dir = SelfDir();
  if (dir.empty()) return {};
  return {dir / executable, dir.parent_path() / "kernels" / "bench" / executable};
}

MicrobenchResult ParseMicrobenchOutput(const std::string& text, const std::string& source) {
  MicrobenchResult r;
  r.executable = source;
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    r.reason = fmt::format("{}: output is not JSON (byte {})", source, e.byte);
    return r;
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    r.reason = fmt::format("{}: output is not valid JSON ({})", source, e.what());
    return r;
  }
  if (!j.is_object() || !j.contains("benchmarks") || !j["benchmarks"].is_array()) {
    r.reason = fmt::format("{}: output has no \"benchmarks\" array", source);
    return r;
  }
  for (const auto& b : j["benchmarks"]) {
    if (!b.is_object() || !b.contains("name") || !b["name"].is_string()) {
      r.reason = fmt::format("{}: a benchmark entry has no name", source);
      return r;
    }
  }
  r.ok = true;
  r.benchmarks = j["benchmarks"];
  r.context = j.value("context", json::object());
  return r;
}

MicrobenchResult RunMicrobench(const MicrobenchSpec& spec, const std::string& kernel) {
  fs::path exe;
  std::string looked;
  for (const fs::path& p : MicrobenchCandidates(spec.executable)) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0) {
      exe = p;
      break;
    }
    looked += (looked.empty() ? "" : ", ") + p.string();
  }
  MicrobenchResult r;
  if (exe.empty()) {
    r.reason = fmt::format("{} not found (looked at {}); build with -DBITNET_BUILD_BENCH=ON and the Debian "
                           "package libbenchmark-dev", spec.executable, looked);
    return r;
  }
  std::string cmd = ShellQuote(exe.string()) + " --benchmark_format=json" +
                    fmt::format(" --benchmark_min_time={}", spec.min_time);
  if (spec.repetitions > 1) cmd += fmt::format(" --benchmark_repetitions={}", spec.repetitions);
  std::string filter = spec.filter;
  if (const size_t at = filter.find("{kernel}"); at != std::string::npos) filter.replace(at, 8, kernel);
  if (!filter.empty()) cmd += " --benchmark_filter=" + ShellQuote(filter);
  cmd += " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    r.reason = exe.string() + ": could not be started";
    return r;
  }
  std::string out;
  std::array<char, 8192> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    r.reason = fmt::format("{} failed (exit status {})", exe.string(), WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return r;
  }
  r = ParseMicrobenchOutput(out, exe.string());
  if (r.ok && r.benchmarks.empty()) {
    r.ok = false;
    r.reason = fmt::format("{}: no benchmark matches the filter '{}'", exe.string(), filter);
  }
  return r;
}

}  // namespace bitnet::suite
