#pragma once
// Running a task on the engine (what lm-eval's evaluator.py does for one model):
//   TaskConfig + TaskDocs -> BuildRequests -> per document, its requests in order on one Session
//   -> per-sample records -> metrics (evals/metrics registry) with lm-eval's stderr.
//
// Request types (EVALS.md §1.6-1.9):
//   multiple_choice / loglikelihood  ScoreTokens per request (EncodePair; a pair longer than the
//                                    context window loses context tokens on the left, as lm-eval's
//                                    max_length cut; counted in truncated_prompts); a document's requests run one
//                                    after the other, so the shared context is evaluated once (the
//                                    Session keeps the cached prefix); `tokens_evaluated` counts
//                                    what ran, `tokens_naive` context + continuation per request.
//   loglikelihood_rolling            the whole text after a BOS/EOS prefix, in windows of n_ctx.
//   generate_until                   greedy, `until` + the model's end-of-generation tokens,
//                                    max_gen_toks; the prompt is left-truncated to
//                                    n_ctx - max_gen_toks tokens (lm-eval's rule; at least n_ctx/4); then the task's
//                                    filter_list pipelines ("none" = take_first) and metrics.
// BOS: RunOptions::add_bos, unset = the tokenizer's add_bos (lm-eval >= v0.4.9.2); recorded.
// Chat (RunOptions::chat or the task's apply_chat_template): the whole context is one user
// message in the 2B4T format (FormatChat2B4T, lm-eval's single-turn few-shot), then gen_prefix;
// the template carries its own <|begin_of_text|>, so add_bos does not apply.
// process_results hooks scored here: truthfulqa_mc2, ifeval, math500_meh, and evalplus (runs the
// generated code; only with RunOptions::code_executor, see humaneval.h). mt_bench_judge: both
// turns are generated (mt_bench.h), judging is external and labelled so.
// Resume: with RunOptions::cache every finished request is looked up / recorded in the request
// cache (request_cache.h). The session's prefix state is restored before the first computed
// request after cached or skipped ones (the stream's previous log-likelihood request is replayed,
// uncounted), so token counts and scores equal an uninterrupted run's.
// Shards: RunOptions::only_docs runs a subset of the documents (shards.h); the rest is skipped.
// Metrics are aggregated from the per-sample records (aggregate.h), as merge-shards does.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/runtime/chat_format.h"
#include "engine/runtime/session.h"
#include "evals/core/requests.h"
#include "evals/core/task_config.h"
#include "evals/core/task_data.h"
#include "evals/metrics/registry.h"
#include "evals/runner/code_executor.h"

namespace bitnet::evals {

class RequestCache;  // request_cache.h

struct RunOptions {
  std::optional<int> num_fewshot;      // unset: the task file's num_fewshot
  std::optional<size_t> limit;         // the first N eval documents
  std::optional<bool> add_bos;         // unset: the tokenizer's add_bos
  bool chat = false;                   // chat format for every task (else per task)
  std::optional<ChatFormat> chat_format;  // unset: the model's (engine/runtime/chat_format.h)
  int bootstrap_iters = kDefaultBootstrapIters;
  CodeExecutor* code_executor = nullptr;  // set: evalplus tasks run model-written code with it
  RequestCache* cache = nullptr;           // set: finished requests are reused from / recorded in it
  std::function<void(bool from_cache)> on_request;  // called once per finished request (progress)
  const std::vector<size_t>* only_docs = nullptr;   // set: only these documents (positions in
                                                    // evaluation order, ascending); sharding
};

struct MetricRow {                     // one line of the printed table
  std::string metric, filter;
  bool higher_is_better = true;
  AggregatedMetric value;
};

struct TaskRun {
  std::string task, group;
  nlohmann::json config;               // TaskConfig::resolved
  double version = 0;
  int n_shot = 0;
  size_t n_original = 0, n_effective = 0;
  std::string output_type;
  bool chat = false, add_bos = false;
  std::string chat_format;             // "llama3 (tokenizer.chat_template)" when chat prompts were used
  std::string request_hash;            // RequestStreamHash of the requests actually run
  std::string request_hash_full;       // ... of the whole stream (= request_hash unless sharded)
  size_t n_documents_full = 0;         // documents of the whole stream (= n_effective unless sharded)
  size_t n_requests = 0;
  size_t requests_from_cache = 0;      // of n_requests, answered by the request cache
  int64_t tokens_evaluated = 0;        // loglikelihood tokens run (after prefix reuse)
  int64_t tokens_naive = 0;            // sum of context + continuation tokens of those requests
  int64_t prompt_tokens = 0, generated_tokens = 0, truncated_prompts = 0;
  double seconds = 0;
  nlohmann::json results;              // lm-eval's results[task]: "acc,none", "acc_stderr,none", ...
  std::vector<MetricRow> rows;
  std::vector<nlohmann::json> samples; // one record per document (samples_<task>.jsonl)
  // Per metric key ("acc,none"), the per-sample items (for group micro-averages).
  std::vector<std::pair<std::string, std::vector<Item>>> items;
};

// Task names (or group names such as "mmlu") -> task configs, in the order given (a group's
// tasks sorted by file). Throws InputError listing close names for an unknown one.
std::vector<TaskConfig> ResolveTasks(const std::vector<std::string>& names, const std::filesystem::path& tasks_dir);

// Throws InputError when the runner cannot score the task (unsupported process_results, metric
// or output type), before any model work. evalplus needs allow_code_execution.
void CheckRunnable(const TaskConfig& task, bool allow_code_execution = false);

// The task's request stream with these options (few-shot, limit): what EvaluateTask runs.
std::vector<DocRequests> PlanRequests(const TaskConfig& task, const TaskDocs& docs, const RunOptions& opts);
// Requests one document costs (progress totals): its stream requests, + 1 for mt_bench's turn 2.
size_t RequestsPerDoc(const TaskConfig& task, const DocRequests& d);

// Runs one task. The session is reset first (results do not depend on task order).
TaskRun EvaluateTask(Session& session, const TaskConfig& task, const TaskDocs& docs, const RunOptions& opts);

// Convenience: load the documents from `data_dir` and run.
TaskRun EvaluateTask(Session& session, const TaskConfig& task, const std::filesystem::path& data_dir,
                     const RunOptions& opts);

}  // namespace bitnet::evals
