#pragma once
// An evals::TaskRun as JSON and back, for the resume state: everything the report and the
// lm-eval block need (results, metric rows, counts, hashes, the resolved config), not the
// per-sample records (those go to samples_<task>.jsonl as the task finishes). A shard's part
// also keeps the whole stream's hash and size (request_hash_full, n_documents_full).
#include <nlohmann/json.hpp>

#include "evals/runner/evaluate.h"

namespace bitnet::suite {

nlohmann::json TaskRunToJson(const evals::TaskRun& run);
// Throws InputError(source, JSON path, what) on a malformed record.
evals::TaskRun TaskRunFromJson(const nlohmann::json& j, const std::string& source);

}  // namespace bitnet::suite
