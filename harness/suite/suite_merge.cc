#include "harness/suite/suite_merge.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <string>

#include "common/error.h"
#include "evals/runner/merge.h"
#include "evals/runner/mt_bench.h"
#include "evals/runner/report.h"
#include "evals/runner/shards.h"
#include "harness/suite/accuracy.h"
#include "harness/suite/report_document.h"
#include "harness/suite/report_output.h"
#include "harness/suite/run_state.h"
#include "harness/suite/suite_shards.h"
#include "harness/suite/task_run_json.h"
#include "reports/reports.h"

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct SuiteShard : evals::ShardFolder {
  json report;
};

SuiteShard ReadSuiteShard(const fs::path& dir) {
  const fs::path state = dir / "state" / "config.json";
  if (!fs::exists(dir / evals::kShardManifestFile) && fs::exists(state) && !evals::ReadShardJson(state).contains("shard"))
    throw InputError(dir.string(), "merge-shards",
                     "a suite run without --shard (its report.json is the whole run): nothing to merge");
  if (!fs::exists(dir / evals::kShardManifestFile))
    throw InputError(dir.string(), evals::kShardManifestFile,
                     "the shard has not finished (it was stopped, failed or is still running): run its command "
                     "again, it resumes where it stopped");
  SuiteShard s;
  static_cast<evals::ShardFolder&>(s) = evals::ReadShardManifest(dir);
  if (s.manifest.value("kind", json()) != kSuiteShardKind)
    throw InputError((dir / evals::kShardManifestFile).string(), "/kind",
                     "not a suite shard (an `eval --shard` folder?): merge suite shards and eval shards separately");
  return s;
}

// What a shard's report says of the model's logits (null: no fingerprint probe).
json Fingerprint(const json& report, const std::string& model) {
  for (const json& run : report.at("runs"))
    if (run.at("model") == model && run.contains("logits_fingerprint"))
      return {{"sha256", run["logits_fingerprint"].at("sha256")},
              {"prompt_token_ids_sha256", run["logits_fingerprint"].value("prompt_token_ids_sha256", json())}};
  return nullptr;
}

// Every shard finished its tasks, wrote a complete report, and computes the same logits as shard 0.
void CheckShardRuns(const std::vector<SuiteShard*>& shards, const std::vector<std::string>& models, std::string& at) {
  for (SuiteShard* s : shards) {
    const json& failed = s->manifest.at("failed");
    if (!failed.empty())
      throw InputError(s->dir.string(), "failed",
                       fmt::format("{} failed in this shard ({}); fix the cause and run the shard's command again "
                                   "(its finished tasks are kept), then merge",
                                   failed.begin().key(), failed.begin().value().dump()));
    at = (s->dir / "report.json").string();
    s->report = reports::LoadReport(at);
    if (s->report.at("status") != "complete")
      throw InputError(at, "/status", "the shard's report is partial: run its command again to finish it");
  }
  const SuiteShard& s0 = *shards.front();
  for (const SuiteShard* s : shards)
    for (const std::string& m : models) {
      const json a = Fingerprint(s0.report, m), b = Fingerprint(s->report, m);
      if (a != b)
        throw InputError(s->dir.string(), "logits_fingerprint of model " + m,
                         fmt::format("{} here, {} in shard 0 ({}): this machine computes other logits (another "
                                     "kernel, build or model file); rerun the shard where they match",
                                     b.dump(), a.dump(), s0.dir.string()));
    }
}

// The merged unit of one task: shard 0's unit (notes, limit, samples file) with the merged run.
json MergedUnit(const SuiteShard& s0, const std::string& key, const evals::TaskRun& merged,
                const std::string& shard_samples_dir, const std::string& out_samples_dir) {
  const fs::path path = s0.dir / "state" / "units" / (key + ".json");
  json unit = evals::ReadShardJson(path);
  evals::TaskRun run = merged;
  run.add_bos = TaskRunFromJson(unit.at("run"), path.string()).add_bos;  // results.json has no flag for chat tasks
  unit["run"] = TaskRunToJson(run);
  json notes = json::array();
  for (const json& n : unit.value("notes", json::array())) {  // paths of shard 0's files -> the merged ones
    std::string text = n.get<std::string>();
    for (size_t at = text.find(shard_samples_dir); !shard_samples_dir.empty() && at != std::string::npos;
         at = text.find(shard_samples_dir, at + out_samples_dir.size()))
      text.replace(at, shard_samples_dir.size(), out_samples_dir);
    notes.push_back(text);
  }
  unit["notes"] = notes;
  return unit;
}

std::string MergedNote(const SuiteShard& s0, size_t count) {
  const json& env = s0.report.value("environment", json::object());
  return fmt::format(
      "Merged from {} shards (bitnet-eval run --shard I/{}, combined by merge-shards): the accuracy rows cover every "
      "document, as an unsharded run. The efficiency rows (latency, memory, energy, bench) and the environment are "
      "shard 0's ({}, {} cores); the other shards ran only the logits fingerprint, which was equal on every shard.",
      count, count, env.value("cpu_model", std::string("unknown CPU")), env.value("cores", 0));
}

