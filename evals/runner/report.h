#pragma once
// Output of an evaluation run, shaped like lm-eval's results file (evaluator.py / EvaluationTracker):
//   "results"   task -> {"alias", "acc,none", "acc_stderr,none", ...} (+ groups: micro-average
//               over the tasks' documents, pooled stderr, as lm-eval's weight_by_size)
//   "groups", "group_subtasks", "configs" (resolved task files), "versions", "n-shot",
//   "higher_is_better", "n-samples" {"original", "effective"}
//   "bitnet_eval" {"tasks": task -> chat, add_bos, request_stream_sha256, requests, tokens
//               evaluated vs naive, generated tokens, requests from the request cache, seconds},
//               "task_order" (the run's task order); the caller adds the model, the
//               host and the settings.
// Plus the lm-eval-like table and per-sample JSONL.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/runner/evaluate.h"

namespace bitnet::evals {

nlohmann::json ResultsJson(const std::vector<TaskRun>& runs);

// | Tasks | Version | Filter | n-shot | Metric | | Value | | Stderr | (lm-eval's make_table),
// groups after their tasks.
std::string FormatTable(const std::vector<TaskRun>& runs);

// One JSON object per line, one line per document.
std::string SamplesJsonl(const TaskRun& run);

// Writes `content` to `path` through a temporary file in the same folder and a rename.
void WriteFileAtomic(const std::filesystem::path& path, const std::string& content);

}  // namespace bitnet::evals
