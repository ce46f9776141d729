#include "evals/core/task_data.h"

#include "common/error.h"
#include "datasets/loaders/labels.h"
#include "datasets/loaders/records.h"
#include "evals/hooks/registry.h"

namespace bitnet::evals {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<json> LoadFile(const TaskConfig& task, const SplitSource& src, const fs::path& path,
                           const fs::path& base_dir) {
  std::vector<json> docs;
  if (!task.loader_hook.empty()) {
    docs = (*FindLoaderHook(task.loader_hook))(path.string());
  } else {
    datasets::CsvOptions csv;
    if (!src.csv_columns.empty()) {
      csv.header = false;
      csv.columns = src.csv_columns;
    }
    docs = datasets::LoadRecords(path.string(), csv);
  }
  for (const auto& f : src.line_fields) {
    const fs::path labels = base_dir / f.path;
    datasets::ImportLabels(docs, path.string(), datasets::ReadLabels(labels.string()), labels.string(), f.field);
  }
  return ProcessDocs(task, std::move(docs), path.string());
}

const SplitSource& Source(const TaskConfig& task, const std::string& split) {
  auto it = task.splits.find(split);
  if (it == task.splits.end()) throw InputError(task.file, "/dataset/splits", "no split '" + split + "'");
  return it->second;
}

}  // namespace

std::vector<json> ProcessDocs(const TaskConfig& task, std::vector<json> docs, const std::string& source) {
  if (task.process_docs_hook.empty()) return docs;
  return (*FindProcessDocsHook(task.process_docs_hook))(docs, source);
}

std::vector<json> LoadSplit(const TaskConfig& task, const std::string& split, const fs::path& data_dir) {
  const SplitSource& src = Source(task, split);
  return LoadFile(task, src, data_dir / src.path, data_dir);
}

TaskDocs LoadTaskDocs(const TaskConfig& task, const fs::path& data_dir, int num_fewshot) {
  TaskDocs d;
  d.eval_docs = LoadSplit(task, task.eval_split(), data_dir);
  if (num_fewshot > 0) {
    const std::string pool = *task.fewshot_pool_split();
    d.fewshot_docs = pool == task.eval_split() ? d.eval_docs : LoadSplit(task, pool, data_dir);
  }
  return d;
}

}  // namespace bitnet::evals
