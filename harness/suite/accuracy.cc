#include "harness/suite/accuracy.h"

#include <fmt/format.h>

#include "common/error.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/report.h"
#include "harness/suite/run_state.h"
#include "harness/suite/task_run_json.h"

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<PlannedTask> PlanTasks(const SuiteDefinition& suite, const fs::path& tasks_dir) {
  std::vector<PlannedTask> out;
  for (size_t i = 0; i < suite.tasks.size(); ++i) {
    const TaskSpec& spec = suite.tasks[i];
    std::vector<evals::TaskConfig> configs;
    try {
      configs = evals::ResolveTasks({spec.task}, tasks_dir);
    } catch (const InputError& e) {
      throw InputError(suite.source, fmt::format("/tasks/{}", i), e.reason());
    }
    for (auto& c : configs) out.push_back({spec.task, spec, std::move(c)});
  }
  return out;
}

namespace {

// How many shots the loaded few-shot pool allows (lm-eval draws one extra when the pool is the
// eval split).
int ShotsPoolAllows(const evals::TaskConfig& task, const evals::TaskDocs& docs) {
  const int extra = task.fewshot_draws_extra() ? 1 : 0;
  return std::max(0, static_cast<int>(docs.fewshot_docs.size()) - extra);
}

}  // namespace

PreparedTask PrepareTask(const PlannedTask& t, const AccuracySettings& s) {
  PreparedTask p;
  try {
    evals::CheckRunnable(t.config, s.code_executor != nullptr);
  } catch (const InputError& e) {
    p.reason = e.reason();
    return p;
  }
  p.shots = t.spec.shots.value_or(t.config.num_fewshot);
  p.limit = s.limit ? s.limit : t.spec.limit ? t.spec.limit : s.default_limit;
  const std::string data = s.data_is_samples ? "the project's samples" : s.data_dir.string();
  try {
    p.docs = evals::LoadTaskDocs(t.config, s.data_dir, p.shots);
  } catch (const InputError& e) {
    if (!(s.shots_fallback && p.shots > 0)) {
      p.reason = fmt::format("data missing in {}: {}", data, e.what());
      return p;
    }
    try {  // the samples may hold the eval split but no few-shot pool
      p.docs = evals::LoadTaskDocs(t.config, s.data_dir, 0);
    } catch (const InputError& e0) {
      p.reason = fmt::format("data missing in {}: {}", data, e0.what());
      return p;
    }
    p.notes.push_back(fmt::format("ran at 0-shot instead of the report's {}-shot: {} hold no few-shot pool ({})",
                                  p.shots, data, e.what()));
    p.shots = 0;
  }
  if (p.docs.eval_docs.empty()) {
    p.reason = fmt::format("no documents in the eval split ({})", data);
    return p;
  }
  if (p.shots > 0 && ShotsPoolAllows(t.config, p.docs) < p.shots) {
    const int allowed = ShotsPoolAllows(t.config, p.docs);
    if (!s.shots_fallback) {
      p.reason = fmt::format("{}-shot needs {} few-shot documents; {} has {}", p.shots,
                             p.shots + (t.config.fewshot_draws_extra() ? 1 : 0), data, p.docs.fewshot_docs.size());
      return p;
    }
    p.notes.push_back(fmt::format("ran at {}-shot instead of the report's {}-shot: the few-shot pool of {} has {} documents",
                                  allowed, p.shots, data, p.docs.fewshot_docs.size()));
    p.shots = allowed;
  }
  if (p.limit) p.notes.push_back(fmt::format("limited to the first {} documents", *p.limit));
  p.runnable = true;
  return p;
}

json RunPreparedTask(Session& session, const PlannedTask& t, const PreparedTask& p, const AccuracySettings& s,
                     const fs::path& samples_path) {
  evals::TaskConfig config = t.config;
  std::vector<std::string> notes = p.notes;
  const std::optional<int64_t> cap = t.spec.max_gen_toks ? t.spec.max_gen_toks : s.max_gen_toks;
  if (config.output_type == evals::OutputType::kGenerateUntil && cap && *cap < config.generation.max_gen_toks) {
    notes.push_back(fmt::format("generation capped at {} tokens (task file: {})", *cap, config.generation.max_gen_toks));
    config.generation.max_gen_toks = *cap;
    config.resolved["generation_kwargs"]["max_gen_toks"] = *cap;
  }
  evals::RunOptions ro;
  ro.num_fewshot = p.shots;
  ro.limit = p.limit;
  ro.add_bos = s.add_bos;
  ro.code_executor = s.code_executor;
  const evals::TaskRun run = evals::EvaluateTask(session, config, p.docs, ro);
  fs::create_directories(samples_path.parent_path());
  WriteAtomic(samples_path, evals::SamplesJsonl(run));
  return {{"status", "done"},
          {"run", TaskRunToJson(run)},
          {"notes", notes},
          {"limit", p.limit ? json(*p.limit) : json()},
          {"samples", samples_path.filename().string()}};
}

}  // namespace bitnet::suite
