#pragma once
// Loading a task's documents: the split file under --data-dir (datasets/loaders/records.h, or the
// task's loader hook), joined label files, then the task's process_docs hook. The project's
// samples (datasets/samples, datasets::SamplesDir()) have the data directory's layout, so they are
// loaded by passing that directory as `data_dir`.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/core/task_config.h"

namespace bitnet::evals {

// One split of the task, from `data_dir / splits[split].path`.
std::vector<nlohmann::json> LoadSplit(const TaskConfig& task, const std::string& split,
                                      const std::filesystem::path& data_dir);

// The documents in hand (e.g. parsed inline in a test), processed as a loaded split would be.
std::vector<nlohmann::json> ProcessDocs(const TaskConfig& task, std::vector<nlohmann::json> docs,
                                        const std::string& source);

struct TaskDocs {
  std::vector<nlohmann::json> eval_docs;
  std::vector<nlohmann::json> fewshot_docs;  // empty when num_fewshot is 0
};

// The eval split and, when `num_fewshot` > 0, the few-shot pool (the same documents when the pool
// is the eval split).
TaskDocs LoadTaskDocs(const TaskConfig& task, const std::filesystem::path& data_dir, int num_fewshot);

}  // namespace bitnet::evals
