#pragma once
// merge-shards for suite shards (`run --suite S --shard I/N`, suite_shards.h): the N shard folders
// -> OUT/report.json, report.html and samples/<model>/samples_<task>.jsonl, identical in every task
// row, in the lm-eval block and in every per-sample log (documents in order) to an unsharded run
// of the same suite. Checks, each failure an InputError naming the shard folder and what differs:
//   - every folder is a finished suite shard (its shard_manifest.json, kind "suite", is written
//     last; without it the shard is unfinished and its command must be run again: it resumes);
//   - the same configuration everywhere (suite definition, models and their sha256, settings,
//     resolved kernel, skipped tasks, task versions, shots and request-stream hashes) and shard
//     count, no shard twice, none missing (evals::CheckShardSet);
//   - no task failed in any shard, every shard's own report complete;
//   - every shard's logits fingerprint equal to shard 0's (the machines compute the same logits);
//   - per model, the shards' documents cover every task exactly once and their samples match
//     their manifests (evals::MergeShards on samples/<model>).
// The report is shard 0's (its efficiency rows, environment, models and settings: shard 0 ran the
// probes) with the task rows and the lm-eval block recomputed from the merged samples by the code
// an unsharded run uses (AssembleReport), "sharded": {count, shards: [...]} and a note saying where
// the efficiency rows were measured.
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::suite {

// A folder written by `run --suite ... --shard I/N` (finished or not), as opposed to `eval --shard`.
bool IsSuiteShardFolder(const std::filesystem::path& dir);

// Writes the merged run into `out`; returns its report document. `command`: the merge's command line.
nlohmann::json MergeSuiteShards(const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out,
                                const nlohmann::json& command);

}  // namespace bitnet::suite
