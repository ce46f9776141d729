#include "harness/suite/accuracy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "common/error.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/mt_bench.h"
#include "evals/runner/progress.h"
#include "evals/runner/report.h"
#include "harness/suite/interrupt.h"
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

// BITNET_SUITE_TEST_SIGNAL=SIGNAL@request.N: raise SIGNAL once N requests have been computed by
// this process (tests of the resume inside a task, tests/cli/suite_resume_test.cc).
void TestRequestHook() {
  static size_t computed = 0;
  ++computed;
  const char* v = std::getenv("BITNET_SUITE_TEST_SIGNAL");
  if (!v) return;
  const std::string s = v;
  const size_t at = s.find("@request.");
  if (at != std::string::npos && s.substr(at + 9) == std::to_string(computed)) InterruptGuard::Raise(s.substr(0, at));
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

namespace {

// The task file with the suite's generation cap applied (noted in `notes`).
evals::TaskConfig CappedConfig(const PlannedTask& t, const AccuracySettings& s, std::vector<std::string>* notes) {
  evals::TaskConfig config = t.config;
  const std::optional<int64_t> cap = t.spec.max_gen_toks ? t.spec.max_gen_toks : s.max_gen_toks;
  if (config.output_type == evals::OutputType::kGenerateUntil && cap && *cap < config.generation.max_gen_toks) {
    if (notes)
      notes->push_back(fmt::format("generation capped at {} tokens (task file: {})", *cap, config.generation.max_gen_toks));
    config.generation.max_gen_toks = *cap;
    config.resolved["generation_kwargs"]["max_gen_toks"] = *cap;
  }
  return config;
}

evals::RunOptions TaskRunOptions(const PreparedTask& p, const AccuracySettings& s) {
  evals::RunOptions ro;
  ro.num_fewshot = p.shots;
  ro.limit = p.limit;
  ro.add_bos = s.add_bos;
  ro.code_executor = s.code_executor;
  if (p.shard_docs) ro.only_docs = &*p.shard_docs;
  return ro;
}

}  // namespace

std::vector<evals::DocRequests> PlanPreparedTask(const PlannedTask& t, const PreparedTask& p, const AccuracySettings& s) {
  return evals::PlanRequests(CappedConfig(t, s, nullptr), p.docs, TaskRunOptions(p, s));
}

json RunPreparedTask(Session& session, const PlannedTask& t, const PreparedTask& p, const AccuracySettings& s,
                     const fs::path& samples_dir, evals::RequestCache* cache, const std::string& model_name,
                     const std::string& model_sha256) {
  std::vector<std::string> notes = p.notes;
  const evals::TaskConfig config = CappedConfig(t, s, &notes);
  evals::RunOptions ro = TaskRunOptions(p, s);
  ro.cache = cache;
  size_t total = 0;
  const std::vector<evals::DocRequests> stream = evals::PlanRequests(config, p.docs, ro);
  for (size_t i = 0; i < stream.size(); ++i)
    if (!p.shard_docs || std::binary_search(p.shard_docs->begin(), p.shard_docs->end(), i))
      total += evals::RequestsPerDoc(config, stream[i]);
  evals::Progress progress(total, stderr, evals::Progress::IsTerminal(stderr));
  progress.SetTask(config.task);
  ro.on_request = [&](bool from_cache) {
    progress.Advance(from_cache);
    if (!from_cache) TestRequestHook();
  };
  const evals::TaskRun run = evals::EvaluateTask(session, config, p.docs, ro);
  progress.Finish();
  if (cache) cache->Sync();
  fs::create_directories(samples_dir);
  const fs::path samples = samples_dir / ("samples_" + run.task + ".jsonl");
  WriteAtomic(samples, evals::SamplesJsonl(run));
  if (config.process_results == "mt_bench_judge") {
    const fs::path answers = samples_dir / evals::FastChatAnswersPath(run.task, model_name);
    fs::create_directories(answers.parent_path());
    WriteAtomic(answers, evals::FastChatAnswersJsonl(run.samples, model_name, model_sha256));
    notes.push_back(fmt::format("answers generated ({}); the score needs FastChat's GPT-4 judge, run outside this "
                                "tool (copy {} to FastChat's data/mt_bench/model_answer/)",
                                evals::kMtBenchDecoding, answers.string()));
  }
  return {{"status", "done"},
          {"run", TaskRunToJson(run)},
          {"notes", notes},
          {"limit", p.limit ? json(*p.limit) : json()},
          {"samples", samples.filename().string()}};
}

}  // namespace bitnet::suite
