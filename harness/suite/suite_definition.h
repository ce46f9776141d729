#pragma once
// A suite: which efficiency probes run, with which settings, and which tasks (with shots, item
// limits and the metric of the paper's row). The built-in suites are data files
// (harness/suite/suites/<name>.json: paper-table, quick, kernels); a user's own suite file has the
// same format (README "Suites"). Every field is checked: an unknown key, a wrong type or a bad
// value is an InputError naming the file and the JSON path; a syntax error names the line and
// column.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::suite {

struct TaskSpec {
  std::string task;                     // a task or group name of evals/tasks ("mmlu")
  std::optional<int> shots;             // unset: the task file's num_fewshot (the report's setting)
  std::optional<size_t> limit;          // the first N documents; unset: the suite's limit
  std::string metric;                   // the paper row's result key ("acc_norm,none"); may be empty
  std::optional<int64_t> max_gen_toks;  // cap on generated tokens (generate_until tasks)
};

struct LatencySpec {
  int64_t n_prompt = 128;
  int64_t n_gen = 128;  // the paper's TPOT: 128 generated tokens
  int warmup = 1;
  int repetitions = 3;
};

struct EnergyMeasuredSpec {
  int64_t n_prompt = 128;
  int64_t n_gen = 128;
};

struct EnergyEstimatedSpec {
  int64_t sequence_tokens = 512;
  int node_nm = 7;  // 7 or 45
};

struct MemorySpec {
  int64_t kv_ctx = 4096;  // the context the KV-cache bytes are given for
};

struct FingerprintSpec {
  int64_t prompt_tokens = 32;
};

struct BenchSpec {
  std::vector<int64_t> n_prompt = {128};
  std::vector<int64_t> n_gen = {32};
  int repetitions = 3;
};

struct MicrobenchSpec {
  std::string executable = "bench_kernels";  // looked for beside bitnet-eval, then under the build tree
  std::string filter;                        // --benchmark_filter (empty: all)
  double min_time = 0.1;                     // --benchmark_min_time, seconds
  int repetitions = 1;
};

// Synthetic model written by the run when no --model is given.
struct DefaultModelSpec {
  std::string name = "bitnet";
  std::string shape = "2b4t";  // engine/model/synthetic.h shape
  std::string type = "i2_s";
  uint64_t seed = 1;
};

// Bounds applied to the accuracy rows when they run on the built-in synthetic model (whose
// accuracy is meaningless): they keep the demo short and are recorded in the report.
struct SyntheticBounds {
  std::optional<size_t> limit;
  std::optional<int64_t> max_gen_toks;
  // Data is the project's samples and a task's few-shot pool is missing or too small: run with
  // the shots the samples allow (recorded) instead of skipping the task.
  bool samples_shots_fallback = false;
  std::string note;
};

// A Table 1 baseline measured by the built-in default (FORMATS.md §5): a synthetic model of the
// column's architecture in its released 16-bit format, written into the out folder, measured by
// the efficiency probes only (its accuracy would be meaningless), deleted unless kept.
struct BaselineModelSpec {
  std::string name;          // the model's name in the report ("llama3.2-1b")
  std::string shape;         // engine/model/synthetic.h shape
  std::string type = "bf16";
  uint64_t seed = 1;
  std::string paper_column;  // the Table 1 column it fills ("LLaMA 3.2 1B")
};

struct BaselinesSpec {
  std::vector<BaselineModelSpec> models;
  // Bounded settings of the baselines' probes (16-bit decode is several times slower than the
  // ternary one): recorded per column in the report.
  std::optional<LatencySpec> latency;
  std::optional<EnergyMeasuredSpec> energy_measured;
  std::optional<EnergyEstimatedSpec> energy_estimated;
  std::optional<MemorySpec> memory;
  std::string note;
};

struct SuiteDefinition {
  std::string name;
  std::string description;
  std::string source;                 // the file it was read from
  DefaultModelSpec default_model;
  std::vector<int> threads = {0};     // thread sweep of the latency probe (0: all hardware threads)
  std::optional<int> accuracy_threads; // threads of the accuracy session, fingerprint, energy and bench
                                      // (unset: the largest of the sweep; 0: all)
  int64_t n_ctx = 0;                  // accuracy session context (0: the model's, at most 4096)
  std::optional<size_t> limit;        // every task's document limit, unless the task sets one
  std::optional<FingerprintSpec> fingerprint;
  std::optional<LatencySpec> latency;
  std::optional<EnergyMeasuredSpec> energy_measured;
  std::optional<EnergyEstimatedSpec> energy_estimated;
  std::optional<MemorySpec> memory;
  std::optional<BenchSpec> bench;
  std::optional<MicrobenchSpec> microbench;
  std::vector<TaskSpec> tasks;
  SyntheticBounds synthetic;
  std::optional<BaselinesSpec> baselines;  // run with the built-in default (--no-baselines: not)
  nlohmann::json document;            // the file as read, for the report and the resume check
};

// Parses and checks a suite document; `source` names it in errors.
SuiteDefinition ParseSuite(const nlohmann::json& doc, const std::string& source);
// Reads a suite file: syntax errors name the line and column, others the JSON path.
SuiteDefinition LoadSuiteFile(const std::filesystem::path& path);

std::filesystem::path BuiltInSuitesDir();
std::vector<std::string> BuiltInSuiteNames();
// A built-in suite by name, or a path to a suite file (anything ending in .json or containing a
// '/'). UsageError listing the built-in names for an unknown name.
SuiteDefinition ResolveSuite(const std::string& name_or_path);

}  // namespace bitnet::suite
