#include "harness/suite/suite_runner.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/model/synthetic.h"
#include "evals/metrics/registry.h"
#include "evals/runner/request_cache.h"
#include "harness/run_context.h"
#include "harness/sandbox/sandbox_executor.h"
#include "harness/suite/accuracy.h"
#include "harness/suite/baselines.h"
#include "harness/suite/efficiency.h"
#include "harness/suite/interrupt.h"
#include "harness/suite/microbench.h"
#include "harness/suite/report_document.h"
#include "harness/suite/report_output.h"
#include "harness/suite/run_state.h"
#include "harness/suite/suite_shards.h"

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path SamplesDataDir() {
#ifdef BITNET_SAMPLES_DIR
  return fs::path(BITNET_SAMPLES_DIR);
#else
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "datasets" / "samples";
#endif
}

namespace {

struct LoadedModel {
  std::string name, path;
  bool builtin = false, synthetic = false;
  std::shared_ptr<const Model> model;
  std::string sha256;
};

json SplitFlags(const std::string& flags) {
  json out = json::array();
  size_t i = 0;
  while (i < flags.size()) {
    size_t j = flags.find_first_of(" ,", i);
    if (j == std::string::npos) j = flags.size();
    if (j > i) out.push_back(flags.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

json Environment(const HostInfo& h) {
  return {{"cpu_model", h.cpu_model},     {"cpu_flags", SplitFlags(h.cpu_flags)},
          {"cores", h.logical_cpus},      {"memory_bytes", h.memory_bytes},
          {"os", h.os},                   {"cpu_scaling_enabled", h.cpu_scaling_enabled}};
}

json ModelBlock(const LoadedModel& m) {
  const auto& c = m.model->config();
  const int64_t non_emb = m.model->weights().NonEmbeddingParams();
  std::error_code ec;
  const auto bytes = fs::file_size(m.path, ec);
  return {{"name", m.name},
          {"path", fs::absolute(m.path).string()},
          {"sha256", m.sha256},
          {"file_bytes", ec ? 0 : bytes},
          {"synthetic", m.synthetic},
          {"builtin_default", m.builtin},
          {"architecture", c.arch_name},
          {"weight_type", m.model->WeightTypeName()},
          {"params", non_emb + c.n_vocab * c.n_embd},
          {"non_embedding_params", non_emb},
          {"shape", {{"n_vocab", c.n_vocab}, {"n_embd", c.n_embd}, {"n_layer", c.n_layer}, {"n_ff", c.n_ff},
                     {"n_head", c.n_head}, {"n_head_kv", c.n_head_kv}, {"n_ctx_train", c.n_ctx_train}}},
          {"paper_column", Table1Column(*m.model) ? json(*Table1Column(*m.model)) : json()}};
}

class Runner {
 public:
  explicit Runner(const RunConfig& c) : c_(c) {}

  int Run() {
    InterruptGuard guard([this](const std::string& sig) { OnSignal(sig); });
    fs::create_directories(c_.out);
    inputs_.suite = &c_.suite;
    inputs_.created_utc = UtcNow();
    inputs_.command = c_.command;
    const HostInfo host = ReadHostInfo();
    inputs_.tool = {{"name", "bitnet-eval"}, {"git_hash", host.git_hash}, {"build_type", BuildType()},
                    {"compiler", host.compiler}};
    inputs_.environment = Environment(host);

    PrepareTasks();  // input errors (unknown task, bad data dir) before any model work
    if (c_.shard) shard_tasks_ = AssignShardDocuments(inputs_.tasks, prepared_, settings_, *c_.shard);
    LoadModels();
    if (c_.shard) inputs_.notes.push_back(ShardNote(*c_.shard));
    OpenState();
    for (size_t i = 0; i < models_.size(); ++i) RunModel(i);
    RunBaselines();
    return Finish();
  }

 private:
  static std::string BuildType() {
#ifdef BITNET_BUILD_TYPE
    return BITNET_BUILD_TYPE;
#else
    return "unknown";
#endif
  }

  bool UsesBuiltin() const {
    for (const auto& m : c_.models)
      if (m.path.empty()) return true;
    return false;
  }

  void PrepareTasks() {
    settings_.data_dir = c_.data_dir ? *c_.data_dir : SamplesDataDir();
    settings_.data_is_samples = !c_.data_dir;
    std::error_code ec;
    if (!fs::is_directory(settings_.data_dir, ec))
      throw InputError(settings_.data_dir.string(), "--data-dir", "not a directory");
    settings_.limit = c_.limit;
    settings_.default_limit = c_.suite.limit;
    if (UsesBuiltin()) {  // bounds of the demo on synthetic weights, recorded in the report
      if (!settings_.default_limit) settings_.default_limit = c_.suite.synthetic.limit;
      settings_.max_gen_toks = c_.suite.synthetic.max_gen_toks;
      settings_.shots_fallback = c_.suite.synthetic.samples_shots_fallback && settings_.data_is_samples;
    }
    if (c_.bos == "on") settings_.add_bos = true;
    else if (c_.bos == "off") settings_.add_bos = false;
    if (c_.allow_code_execution) settings_.code_executor = &sandbox_;
    inputs_.tasks = PlanTasks(c_.suite, evals::DefaultTasksDir());
    for (const PlannedTask& t : inputs_.tasks) {
      PreparedTask p = PrepareTask(t, settings_);
      if (!p.runnable) inputs_.skipped[t.config.task] = p.reason;
      prepared_.push_back(std::move(p));
    }
  }

  void LoadModels() {
    LoadOptions lo;
    if (!c_.pre_tokenizer.empty()) lo.pre_tokenizer = ParsePreTokenizer(c_.pre_tokenizer);
    for (const ModelRequest& r : c_.models) {
      LoadedModel m;
      m.name = r.name;
      m.builtin = r.path.empty();
      m.path = r.path;
      if (m.builtin) m.path = WriteBuiltinModel();
      m.model = Model::Load(m.path, lo);
      const gguf::Value* v = m.model->file().Find("bitnet-eval.synthetic");
      m.synthetic = m.builtin || (v && v->type == gguf::ValueType::BOOL && v->b);
      fmt::print(stderr, "[suite] {}: {} ({}), hashing ...\n", m.name, m.path, m.model->WeightTypeName());
      m.sha256 = Sha256File(m.path);
      models_.push_back(std::move(m));
    }
    ResetPeakResident();  // the synthetic model's writer buffers are not the model's memory
    for (const auto& m : models_) inputs_.models.push_back(ModelBlock(m));
    bool any_synthetic = false;
    for (const auto& m : models_) any_synthetic = any_synthetic || m.synthetic;
    if (any_synthetic && !c_.suite.tasks.empty())
      inputs_.notes.push_back(
          "Accuracy on synthetic weights is meaningless (random ternary weights score at or near chance): these rows "
          "only show that the pipeline runs. For real numbers pass --model bitnet=path/to/ggml-model-i2_s.gguf "
          "(BitNet b1.58 2B4T, from microsoft/bitnet-b1.58-2B-4T-gguf) and --data-dir DIR (the output of "
          "scripts/fetch-datasets.sh).");
    if (UsesBuiltin() && !c_.suite.synthetic.note.empty()) inputs_.notes.push_back(c_.suite.synthetic.note);
    if (settings_.data_is_samples && !c_.suite.tasks.empty())
      inputs_.notes.push_back("Data: the project's own sample items (datasets/samples, 3-5 per task, written by the "
                              "project, not the benchmarks' questions); pass --data-dir for the real sets.");
  }

  std::string WriteBuiltinModel() {
    const DefaultModelSpec& d = c_.suite.default_model;
    SyntheticOptions so;
    so.shape = ShapeByName(d.shape);
    const auto type = QuantTypeFromName(d.type);
    if (!type) throw InputError(c_.suite.source, "/default_model/type", fmt::format("unknown type '{}'", d.type));
    so.type = *type;
    so.seed = d.seed;
    const fs::path path = c_.out / fmt::format("synthetic-{}-{}-seed{}.gguf", d.shape, d.type, d.seed);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      fmt::print(stderr, "[suite] writing the built-in synthetic model ({} shape, {}, seed {}) to {} ...\n", d.shape,
                 d.type, d.seed, path.string());
      const auto t0 = std::chrono::steady_clock::now();
      WriteSyntheticModel(so, path.string());
      fmt::print(stderr, "[suite] written in {:.1f} s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return path.string();
  }

  json Configuration() const {
    json models = json::array();
    for (const auto& m : models_) models.push_back({{"name", m.name}, {"sha256", m.sha256}, {"builtin", m.builtin}});
    json config = {{"suite", c_.suite.document},
            {"models", models},
            {"data", settings_.data_is_samples ? json("samples") : json(fs::absolute(settings_.data_dir).string())},
            {"threads", Threads()},
            {"limit", c_.limit ? json(*c_.limit) : json()},
            {"allow_code_execution", c_.allow_code_execution},
            {"kernel", c_.kernel},
            {"pre_tokenizer", c_.pre_tokenizer},
            {"bos", c_.bos},
            {"n_batch", c_.n_batch},
            {"n_ctx", c_.n_ctx},
            {"baselines", BaselinesEnabled()},
            {"tool", inputs_.tool}};
    if (c_.shard) config["shard"] = c_.shard->ToString();
    return config;
  }

  // What every shard of one run shares (merge-shards compares it): not the shard, nor the
  // threads (machines differ); the kernel as resolved on this machine.
  json ShardConfiguration() const {
    json config = Configuration();
    config.erase("shard");
    config.erase("threads");
    config["kernel_resolved"] = SelectKernels(c_.kernel).name;
    json skipped = json::array();  // the names (the reasons name local paths)
    for (const auto& [task, reason] : inputs_.skipped) skipped.push_back(task);
    config["skipped"] = skipped;
    config["tasks"] = shard_tasks_;
    return config;
  }

  std::vector<int> Threads() const { return c_.threads.empty() ? c_.suite.threads : c_.threads; }

  // Accuracy, the fingerprint and the energy region run once, at the largest count of the sweep
  // (0, all hardware threads, when the sweep has it).
  int AccuracyThreads() const {
    if (c_.threads.empty() && c_.suite.accuracy_threads) return *c_.suite.accuracy_threads;
    int n = 0;
    for (int t : Threads()) {
      if (t == 0) return 0;
      n = std::max(n, t);
    }
    return n;
  }

  void OpenState() {
    auto state = std::make_unique<RunState>(c_.out, Configuration(), c_.fresh);
    if (state->resumed_units() > 0)
      fmt::print(stderr, "[suite] resuming: {} finished units found in {} (--fresh to start over)\n",
                 state->resumed_units(), state->dir().string());
    std::lock_guard<std::mutex> lock(mu_);
    state_ = std::move(state);
  }

  SessionOptions BaseSession(int threads) const {
    SessionOptions o;
    o.n_threads = threads;
    o.n_batch = c_.n_batch;
    o.kernel = c_.kernel;
    return o;
  }

  // Runs `fn` unless the unit is in the state; persists its result.
  template <typename Fn>
  void Unit(const std::string& key, const std::string& label, Fn fn) {
    if (state_->Find(key)) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      current_ = label;
    }
    fmt::print(stderr, "[suite] {} ...\n", label);
    const auto t0 = std::chrono::steady_clock::now();
    const json value = fn();
    state_->Put(key, value);
    fmt::print(stderr, "[suite] {}: {:.1f} s\n", label,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    TestHook(key);
  }

  // BITNET_SUITE_TEST_SIGNAL=SIGNAL@KEY: raise SIGNAL (SIGINT, SIGTERM, SIGKILL) right after the
  // unit KEY is persisted, as a user or a crash would (tests/cli/suite_resume_test.cc).
  static void TestHook(const std::string& key) {
    const char* v = std::getenv("BITNET_SUITE_TEST_SIGNAL");
    if (!v) return;
    const std::string s = v;
    const size_t at = s.find('@');
    if (at != std::string::npos && s.substr(at + 1) == key) InterruptGuard::Raise(s.substr(0, at));
  }

  void RunModel(size_t index) {
    const LoadedModel& m = models_[index];
    const std::vector<int> threads = Threads();
    const SessionOptions base = BaseSession(AccuracyThreads());
    const SuiteDefinition s = c_.shard ? ProbesOfShard(c_.suite, *c_.shard) : c_.suite;
    const KernelTable& kt = SelectKernels(c_.kernel);
    auto key = [&](const std::string& unit) { return UnitKey(m.name, unit); };
    auto label = [&](const std::string& what) { return fmt::format("{}: {}", m.name, what); };

    if (s.fingerprint) Unit(key("efficiency.fingerprint"), label("logits fingerprint"), [&] {
        return RunLogitsFingerprint(m.model, base, *s.fingerprint);
      });
    if (s.latency)
      for (size_t i = 0; i < threads.size(); ++i)
        Unit(key(fmt::format("efficiency.latency.{}", i)),
             label(fmt::format("latency (tg{}, threads {})", s.latency->n_gen, threads[i])),
             [&] { return RunLatencyRow(m.model, base, threads[i], *s.latency); });
    if (s.energy_measured) Unit(key("efficiency.energy_measured"), label("measured energy"), [&] {
        return RunEnergyMeasured(m.model, base, *s.energy_measured);
      });
    if (s.bench) Unit(key("efficiency.bench"), label("bench"), [&] { return RunBenchRows(m.model, base, *s.bench); });
    if (s.microbench) Unit(key("efficiency.microbench"), label("kernel microbenchmarks"), [&] {
        const MicrobenchResult r = RunMicrobench(*s.microbench, kt.name);
        if (!r.ok) fmt::print(stderr, "[suite] microbenchmarks skipped: {}\n", r.reason);
        return json{{"ok", r.ok}, {"reason", r.reason}, {"executable", r.executable},
                    {"benchmarks", r.benchmarks}, {"context", r.context}};
      });
    if (s.memory) Unit(key("efficiency.memory"), label("memory"), [&] { return RunMemory(*m.model, *s.memory); });
    if (s.energy_estimated) Unit(key("efficiency.energy_estimated"), label("estimated energy"), [&] {
        return RunEnergyEstimated(*m.model, *s.energy_estimated);
      });

    std::unique_ptr<Session> session;  // one for every task of this model, made when first needed
    std::unique_ptr<evals::RequestCache> cache;
    for (size_t i = 0; i < inputs_.tasks.size(); ++i) {
      const PlannedTask& t = inputs_.tasks[i];
      if (!prepared_[i].runnable) continue;
      try {
        Unit(key("task." + t.config.task), label("task " + t.config.task), [&] {
          if (!session) {
            SessionOptions so = base;
            so.n_ctx = c_.n_ctx > 0 ? c_.n_ctx : s.n_ctx;
            session = std::make_unique<Session>(m.model, so);
          }
          if (!cache) cache = OpenRequestCache(m, *session);
          return RunPreparedTask(*session, t, prepared_[i], settings_, c_.out / "samples" / m.name, cache.get(), m.name,
                                 m.sha256);
        });
      } catch (const std::exception& e) {  // one task failing does not stop the others; not persisted
        fmt::print(stderr, "[suite] {}: task {} failed: {}\n", m.name, t.config.task, e.what());
        std::lock_guard<std::mutex> lock(mu_);
        inputs_.failed[key("task." + t.config.task)] = e.what();
      }
    }
  }

  // Finished requests of this model's tasks (OUT/state/requests_<model>.jsonl): a task stopped
  // half-way resumes at its first unfinished request.
  std::unique_ptr<evals::RequestCache> OpenRequestCache(const LoadedModel& m, const Session& session) const {
    const Tokenizer& tok = m.model->RequireTokenizer();
    const json settings = {{"model_sha256", m.sha256},
                           {"weights", m.model->WeightTypeName()},
                           {"kernel", session.kernels().name},
                           {"n_ctx", session.n_ctx()},
                           {"n_batch", c_.n_batch},
                           {"bos", c_.bos},
                           {"add_bos", settings_.add_bos.value_or(tok.add_bos())},
                           {"code_execution", c_.allow_code_execution}};
    auto cache = std::make_unique<evals::RequestCache>(state_->dir() / ("requests_" + m.name + ".jsonl"), settings);
    if (!cache->note().empty()) fmt::print(stderr, "[suite] request cache: {}\n", cache->note());
    if (cache->loaded() > 0)
      fmt::print(stderr, "[suite] request cache: {} finished requests of unfinished tasks; resuming\n", cache->loaded());
    return cache;
  }

  json Settings(const LoadedModel& m, const std::vector<int>& threads) const {
    const Tokenizer* tok = m.model->tokenizer();
    return {{"kernel", SelectKernels(c_.kernel).name},
            {"threads", AccuracyThreads() > 0 ? AccuracyThreads()
                                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))},
            {"thread_sweep", threads},
            {"tokenizer_pre", tok ? std::string(PreTokenizerName(tok->pre_tokenizer())) : "none"},
            {"bos", c_.bos},
            {"n_ctx", c_.n_ctx > 0 ? c_.n_ctx : c_.suite.n_ctx},
            {"n_batch", c_.n_batch},
            {"seed", 1234},
            {"data", settings_.data_is_samples ? json("samples") : json(fs::absolute(settings_.data_dir).string())},
            {"limit", c_.limit ? json(*c_.limit) : json()},
            {"default_limit", settings_.default_limit ? json(*settings_.default_limit) : json()},
            {"max_gen_toks_cap", settings_.max_gen_toks ? json(*settings_.max_gen_toks) : json()},
            {"shots_fallback", settings_.shots_fallback},
            {"allow_code_execution", c_.allow_code_execution}};
  }

  // Settings of the requested models (kept once their models are released), then the baselines'.
  void FillSettings() {
    if (main_settings_.empty())
      for (const auto& m : models_) main_settings_.push_back(Settings(m, Threads()));
    inputs_.settings = main_settings_;
    inputs_.settings.insert(inputs_.settings.end(), baseline_settings_.begin(), baseline_settings_.end());
  }

  // --- Table 1 baselines (harness/suite/baselines.h) ---

  // Not in a sharded run: the baselines are efficiency work for one machine, and merge-shards
  // keeps the requested models' rows only.
  bool BaselinesEnabled() const {
    if (!c_.suite.baselines || c_.shard) return false;
    return c_.baselines ? *c_.baselines : UsesBuiltin();
  }

  // The efficiency units of a baseline, in the order they run.
  std::vector<std::string> BaselineUnits() const {
    const BaselinesSpec& b = *c_.suite.baselines;
    std::vector<std::string> u;
    if (b.latency) u.push_back("efficiency.latency.0");
    if (b.energy_measured) u.push_back("efficiency.energy_measured");
    if (b.memory) u.push_back("efficiency.memory");
    if (b.energy_estimated) u.push_back("efficiency.energy_estimated");
    return u;
  }

  json BaselinesBlock(const std::string& why_not) const {
    const BaselinesSpec& b = *c_.suite.baselines;
    json columns = json::array();
    for (const auto& m : b.models)
      columns.push_back({{"name", m.name}, {"paper_column", m.paper_column}, {"shape", m.shape}, {"type", m.type},
                         {"seed", m.seed}, {"status", why_not.empty() ? "pending" : "not_run"},
                         {"reason", why_not.empty() ? json() : json(why_not)}});
    return {{"enabled", why_not.empty()},
            {"reason", why_not.empty() ? json() : json(why_not)},
            {"keep_models", c_.keep_models},
            {"probes", c_.suite.document.at("baselines").value("probes", json::object())},
            {"columns", columns}};
  }

  void SetBaselineStatus(size_t i, const std::string& status, const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu_);
    inputs_.baselines["columns"][i]["status"] = status;
    inputs_.baselines["columns"][i]["reason"] = reason.empty() ? json() : json(reason);
  }

  // A baseline's model block and settings join the report (under the lock: the signal thread
  // may be assembling a partial report).
  void AddBaselineModel(const std::string& name, const json& model, const json& settings, const std::string& skipped) {
    std::lock_guard<std::mutex> lock(mu_);
    inputs_.models.push_back(model);
    baseline_settings_.push_back(settings);
    inputs_.accuracy_not_run[name] =
        "a Table 1 baseline measured on synthetic weights: efficiency rows only (its accuracy would be "
        "meaningless); pass --model NAME=PATH with the real model for these rows";
    if (!skipped.empty()) inputs_.efficiency_skipped[name] = skipped;
  }

  void RunBaselines() {
    if (!c_.suite.baselines) return;
    std::string why_not;
    if (c_.shard && c_.baselines.value_or(true))
      why_not = "a sharded run (--shard) measures no baselines: run them without --shard";
    else if (!BaselinesEnabled())
      why_not = c_.baselines ? "--no-baselines" : "a --model was given (pass --baselines to measure them as well)";
    {
      std::lock_guard<std::mutex> lock(mu_);
      inputs_.baselines = BaselinesBlock(why_not);
      if (why_not.empty() && !c_.suite.baselines->note.empty()) inputs_.notes.push_back(c_.suite.baselines->note);
      if (!why_not.empty())
        inputs_.notes.push_back("Table 1 baseline columns not measured (" + why_not +
                                "): they show the published figures only.");
    }
    if (!why_not.empty()) return;
    {  // the requested models are done: release them so the baselines' resident memory is their own
      std::lock_guard<std::mutex> lock(mu_);
      FillSettings();
      for (auto& m : models_) m.model.reset();
    }
    RemoveStaleScratch();
    const auto& models = c_.suite.baselines->models;
    for (size_t i = 0; i < models.size(); ++i) RunBaseline(models[i], i);
  }

  // Temporary files of a writer killed half-way (path.tmp.PID) would hold gigabytes; with
  // `models` too, the baselines' finished files (an interrupted run; unless --keep-models).
  void RemoveStaleScratch(bool models = false) const {
    std::error_code ec;
    const fs::path dir = c_.out / "baselines";
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string p = e.path().string();
      if (p.find(".gguf.tmp.") != std::string::npos || (models && !c_.keep_models && e.path().extension() == ".gguf"))
        fs::remove(e.path(), ec);
    }
  }

  void RunBaseline(const BaselineModelSpec& b, size_t index) {
    const BaselinesSpec& bs = *c_.suite.baselines;
    auto key = [&](const std::string& unit) { return UnitKey(b.name, unit); };
    auto label = [&](const std::string& what) { return fmt::format("{}: {}", b.name, what); };
    const std::vector<std::string> units = BaselineUnits();
    const std::optional<json> known = state_->Find(key("model"));
    bool pending = !known;
    for (const auto& u : units) pending = pending || !state_->Find(key(u));
    if (!pending) {  // measured by an earlier run of this configuration
      AddBaselineModel(b.name, known->at("model"), known->at("settings"), "");
      SetBaselineStatus(index, "measured", "");
      return;
    }
    const SyntheticOptions so = BaselineWriterOptions(b, c_.suite.source);
    const fs::path path = BaselinePath(c_.out, b);
    const json skipped_block = {{"name", b.name},         {"synthetic", true},      {"builtin_default", true},
                                {"paper_column", b.paper_column}, {"architecture", so.shape.arch},
                                {"weight_type", b.type}};
    if (const std::string why = DiskShortfall(path.parent_path(), SyntheticTensorBytes(so)); !why.empty()) {
      fmt::print(stderr, "[suite] {}: baseline skipped: {}\n", b.name, why);
      AddBaselineModel(b.name, skipped_block, {{"threads", Threads().front()}}, "not measured: " + why);
      SetBaselineStatus(index, "skipped", why);
      return;
    }
    fs::create_directories(path.parent_path());
    fmt::print(stderr, "[suite] {}: writing its synthetic model ({} shape, {}, seed {}) to {} ...\n", b.name, b.shape,
               b.type, b.seed, path.string());
    const auto t0 = std::chrono::steady_clock::now();
    WriteSyntheticModel(so, path.string());
    fmt::print(stderr, "[suite] {}: written in {:.1f} s\n", b.name,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    LoadedModel m;
    m.name = b.name;
    m.path = path.string();
    m.builtin = m.synthetic = true;
    m.model = Model::Load(m.path);
    json block = ModelBlock(m);
    block["sha256"] = nullptr;  // not hashed (gigabytes): the recipe below gives the same bytes
    block["synthetic_recipe"] = {{"shape", b.shape}, {"type", b.type}, {"seed", b.seed}, {"writer", "make-model"}};
    block["paper_column"] = b.paper_column;
    json settings = Settings(m, {Threads().front()});
    settings["bounded"] = bs.latency ? json{{"latency", c_.suite.document["baselines"]["probes"]["latency"]}} : json();
    if (!known) state_->Put(key("model"), {{"model", block}, {"settings", settings}});
    AddBaselineModel(b.name, block, settings, "");
    ResetPeakResident();  // the writer's buffers are not the model's memory
    const SessionOptions base = BaseSession(AccuracyThreads());
    if (bs.latency)
      Unit(key("efficiency.latency.0"), label(fmt::format("latency (tg{}, threads {})", bs.latency->n_gen, Threads().front())),
           [&] { return RunLatencyRow(m.model, base, Threads().front(), *bs.latency); });
    if (bs.energy_measured) Unit(key("efficiency.energy_measured"), label("measured energy"), [&] {
        return RunEnergyMeasured(m.model, base, *bs.energy_measured);
      });
    if (bs.memory) Unit(key("efficiency.memory"), label("memory"), [&] { return RunMemory(*m.model, *bs.memory); });
    if (bs.energy_estimated) Unit(key("efficiency.energy_estimated"), label("estimated energy"), [&] {
        return RunEnergyEstimated(*m.model, *bs.energy_estimated);
      });
    m.model.reset();
    SetBaselineStatus(index, "measured", "");
    if (!c_.keep_models) {
      std::error_code ec;
      fs::remove(path, ec);
    }
  }

  int Finish() {
    std::lock_guard<std::mutex> lock(mu_);
    FillSettings();
    const std::map<std::string, json> units = state_->Snapshot();
    const json doc = Document(units, "complete", nullptr);
    WriteReportFiles(c_.out, doc);
    if (c_.shard) WriteShards(units);
    finished_ = true;
    std::cout << SummaryMarkdown(doc) << std::flush;
    fmt::print(stderr, "[suite] wrote {}\n", (c_.out / "report.json").string());
    return 0;
  }

  json Document(const std::map<std::string, json>& units, const std::string& status, const json& interrupted) const {
    json doc = AssembleReport(inputs_, units, status, interrupted);
    if (c_.shard) doc["shard"] = {{"index", c_.shard->index}, {"count", c_.shard->count}};
    return doc;
  }

  void WriteShards(const std::map<std::string, json>& units) const {
    ShardOutputs o;
    o.out = c_.out;
    o.spec = *c_.shard;
    o.configuration = ShardConfiguration();
    for (const auto& m : models_) o.models.push_back({m.name, m.sha256, c_.out / "samples" / m.name});
    o.tasks = &inputs_.tasks;
    o.prepared = &prepared_;
    o.bootstrap_iters = evals::kDefaultBootstrapIters;
    o.skipped = inputs_.skipped;
    WriteShardOutputs(o, units, inputs_.failed);
    fmt::print(stderr, "[suite] shard {} finished: {}\n", c_.shard->ToString(),
               (c_.out / evals::kShardManifestFile).string());
  }

  void OnSignal(const std::string& sig) {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    fmt::print(stderr, "\n[suite] {}: writing the partial report ...\n", sig);
    if (!state_) {  // models and tasks not ready yet: nothing ran, nothing to report
      fmt::print(stderr, "[suite] interrupted ({}) before any unit ran; no report written\n", sig);
      return;
    }
    FillSettings();
    RemoveStaleScratch(/*models=*/true);  // gigabytes a restart rewrites anyway
    const std::map<std::string, json> units = state_->Snapshot();
    const json doc = Document(units, "partial", {{"signal", sig}, {"at", current_}});
    WriteReportFiles(c_.out, doc);
    std::cout << SummaryMarkdown(doc) << std::flush;
    fmt::print(stderr, "[suite] interrupted ({}) at {}: partial report in {}; run the same command again to continue\n",
               sig, current_.empty() ? "start" : current_, (c_.out / "report.json").string());
  }

  const RunConfig& c_;
  ReportInputs inputs_;
  AccuracySettings settings_;
  harness::sandbox::SandboxExecutor sandbox_;
  std::vector<PreparedTask> prepared_;
  json shard_tasks_;  // a shard's configuration.tasks (the whole streams)
  std::vector<LoadedModel> models_;
  std::vector<json> main_settings_, baseline_settings_;
  std::unique_ptr<RunState> state_;
  std::mutex mu_;
  std::string current_;
  bool finished_ = false;
};

}  // namespace

int RunSuite(const RunConfig& config) {
  Runner r(config);
  return r.Run();
}

}  // namespace bitnet::suite
