#include "harness/suite/suite_shards.h"

#include <fmt/format.h>

#include "evals/runner/report.h"
#include "harness/suite/report_document.h"
#include "harness/suite/run_state.h"
#include "harness/suite/task_run_json.h"

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

json AssignShardDocuments(const std::vector<PlannedTask>& tasks, std::vector<PreparedTask>& prepared,
                          const AccuracySettings& settings, const evals::ShardSpec& spec) {
  std::vector<evals::TaskConfig> configs;
  std::vector<std::vector<evals::DocRequests>> streams;
  std::vector<size_t> runnable;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (!prepared[i].runnable) continue;
    runnable.push_back(i);
    configs.push_back(tasks[i].config);
    streams.push_back(PlanPreparedTask(tasks[i], prepared[i], settings));
  }
  const std::vector<std::vector<size_t>> docs = evals::ShardDocuments(configs, streams, spec);
  json block = json::object();
  for (size_t k = 0; k < runnable.size(); ++k) {
    PreparedTask& p = prepared[runnable[k]];
    p.shard_docs = docs[k];
    block[configs[k].task] = {{"version", configs[k].version},
                              {"n_shot", p.shots},
                              {"request_stream_sha256", evals::RequestStreamHash(streams[k])},
                              {"documents", streams[k].size()}};
  }
  return block;
}

SuiteDefinition ProbesOfShard(const SuiteDefinition& suite, const evals::ShardSpec& spec) {
  SuiteDefinition s = suite;
  if (spec.index == 0) return s;
  s.latency.reset();
  s.energy_measured.reset();
  s.energy_estimated.reset();
  s.memory.reset();
  s.bench.reset();
  s.microbench.reset();
  return s;
}

std::string ShardNote(const evals::ShardSpec& spec) {
  return fmt::format(
      "Shard {} of {} (run --shard {}): the accuracy rows cover only this shard's documents{}. Combine the {} shard "
      "folders with `bitnet-eval merge-shards DIR... --out DIR` for the whole run.",
      spec.index, spec.count, spec.ToString(),
      spec.index == 0 ? "" : "; efficiency rows are measured by shard 0 only (this shard ran the logits fingerprint)",
      spec.count);
}

namespace {

void WriteJsonFile(const fs::path& p, const json& j) {
  WriteAtomic(p, j.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

}  // namespace

void WriteShardOutputs(const ShardOutputs& o, const std::map<std::string, json>& units,
                       const std::map<std::string, std::string>& failed) {
  const std::vector<PlannedTask>& tasks = *o.tasks;
  const std::vector<PreparedTask>& prepared = *o.prepared;
  json failed_tasks = json::object();
  for (const ShardModel& m : o.models) {
    std::vector<evals::TaskRun> runs;
    std::vector<std::vector<size_t>> docs;
    std::vector<std::string> names;
    json task_cfg = json::object();
    for (size_t i = 0; i < tasks.size(); ++i) {
      if (!prepared[i].runnable) continue;
      const std::string key = UnitKey(m.name, "task." + tasks[i].config.task);
      if (auto f = failed.find(key); f != failed.end()) failed_tasks[key] = f->second;
      auto u = units.find(key);
      if (u == units.end()) continue;
      runs.push_back(TaskRunFromJson(u->second.at("run"), "state unit " + key));
      docs.push_back(prepared[i].shard_docs.value_or(std::vector<size_t>{}));
      names.push_back(runs.back().task);
      task_cfg[names.back()] = o.configuration.at("tasks").at(names.back());
    }
    // The model's part as an `eval --shard` folder: results.json, shard_manifest.json (the
    // samples are there already).
    json results = evals::ResultsJson(runs);
    results["bitnet_eval"]["bootstrap_iters"] = o.bootstrap_iters;
    results["model_name"] = m.name;
    const json configuration = {{"model", m.name},
                                {"model_sha256", m.sha256},
                                {"bootstrap_iters", o.bootstrap_iters},
                                {"tasks", task_cfg},
                                {"task_order", names}};
    fs::create_directories(m.samples_dir);
    WriteJsonFile(m.samples_dir / "results.json", results);
    WriteJsonFile(m.samples_dir / evals::kShardManifestFile, evals::ShardManifest(o.spec, configuration, names, docs));
  }
  std::vector<std::string> names;
  std::vector<std::vector<size_t>> docs;
  json models = json::array(), samples_dirs = json::object();
  for (size_t i = 0; i < tasks.size(); ++i)
    if (prepared[i].runnable) {
      names.push_back(tasks[i].config.task);
      docs.push_back(prepared[i].shard_docs.value_or(std::vector<size_t>{}));
    }
  for (const ShardModel& m : o.models) {
    models.push_back(m.name);
    samples_dirs[m.name] = m.samples_dir.string();
  }
  json manifest = evals::ShardManifest(o.spec, o.configuration, names, docs);
  manifest["kind"] = kSuiteShardKind;
  manifest["models"] = models;
  manifest["samples_dirs"] = samples_dirs;
  manifest["skip_reasons"] = o.skipped;
  manifest["failed"] = failed_tasks;
  WriteJsonFile(o.out / evals::kShardManifestFile, manifest);  // last: the shard has finished
}

}  // namespace bitnet::suite
