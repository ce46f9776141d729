#include "tests/test_support.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace bitnet::test {

std::optional<std::filesystem::path> SharedData(const std::string& relative) {
  std::filesystem::path p = std::filesystem::path(BITNET_SHARED_DIR) / "data" / relative;
  if (!std::filesystem::exists(p)) {
    WARN("SKIPPED: " << p.string() << " is absent (../shared is not beside the checkout)");
    return std::nullopt;
  }
  return p;
}

std::filesystem::path TempDir(const std::string& tag) {
  static int counter = 0;
  std::filesystem::path p = std::filesystem::path(BITNET_BUILD_DIR) / "test-tmp" /
                            (tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

std::vector<uint8_t> ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in.good());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void WriteFileBytes(const std::filesystem::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::vector<float> RandomFloats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

}  // namespace bitnet::test
