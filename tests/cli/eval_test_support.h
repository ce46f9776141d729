#pragma once
// Shared by the CLI tests of `eval` and of sharded runs (resume, shards, suite shards, deploy):
// a tiny synthetic model written by `make-model`, the `eval` command line over it, reading an
// output file, and results.json without what legitimately differs between two runs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"
#include "tests/test_support.h"

namespace bitnet::test {

inline std::string ReadText(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// `make-model --shape tiny --type i2_s --seed SEED` into dir/tiny.gguf (2 threads).
inline std::filesystem::path MakeTinyModel(const std::filesystem::path& dir, int seed) {
  const auto model = dir / "tiny.gguf";
  const CliRun r = Exec("make-model --shape tiny --type i2_s --seed " + std::to_string(seed) + " -t 2 --out " + Quote(model));
  INFO(r.out);
  REQUIRE(r.code == 0);
  return model;
}

// `eval --model MODEL --tasks TASKS EXTRA...` as an argument list (for SpawnCli) ...
inline std::vector<std::string> EvalArgv(const std::filesystem::path& model, const std::string& tasks,
                                         const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {"eval", "--model", model.string(), "--tasks", tasks};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// ... and as a command line (for Exec).
inline std::string EvalCommand(const std::filesystem::path& model, const std::string& tasks,
                               const std::vector<std::string>& extra) {
  std::string cmd = "eval --model " + Quote(model) + " --tasks " + tasks;
  for (const auto& a : extra) cmd += " " + a;
  return cmd;
}

// A temp folder with a tiny model and the uninterrupted reference run of `eval`, which the
// resumed or sharded runs of a test are compared with.
struct TinyEvalSetup {
  std::filesystem::path dir, model, whole;  // whole: the reference run's --out
  std::string common;                       // `eval --model MODEL --tasks TASKS OPTIONS...`
  CliRun whole_run;
};

inline TinyEvalSetup TinyEvalWithReference(const std::string& tag, int seed, const std::string& tasks,
                                           const std::vector<std::string>& options, const std::string& whole_extra = "") {
  TinyEvalSetup s;
  s.dir = TempDir(tag);
  s.model = MakeTinyModel(s.dir, seed);
  s.common = EvalCommand(s.model, tasks, options);
  s.whole = s.dir / "whole";
  s.whole_run = Exec(s.common + " " + whole_extra + " --out " + Quote(s.whole));
  INFO(s.whole_run.out);
  REQUIRE(s.whole_run.code == 0);
  return s;
}

// results.json without what legitimately differs between runs (timings, cache use, paths, host,
// the merge's list of sources).
inline nlohmann::json ComparableResults(const std::filesystem::path& results) {
  nlohmann::json j = nlohmann::json::parse(ReadText(results));
  for (auto& [t, v] : j["bitnet_eval"]["tasks"].items()) {
    v.erase("seconds");
    v.erase("requests_from_cache");
  }
  for (const char* k : {"host", "request_cache", "data_dir", "merged_from"}) j["bitnet_eval"].erase(k);
  j["bitnet_eval"]["model"].erase("path");
  return j;
}

}  // namespace bitnet::test
