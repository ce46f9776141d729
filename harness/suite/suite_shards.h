#pragma once
// A suite run split over machines: `bitnet-eval run --suite S --shard I/N --out DIR`, one process
// per shard, combined by `merge-shards` (suite_merge.h) into the report an unsharded run writes.
//
// Accuracy work: the documents of every runnable task, cut as evals/runner/shards.h cuts them (a
// document's requests and a few-shot prefix group, e.g. an MMLU subject, stay together; units
// dealt out contiguously by cost) from the request streams exactly as the suite runs them (shots,
// limit, generation cap). The streams do not depend on the model or the machine, so every shard
// computes the same partition, the same for every model of the run.
//
// Efficiency probes: shard 0 runs all of them (latency sweep, memory, energy, bench,
// microbenchmarks) as an unsharded run does; the other shards run only the logits fingerprint,
// which merge-shards requires to be equal on every shard (all machines compute the same logits).
// The report has one efficiency column per model: figures from several machines would not be one
// measurement, and repeating the latency sweep on N machines costs N times the time for nothing
// the report shows. The merged report takes shard 0's rows and environment and says so.
//
// A finished shard's folder holds, besides what every suite run writes (report.json of its part
// with "shard": {"index", "count"}, state/, samples/<model>/samples_<task>.jsonl):
//   samples/<model>/results.json, samples/<model>/shard_manifest.json
//        an `eval --shard` folder per model (evals::MergeShards merges them)
//   shard_manifest.json, written last (its presence says the shard finished):
//        {"bitnet_eval_shard": 1, "kind": "suite", "shard": {"index", "count"},
//         "configuration": {the run's configuration without threads, "kernel_resolved",
//                           "skipped": {task: reason}, "tasks": {task: {version, n_shot,
//                           request_stream_sha256, documents}}},
//         "documents": {task: [[first, end), ...]}, "models": [name, ...],
//         "samples_dirs": {model: the samples folder as the run named it},
//         "failed": {task: error}}                      a shard with a failed task is not merged
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/runner/shards.h"
#include "harness/suite/accuracy.h"
#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

inline constexpr const char* kSuiteShardKind = "suite";

// Sets every runnable task's shard_docs to the documents of shard `spec`; returns the
// configuration.tasks block of the manifests ({task: {version, n_shot, request_stream_sha256,
// documents}}, the whole streams).
nlohmann::json AssignShardDocuments(const std::vector<PlannedTask>& tasks, std::vector<PreparedTask>& prepared,
                                    const AccuracySettings& settings, const evals::ShardSpec& spec);

// The probes a shard runs: all of them on shard 0, only the logits fingerprint on the others.
SuiteDefinition ProbesOfShard(const SuiteDefinition& suite, const evals::ShardSpec& spec);

// The note a shard's own report carries (removed again by the merge).
std::string ShardNote(const evals::ShardSpec& spec);

struct ShardModel {
  std::string name, sha256;
  std::filesystem::path samples_dir;  // OUT/samples/<name>, as the run named it
};

struct ShardOutputs {
  std::filesystem::path out;
  evals::ShardSpec spec;
  nlohmann::json configuration;        // compared by the merge (see above)
  std::vector<ShardModel> models;
  const std::vector<PlannedTask>* tasks = nullptr;
  const std::vector<PreparedTask>* prepared = nullptr;
  int bootstrap_iters = 0;
  std::map<std::string, std::string> skipped;  // task -> reason
};

// Writes the per-model `eval --shard` folders from the finished task units, then the suite
// manifest. `failed`: UnitKey(model, "task." + task) -> error.
void WriteShardOutputs(const ShardOutputs& o, const std::map<std::string, nlohmann::json>& units,
                       const std::map<std::string, std::string>& failed);

}  // namespace bitnet::suite
