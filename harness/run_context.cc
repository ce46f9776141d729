#include "harness/run_context.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "common/error.h"
#include "evals/core/sha256.h"
#include "harness/build_info.h"

namespace bitnet {
namespace {

std::string CpuInfoField(const std::string& field) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string v = line.substr(colon + 1);
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    return v;
  }
  return "";
}

std::string KernelFlags(const std::string& all) {
  static const std::set<std::string> wanted = {"avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
                                               "avx512_vnni", "avx_vnni", "avx512_bf16", "asimd", "asimddp",
                                               "fphp", "asimdhp", "sve", "i8mm"};
  std::istringstream ss(all);
  std::string f, out;
  while (ss >> f)
    if (wanted.count(f)) out += (out.empty() ? "" : " ") + f;
  return out;
}

}  // namespace

HostInfo ReadHostInfo() {
  HostInfo h;
  h.cpu_model = CpuInfoField("model name");
  if (h.cpu_model.empty()) h.cpu_model = CpuInfoField("CPU part");
  std::string flags = CpuInfoField("flags");
  if (flags.empty()) flags = CpuInfoField("Features");
  h.cpu_flags = KernelFlags(flags);
  h.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  h.memory_bytes = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  utsname u{};
  if (uname(&u) == 0) h.os = fmt::format("{} {} {}", u.sysname, u.release, u.machine);
#if defined(__clang__)
  h.compiler = fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  h.compiler = fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#endif
  h.git_hash = BuildGitHash();
  std::ifstream gov("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  std::string g;
  h.cpu_scaling_enabled = (gov >> g) && g != "performance";
  return h;
}

nlohmann::json ToJson(const HostInfo& h) {
  return {{"cpu_model", h.cpu_model}, {"cpu_flags", h.cpu_flags}, {"logical_cpus", h.logical_cpus},
          {"memory_bytes", h.memory_bytes}, {"os", h.os}, {"compiler", h.compiler},
          {"git_hash", h.git_hash}, {"cpu_scaling_enabled", h.cpu_scaling_enabled}};
}

std::string Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "open", "cannot read the file");
  evals::Sha256 sha;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    sha.Update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  return sha.HexFinal();
}

}  // namespace bitnet
