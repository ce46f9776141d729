#pragma once
// One suite run (`bitnet-eval --suite NAME`): resolves the models (writing the built-in synthetic
// model when none is given), plans and prepares the tasks, opens the resume state, runs every
// unit not finished yet (efficiency probes, then tasks, per model), and writes the report
// (report.json, report.html when the reports library is built in) and the Markdown summary.
// SIGINT/SIGTERM write a partial report and exit 130/143. With a shard, only that part of the
// accuracy work (and on shards other than 0 only the fingerprint probe), plus the files
// merge-shards needs (suite_shards.h).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "evals/runner/shards.h"
#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

struct ModelRequest {
  std::string name;
  std::string path;   // empty: the suite's built-in synthetic model, written into the out folder
};

struct RunConfig {
  SuiteDefinition suite;
  std::vector<ModelRequest> models;
  std::filesystem::path out;
  std::optional<std::filesystem::path> data_dir;  // unset: the project's samples
  std::vector<int> threads;                       // latency sweep; empty: the suite's
  std::optional<size_t> limit;
  bool allow_code_execution = false;
  bool fresh = false;
  // The suite's Table 1 baselines (synthetic 16-bit models, efficiency rows only): unset: run them
  // with the built-in default model only; false: --no-baselines; true: --baselines.
  std::optional<bool> baselines;
  bool keep_models = false;                       // keep the baselines' synthetic files in OUT/baselines
  std::string kernel, pre_tokenizer, bos = "auto";
  int64_t n_batch = 512;
  int64_t n_ctx = 0;                              // accuracy context; 0: the suite's, else the model's
  std::vector<std::string> command;
  std::optional<evals::ShardSpec> shard;          // --shard I/N (suite_shards.h)
};

// The project's sample items (datasets/samples).
std::filesystem::path SamplesDataDir();

// Returns the exit code (0). Throws InputError/UsageError on bad input before any model work.
int RunSuite(const RunConfig& config);

}  // namespace bitnet::suite
