#include "harness/suite/report_document.h"

#include <fmt/format.h>

#include <ctime>

#include "evals/runner/report.h"
#include "harness/suite/task_run_json.h"

namespace bitnet::suite {

using nlohmann::json;

std::string UnitKey(const std::string& model, const std::string& unit) { return model + "." + unit; }

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

const json* Unit(const std::map<std::string, json>& units, const std::string& key) {
  auto it = units.find(key);
  return it == units.end() ? nullptr : &it->second;
}

json Efficiency(const ReportInputs& in, const std::string& model, const std::map<std::string, json>& units) {
  json e = json::object();
  const SuiteDefinition& s = *in.suite;
  auto put = [&](const char* field, const std::string& unit) {
    if (const json* u = Unit(units, UnitKey(model, "efficiency." + unit))) e[field] = *u;
  };
  put("memory", "memory");
  if (s.latency) {
    json rows = json::array();
    // One row per thread count of the sweep (--threads may differ from the suite's list).
    for (size_t i = 0; i < 1024; ++i) {
      const json* u = Unit(units, UnitKey(model, fmt::format("efficiency.latency.{}", i)));
      if (!u) break;
      rows.push_back(*u);
    }
    if (!rows.empty()) e["latency"] = rows;
  }
  put("energy_estimated", "energy_estimated");
  put("energy_measured", "energy_measured");
  put("bench", "bench");
  if (const json* u = Unit(units, UnitKey(model, "efficiency.microbench"))) {
    e["microbench"] = u->value("benchmarks", json::array());
    if (!u->value("ok", false)) e["microbench_skipped"] = u->value("reason", "");
    else e["microbench_context"] = u->value("context", json::object());
  }
  return e;
}

json TaskEntry(const PlannedTask& t, const json& unit, const evals::TaskRun& run) {
  // Done without the paper row's metric (MT-bench: answers generated, the judge is external).
  json reason = nullptr;
  if (!t.spec.metric.empty() && !run.results.contains(t.spec.metric)) {
    std::string why = fmt::format("no {} in the results", t.spec.metric);
    if (t.config.process_results == "mt_bench_judge") why += ": answers generated, judging is external (GPT-4)";
    reason = why;
  }
  return {{"status", "done"},
          {"reason", reason},
          {"notes", unit.value("notes", json::array())},
          {"primary_metric", t.spec.metric.empty() ? json() : json(t.spec.metric)},
          {"n_shot", run.n_shot},
          {"limit", unit.value("limit", json())},
          {"version", run.version},
          {"request_stream_sha256", run.request_hash},
          {"results", run.results},
          {"n_samples", {{"original", run.n_original}, {"effective", run.n_effective}}},
          {"chat", run.chat},
          {"chat_format", run.chat_format.empty() ? json() : json(run.chat_format)},
          {"add_bos", run.add_bos},
          {"tokens_evaluated", run.tokens_evaluated},
          {"tokens_naive", run.tokens_naive},
          {"generated_tokens", run.generated_tokens},
          {"seconds", run.seconds},
          {"samples", unit.value("samples", json())},
          {"paper", t.config.metadata.value("paper", json())}};
}

json NotDone(const PlannedTask& t, const std::string& status, const std::string& reason) {
  return {{"status", status},
          {"reason", reason},
          {"primary_metric", t.spec.metric.empty() ? json() : json(t.spec.metric)},
          {"n_shot", t.spec.shots ? json(*t.spec.shots) : json(t.config.num_fewshot)},
          {"limit", nullptr},
          {"version", t.config.version},
          {"request_stream_sha256", nullptr},
          {"results", json::object()},
          {"tokens_evaluated", 0},
          {"tokens_naive", 0},
          {"seconds", 0.0},
          {"paper", t.config.metadata.value("paper", json())}};
}

struct TaskOutcome {
  json entry;
  std::optional<evals::TaskRun> run;
};

TaskOutcome Outcome(const ReportInputs& in, const std::string& model, const PlannedTask& t,
                    const std::map<std::string, json>& units, const std::string& status) {
  if (auto it = in.accuracy_not_run.find(model); it != in.accuracy_not_run.end())
    return {NotDone(t, "not_run", it->second), std::nullopt};
  if (auto it = in.skipped.find(t.config.task); it != in.skipped.end())
    return {NotDone(t, "skipped", it->second), std::nullopt};
  if (const json* u = Unit(units, UnitKey(model, "task." + t.config.task))) {
    evals::TaskRun run = TaskRunFromJson(u->at("run"), "state unit " + t.config.task);
    return {TaskEntry(t, *u, run), run};
  }
  if (auto it = in.failed.find(UnitKey(model, "task." + t.config.task)); it != in.failed.end())
    return {NotDone(t, "failed", it->second), std::nullopt};
  return {NotDone(t, "not_run", status == "partial" ? "interrupted before this task finished" : "not run"),
          std::nullopt};
}

// A group entry (mmlu): the size-weighted aggregate of the subtasks that ran, and each subtask's
// status.
json GroupEntry(const std::string& group, const std::vector<const PlannedTask*>& members,
                const std::vector<TaskOutcome>& outcomes) {
  std::vector<evals::TaskRun> runs;
  json subtasks = json::object();
  std::map<std::string, int> reasons;
  int64_t tok = 0, naive = 0, gen = 0;
  double seconds = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    const json& e = outcomes[i].entry;
    subtasks[members[i]->config.task] = {{"status", e["status"]}, {"reason", e["reason"]}};
    if (outcomes[i].run) {
      runs.push_back(*outcomes[i].run);
      tok += e["tokens_evaluated"].get<int64_t>();
      naive += e["tokens_naive"].get<int64_t>();
      gen += e.value("generated_tokens", int64_t{0});
      seconds += e["seconds"].get<double>();
    } else {
      reasons[e["status"].get<std::string>()]++;
    }
  }
  const PlannedTask& first = *members.front();
  // Nothing ran: not_run if a subtask may still run (interrupted), else failed, else skipped.
  std::string status = "done";
  if (runs.empty()) status = reasons.count("not_run") ? "not_run" : reasons.count("failed") ? "failed" : "skipped";
  json entry = NotDone(first, status, "");
  entry["subtasks"] = subtasks;
  entry["version"] = nullptr;
  if (runs.empty()) {
    std::string first_reason;
    for (const auto& o : outcomes)
      if (o.entry["status"] == status) {
        first_reason = o.entry["reason"].get<std::string>();
        break;
      }
    entry["reason"] = fmt::format("none of the {} subtasks ran ({}); first: {}", members.size(), status, first_reason);
    return entry;
  }
  const json lm = evals::ResultsJson(runs);
  entry["results"] = lm["groups"].value(group, json::object());
  entry["n_shot"] = runs.front().n_shot;
  entry["tokens_evaluated"] = tok;
  entry["tokens_naive"] = naive;
  entry["generated_tokens"] = gen;
  entry["seconds"] = seconds;
  size_t docs = 0;
  for (const auto& r : runs) docs += r.n_effective;
  entry["n_samples"] = {{"effective", docs}};
  if (runs.size() == members.size()) {
    entry["reason"] = nullptr;
  } else {
    std::string what;
    for (const auto& [st, n] : reasons) what += fmt::format("{}{} {}", what.empty() ? "" : ", ", n, st);
    entry["reason"] = fmt::format("partial group: {} of {} subtasks ran ({}); the score covers those only",
                                  runs.size(), members.size(), what);
  }
  return entry;
}

