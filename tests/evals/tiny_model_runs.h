#pragma once
// Shared by the runner tests: a tiny synthetic I2_S model written once per (tag, seed) into a
// test temp folder, and running tasks on it over the project's samples with 2 threads.
#include <string>
#include <vector>

#include "datasets/loaders/data_dir.h"
#include "engine/engine.h"
#include "engine/model/synthetic.h"
#include "evals/runner/evaluate.h"
#include "tests/test_support.h"

namespace bitnet::test {

inline std::string WriteTinyModel(const std::string& tag, uint64_t seed) {
  const auto dir = TempDir(tag);
  const std::string p = (dir / "tiny.gguf").string();
  SyntheticOptions o;
  o.shape = ShapeByName("tiny");
  o.type = QuantType::I2_S;
  o.seed = seed;
  o.threads = 2;
  WriteSyntheticModel(o, p);
  return p;
}

inline std::vector<evals::TaskRun> RunTasksOnModel(const std::string& model_path, const std::vector<std::string>& names,
                                                   const evals::RunOptions& ro) {
  auto model = Model::Load(model_path);
  SessionOptions so;
  so.n_threads = 2;
  Session session(model, so);
  std::vector<evals::TaskRun> runs;
  for (const evals::TaskConfig& t : evals::ResolveTasks(names, evals::DefaultTasksDir()))
    runs.push_back(evals::EvaluateTask(session, t, datasets::SamplesDir(), ro));
  return runs;
}

}  // namespace bitnet::test
