#pragma once
// merge-shards: the outputs of `eval --shard I/N` (shards.h) -> one run, identical to an
// unsharded one in metrics, stderr and per-sample logs (documents in evaluation order). Checks,
// each failure an InputError naming the shard's folder:
//   - every folder has shard_manifest.json, results.json and samples_<task>.jsonl;
//   - the same configuration (model sha256, settings, task versions, request-stream hashes) and
//     shard count everywhere; no shard index twice; none missing;
//   - per task, the shards' documents cover the stream exactly once, and each samples file holds
//     exactly its manifest's documents.
// Metrics are recomputed from the merged samples by AggregateSamples (the code path of a normal
// run). Token counts are summed (each shard restores its starting prefix, so they match an
// unsharded run); seconds are summed (CPU time, not wall time).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/runner/evaluate.h"

namespace bitnet::evals {

struct MergedRun {
  std::vector<TaskRun> runs;        // in the shards' task order, samples in document order
  nlohmann::json results;           // ResultsJson(runs) + "bitnet_eval" settings from the shards
  nlohmann::json configuration;     // the shards' common configuration
};

// One shard folder: its manifest (shards.h), read and checked for shape (InputError naming the file).
struct ShardFolder {
  std::filesystem::path dir;
  nlohmann::json manifest;
  size_t index = 0, count = 0;
};
ShardFolder ReadShardManifest(const std::filesystem::path& dir);

// A JSON file of a shard folder; InputError naming the file when it is missing or not JSON.
nlohmann::json ReadShardJson(const std::filesystem::path& path);

// The checks every merge makes on a set of shards: the same configuration (first difference named
// by its JSON path) and count everywhere, no index twice, none missing. Returns index -> position
// in `shards`. Also used by the suite merge (harness/suite/suite_merge.h).
std::map<size_t, size_t> CheckShardSet(const std::vector<const ShardFolder*>& shards);

// The first JSON path where a and b differ, with both values ("" if equal).
std::string FirstDifference(const nlohmann::json& a, const nlohmann::json& b, const std::string& path = "");

// bootstrap_iters unset: the shards' own setting (configuration.bootstrap_iters).
MergedRun MergeShards(const std::vector<std::filesystem::path>& dirs, std::optional<int> bootstrap_iters = std::nullopt);

}  // namespace bitnet::evals
