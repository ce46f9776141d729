#pragma once
// Sharded evaluation (`eval --shard I/N`, merged by `merge-shards`).
//
// Partition: the work of all tasks, in order, is cut into units that must stay together: a
// document's requests, and a few-shot prefix group (consecutive documents of a task with the same
// non-empty few-shot examples, e.g. an MMLU subject, whose shared prefix stays in the KV cache).
// Units keep their order and are dealt out contiguously by cumulative weight (context and
// continuation bytes / 4 + max_gen_toks per request): unit u goes to shard
// floor(N * (weight before u + weight(u) / 2) / total). Same inputs, same partition, on any machine.
//
// Each shard writes its results.json, samples_<task>.jsonl and shard_manifest.json:
//   {"bitnet_eval_shard": 1, "shard": {"index": I, "count": N},
//    "configuration": {settings (model sha256, kernel, BOS, chat, limit, ...),
//                      "tasks": {task: {"version", "n_shot", "request_stream_sha256" (the whole
//                                stream), "documents" (its size)}}},
//    "documents": {task: [[first, end), ...]}}          positions in the task's evaluation order
// merge-shards (merge.h) requires equal configurations and an exact cover of every task's documents.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/core/requests.h"
#include "evals/core/task_config.h"

namespace bitnet::evals {

struct ShardSpec {
  size_t index = 0, count = 1;
  // "I/N" with 0 <= I < N (SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX are 0-based); UsageError otherwise.
  static ShardSpec Parse(const std::string& text);
  std::string ToString() const;
};

// A unit of work: documents [first, end) of task `task` (index into the task list).
struct ShardUnit {
  size_t task = 0, first = 0, end = 0;
  double weight = 0;
};

// The units of the given tasks' request streams (in task order).
std::vector<ShardUnit> ShardUnits(const std::vector<TaskConfig>& tasks,
                                  const std::vector<std::vector<DocRequests>>& streams);

// For each task, the documents (positions in its stream, ascending) of shard `spec`.
std::vector<std::vector<size_t>> ShardDocuments(const std::vector<TaskConfig>& tasks,
                                                const std::vector<std::vector<DocRequests>>& streams,
                                                const ShardSpec& spec);

// Sorted positions -> [[first, end), ...] and back.
nlohmann::json ToRanges(const std::vector<size_t>& positions);
std::vector<size_t> FromRanges(const nlohmann::json& ranges, const std::string& where);

inline constexpr const char* kShardManifestFile = "shard_manifest.json";
// More documents than any task has; larger counts in a manifest are refused.
inline constexpr size_t kMaxShardDocuments = size_t{1} << 24;

nlohmann::json ShardManifest(const ShardSpec& spec, const nlohmann::json& configuration,
                             const std::vector<std::string>& task_names,
                             const std::vector<std::vector<size_t>>& documents);

}  // namespace bitnet::evals