json RunBlock(const ReportInputs& in, size_t index, const std::map<std::string, json>& units,
              const std::string& status) {
  const std::string model = in.models[index]["name"].get<std::string>();
  json run = {{"model", model}, {"settings", in.settings[index]}, {"efficiency", Efficiency(in, model, units)}};
  if (auto it = in.efficiency_skipped.find(model); it != in.efficiency_skipped.end())
    run["efficiency_skipped"] = it->second;
  if (const json* u = Unit(units, UnitKey(model, "efficiency.fingerprint"))) run["logits_fingerprint"] = *u;
  json tasks = json::object();
  std::vector<evals::TaskRun> done;
  for (const TaskSpec& spec : in.suite->tasks) {
    std::vector<const PlannedTask*> members;
    for (const auto& t : in.tasks)
      if (t.entry == spec.task) members.push_back(&t);
    if (members.empty()) continue;
    std::vector<TaskOutcome> outcomes;
    for (const PlannedTask* t : members) {
      outcomes.push_back(Outcome(in, model, *t, units, status));
      if (outcomes.back().run) done.push_back(*outcomes.back().run);
    }
    const bool group = members.size() > 1 || members.front()->config.task != spec.task;
    tasks[spec.task] = group ? GroupEntry(spec.task, members, outcomes) : outcomes.front().entry;
  }
  run["tasks"] = tasks;
  run["lm_eval"] = done.empty() ? json::object() : evals::ResultsJson(done);
  return run;
}

}  // namespace

json AssembleReport(const ReportInputs& in, const std::map<std::string, json>& units, const std::string& status,
                    const json& interrupted) {
  json doc = {{"schema", "bitnet-eval/report"},
              {"schema_version", 1},
              {"status", status},
              {"interrupted", interrupted},
              {"suite", in.suite->name},
              {"suite_definition", {{"source", in.suite->source}, {"document", in.suite->document}}},
              {"created_utc", in.created_utc},
              {"command", in.command},
              {"tool", in.tool},
              {"environment", in.environment},
              {"models", in.models},
              {"notes", in.notes}};
  if (!in.baselines.is_null()) doc["baselines"] = in.baselines;
  json runs = json::array();
  for (size_t i = 0; i < in.models.size(); ++i) runs.push_back(RunBlock(in, i, units, status));
  doc["runs"] = runs;
  const json first = runs.empty() ? json::object() : runs[0]["lm_eval"];
  for (const char* k : {"results", "versions", "n-shot", "configs", "higher_is_better", "n-samples", "groups",
                        "group_subtasks"})
    doc[k] = first.value(k, json::object());
  return doc;
}

}  // namespace bitnet::suite