json ShardsBlock(const std::vector<SuiteShard*>& shards) {
  json list = json::array();
  for (const SuiteShard* s : shards) {
    const json& r = s->report;
    list.push_back({{"index", s->index},
                    {"folder", fs::absolute(s->dir).string()},
                    {"created_utc", r.value("created_utc", json())},
                    {"command", r.value("command", json())},
                    {"cpu_model", r.value("environment", json::object()).value("cpu_model", json())},
                    {"cores", r.value("environment", json::object()).value("cores", json())},
                    {"git_hash", r.value("tool", json::object()).value("git_hash", json())}});
  }
  return {{"count", shards.size()}, {"efficiency_from_shard", 0}, {"shards", list}};
}

json Merge(const std::vector<fs::path>& dirs, const fs::path& out, const json& command, std::string& at) {
  if (dirs.empty()) throw UsageError("merge-shards needs at least one shard folder");
  std::vector<SuiteShard> read;
  for (const fs::path& d : dirs) {
    at = (d / evals::kShardManifestFile).string();
    read.push_back(ReadSuiteShard(d));
  }
  std::vector<const evals::ShardFolder*> folders;
  for (const SuiteShard& s : read) folders.push_back(&s);
  std::vector<SuiteShard*> shards;  // in shard order
  for (const auto& [index, k] : evals::CheckShardSet(folders)) shards.push_back(&read[k]);
  const SuiteShard& s0 = *shards.front();
  const json& config = s0.manifest.at("configuration");
  const std::vector<std::string> models = s0.manifest.at("models").get<std::vector<std::string>>();
  CheckShardRuns(shards, models, at);

  // Per model: its `eval --shard` folders merged, the per-sample logs written, the task units rebuilt.
  std::map<std::string, json> units;
  for (size_t mi = 0; mi < models.size(); ++mi) {
    const std::string& model = models[mi];
    std::vector<fs::path> model_dirs;
    for (const SuiteShard* s : shards) model_dirs.push_back(s->dir / "samples" / model);
    const evals::MergedRun merged = evals::MergeShards(model_dirs);
    const fs::path samples_dir = out / "samples" / model;
    fs::create_directories(samples_dir);
    const std::string sha = config.at("models").at(mi).at("sha256").get<std::string>();
    at = "merge-shards (task units of shard 0, " + s0.dir.string() + ")";
    for (const evals::TaskRun& run : merged.runs) {
      WriteAtomic(samples_dir / ("samples_" + run.task + ".jsonl"), evals::SamplesJsonl(run));
      if (run.config.value("process_results", "") == "mt_bench_judge") {
        const fs::path answers = samples_dir / evals::FastChatAnswersPath(run.task, model);
        fs::create_directories(answers.parent_path());
        WriteAtomic(answers, evals::FastChatAnswersJsonl(run.samples, model, sha));
      }
      const std::string key = UnitKey(model, "task." + run.task);
      units[key] = MergedUnit(s0, key, run, s0.manifest.at("samples_dirs").at(model).get<std::string>(),
                              samples_dir.string());
    }
  }

  // The task rows and lm-eval block as an unsharded run assembles them, into shard 0's report.
  at = (s0.dir / "report.json").string() + " (suite definition)";
  const SuiteDefinition suite =
      ParseSuite(config.at("suite"), s0.report.at("suite_definition").value("source", std::string("suite")));
  ReportInputs in;
  in.suite = &suite;
  in.tasks = PlanTasks(suite, evals::DefaultTasksDir());
  in.skipped = s0.manifest.at("skip_reasons").get<std::map<std::string, std::string>>();
  in.models = s0.report.at("models");
  for (const json& run : s0.report.at("runs")) in.settings.push_back(run.at("settings"));
  const json assembled = AssembleReport(in, units, "complete", nullptr);
  json doc = s0.report;
  for (size_t i = 0; i < doc.at("runs").size(); ++i) {
    doc["runs"][i]["tasks"] = assembled.at("runs").at(i).at("tasks");
    doc["runs"][i]["lm_eval"] = assembled.at("runs").at(i).at("lm_eval");
  }
  for (const char* k : {"results", "versions", "n-shot", "configs", "higher_is_better", "n-samples", "groups",
                        "group_subtasks"})
    doc[k] = assembled.value(k, json::object());
  json notes = json::array();
  const std::string shard_note = ShardNote({0, s0.count});
  for (const json& n : doc.value("notes", json::array()))
    if (n != shard_note) notes.push_back(n);
  notes.push_back(MergedNote(s0, shards.size()));
  doc["notes"] = notes;
  doc.erase("shard");
  doc["sharded"] = ShardsBlock(shards);
  doc["status"] = "complete";
  doc["interrupted"] = nullptr;
  doc["command"] = command;
  doc["created_utc"] = UtcNow();
  at = (out / "report.json").string();
  WriteReportFiles(out, doc);
  return doc;
}

}  // namespace

bool IsSuiteShardFolder(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "state" / "config.json", ec)) return true;
  std::ifstream f(dir / evals::kShardManifestFile, std::ios::binary);
  if (!f) return false;
  const json j = json::parse(f, nullptr, false);
  return j.is_object() && j.value("kind", json()) == kSuiteShardKind;
}

json MergeSuiteShards(const std::vector<fs::path>& dirs, const fs::path& out, const json& command) {
  std::string at = "merge-shards";
  try {
    return Merge(dirs, out, command, at);
  } catch (const json::exception& e) {  // shard files are untrusted: a missing or mistyped field names the file
    throw InputError(at, "JSON", std::string("missing or mistyped field: ") + e.what());
  }
}

}  // namespace bitnet::suite
