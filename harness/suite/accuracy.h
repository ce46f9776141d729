#pragma once
// The accuracy rows of a suite run: the suite's task entries resolved to task files (a group such
// as "mmlu" to its subtasks), each prepared (runnable? data present? shots possible?) and run
// through the evals runner (evals/runner/evaluate.h) with the suite's shots, limit and
// generation cap. A task that cannot run is skipped with the reason, never silently.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/runtime/session.h"
#include "evals/core/task_config.h"
#include "evals/core/task_data.h"
#include "evals/runner/code_executor.h"
#include "evals/runner/request_cache.h"
#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

struct PlannedTask {
  std::string entry;          // the suite's task entry ("mmlu" for every MMLU subject)
  TaskSpec spec;              // as the suite gives it (+ the applied bounds below)
  evals::TaskConfig config;   // max_gen_toks already capped
};

// Resolves every entry of the suite; an unknown name is an InputError naming the suite file and
// its JSON path (/tasks/N).
std::vector<PlannedTask> PlanTasks(const SuiteDefinition& suite, const std::filesystem::path& tasks_dir);

struct AccuracySettings {
  std::filesystem::path data_dir;
  bool data_is_samples = false;
  std::optional<size_t> limit;            // --limit (overrides the suite's)
  std::optional<size_t> default_limit;    // for tasks without their own: the suite's, else the synthetic default's
  std::optional<int64_t> max_gen_toks;    // the synthetic default's cap
  bool shots_fallback = false;            // samples only: fewer shots when the pool is too small
  std::optional<bool> add_bos;            // unset: the tokenizer's
  evals::CodeExecutor* code_executor = nullptr;  // set: --allow-code-execution
};

struct PreparedTask {
  bool runnable = false;
  std::string reason;         // why not runnable (the skip reason)
  std::vector<std::string> notes;  // what differs from the paper's setting (shots, limit, cap)
  int shots = 0;
  std::optional<size_t> limit;
  evals::TaskDocs docs;
  // Set in a shard (`run --shard I/N`, suite_shards.h): only these documents (positions in the
  // task's request stream, ascending) run.
  std::optional<std::vector<size_t>> shard_docs;
};

// Checks the task can be scored and its data is there; loads the documents.
PreparedTask PrepareTask(const PlannedTask& task, const AccuracySettings& settings);

// The task's request stream as RunPreparedTask runs it (shots, limit, generation cap applied):
// what a shard's partition is computed from.
std::vector<evals::DocRequests> PlanPreparedTask(const PlannedTask& task, const PreparedTask& prepared,
                                                 const AccuracySettings& settings);

// Runs a prepared task (only its shard_docs when set); returns the unit for the resume state:
// {"status": "done", "run": TaskRunToJson, "notes": [...], "limit": N|null}. The per-sample
// records are written to `samples_dir`/samples_<task>.jsonl first (and MT-bench's answers in
// FastChat's format beside them). `cache` (may be null): the request cache, so a task interrupted
// half-way resumes at its first unfinished request. Progress goes to stderr.
nlohmann::json RunPreparedTask(Session& session, const PlannedTask& task, const PreparedTask& prepared,
                               const AccuracySettings& settings, const std::filesystem::path& samples_dir,
                               evals::RequestCache* cache, const std::string& model_name,
                               const std::string& model_sha256);

}  // namespace bitnet::suite
