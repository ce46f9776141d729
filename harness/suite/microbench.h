#pragma once
// Kernel microbenchmarks for the `kernels` suite: runs the Google Benchmark executable built from
// kernels/bench (bench_kernels) with --benchmark_format=json and keeps its "benchmarks" array
// (and its "context") for the report's runs[].efficiency.microbench, which `compare` gates on.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

// Where the executable is looked for: beside bitnet-eval (the running binary), then
// ../kernels/bench/ relative to it (the build tree's layout).
std::vector<std::filesystem::path> MicrobenchCandidates(const std::string& executable);

struct MicrobenchResult {
  bool ok = false;
  std::string reason;             // why not ok (not built, failed, bad output)
  std::string executable;
  nlohmann::json benchmarks = nlohmann::json::array();
  nlohmann::json context;         // Google Benchmark's context block (CPU, caches, scaling)
};

// Parses Google Benchmark's JSON output; `source` names it in the reason on failure.
MicrobenchResult ParseMicrobenchOutput(const std::string& text, const std::string& source);

// `kernel` replaces "{kernel}" in the spec's filter (the variant the run's sessions use).
MicrobenchResult RunMicrobench(const MicrobenchSpec& spec, const std::string& kernel);

}  // namespace bitnet::suite
