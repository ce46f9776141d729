#pragma once
// Helpers shared by the tests: where ../shared is, temporary files, deterministic data.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace bitnet::test {

// The path of a file under ../shared/data, or nullopt (after printing why) when absent, so a
// test can `if (!p) return;` and be reported as skipped by its message.
std::optional<std::filesystem::path> SharedData(const std::string& relative);

// A fresh directory under the build tree, removed at exit.
std::filesystem::path TempDir(const std::string& tag);

std::vector<uint8_t> ReadFileBytes(const std::filesystem::path& p);
void WriteFileBytes(const std::filesystem::path& p, const std::vector<uint8_t>& bytes);

// Deterministic floats in [-1, 1) (seeded; print the seed on failure).
std::vector<float> RandomFloats(size_t n, uint32_t seed);

}  // namespace bitnet::test
