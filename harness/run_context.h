#pragma once
// What a result needs to be reproduced: the machine, the build, the model and the settings.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace bitnet {

struct HostInfo {
  std::string cpu_model;
  std::string cpu_flags;   // the flags that matter for kernels (avx2, avx512*, f16c, fma, neon, dotprod)
  int logical_cpus = 0;
  uint64_t memory_bytes = 0;
  std::string os;          // uname sysname + release
  std::string compiler;
  std::string git_hash;
  bool cpu_scaling_enabled = false;
};

HostInfo ReadHostInfo();
nlohmann::json ToJson(const HostInfo& h);

// SHA-256 of a file's bytes (hex), streamed.
std::string Sha256File(const std::string& path);

}  // namespace bitnet
