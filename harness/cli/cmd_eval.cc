// bitnet-eval eval --model MODEL --tasks arc_easy,gsm8k [--limit N] [--data-dir DIR] [--out DIR]
//                  [--num-fewshot N] [--bos auto|on|off] [--chat] [-t THREADS] [--allow-code-execution]
//                  [--shard I/N] [--no-cache] [--quiet]
// --allow-code-execution: humaneval_plus runs the generated code in harness/sandbox (SandboxExecutor).
// The work is in evals/runner (EvaluateTask, ResultsJson); this file parses options, loads the
// model and the data, and writes results.json, samples_<task>.jsonl and the table.
// --out DIR keeps DIR/request_cache.jsonl (evals/runner/request_cache.h): a rerun with the same
// settings after a crash or kill -9 computes only the missing requests. --shard I/N runs one part
// (evals/runner/shards.h) and writes DIR/shard_manifest.json for `merge-shards`.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "common/error.h"
#include "datasets/loaders/data_dir.h"
#include "engine/engine.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/mt_bench.h"
#include "evals/runner/progress.h"
#include "evals/runner/report.h"
#include "evals/runner/request_cache.h"
#include "evals/runner/shards.h"
#include "harness/cli/options.h"
#include "harness/run_context.h"
#include "harness/sandbox/sandbox_executor.h"

namespace bitnet::cli {

namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string item = s.substr(i, j - i);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    i = j + 1;
  }
  return out;
}

}  // namespace

int RunEval(const Args& args) {
  po::options_description desc("eval options");
  desc.add_options()("model,m", po::value<std::string>()->required(), "GGUF model")
      ("tasks", po::value<std::string>()->required(), "comma-separated task or group names (e.g. arc_easy,mmlu)")
      ("limit", po::value<int64_t>(), "evaluate the first N documents of each task")
      ("data-dir", po::value<std::string>()->default_value(""),
       "data directory (layout of datasets/manifest.json; default: the project's datasets/samples)")
      ("out,o", po::value<std::string>()->default_value("bitnet-eval-out"), "output folder")
      ("num-fewshot", po::value<int>(), "few-shot examples (default: each task file's, the report's setting)")
      ("bos", po::value<std::string>()->default_value("auto"),
       "BOS before log-likelihood contexts and prompts: auto (the tokenizer's add_bos) | on | off")
      ("chat", po::bool_switch(), "chat prompts for every task (default: tasks with apply_chat_template)")
      ("chat-format", po::value<std::string>(),
       "bitnet | llama3 | chatml | gemma | minicpm | falcon3 (default: from the model's tokenizer.chat_template)")
      ("allow-code-execution", po::bool_switch(),
       "run model-written code (humaneval_plus) in the sandbox: python3 -I, no network, read-only filesystem")
      ("tasks-dir", po::value<std::string>()->default_value(""), "task files (default: the built-in evals/tasks)")
      ("bootstrap-iters", po::value<int>()->default_value(evals::kDefaultBootstrapIters),
       "bootstrap iterations for non-mean aggregations (0: no stderr)")
      ("shard", po::value<std::string>(),
       "run part I of N (0-based, e.g. $SLURM_ARRAY_TASK_ID/4); combine the parts with merge-shards")
      ("no-cache", po::bool_switch(), "neither read nor write the request cache (OUT/request_cache.jsonl)")
      ("quiet,q", po::bool_switch(), "no progress on stderr");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("eval", "--model MODEL --tasks T1,T2 [--limit N] [--data-dir DIR] [--out DIR] [--num-fewshot N] "
             "[--bos auto|on|off] [--chat] [--chat-format F] [--shard I/N] [--no-cache] [--quiet]", desc, nullptr, args, vm))
    return 0;

  evals::RunOptions ro;
  if (vm.count("limit")) {
    const int64_t n = vm["limit"].as<int64_t>();
    if (n <= 0) throw UsageError("--limit must be positive");
    ro.limit = static_cast<size_t>(n);
  }
  if (vm.count("num-fewshot")) {
    ro.num_fewshot = vm["num-fewshot"].as<int>();
    if (*ro.num_fewshot < 0) throw UsageError("--num-fewshot must not be negative");
  }
  const std::string bos = vm["bos"].as<std::string>();
  if (bos == "on") ro.add_bos = true;
  else if (bos == "off") ro.add_bos = false;
  else if (bos != "auto") throw UsageError(fmt::format("--bos {}: expected auto, on or off", bos));
  ro.chat = vm["chat"].as<bool>();
  if (vm.count("chat-format")) ro.chat_format = ParseChatFormat(vm["chat-format"].as<std::string>());
  ro.bootstrap_iters = vm["bootstrap-iters"].as<int>();
  const bool allow_code = vm["allow-code-execution"].as<bool>();
  const bool quiet = vm["quiet"].as<bool>(), use_cache = !vm["no-cache"].as<bool>();
  std::optional<evals::ShardSpec> shard;
  if (vm.count("shard")) shard = evals::ShardSpec::Parse(vm["shard"].as<std::string>());
  harness::sandbox::SandboxExecutor sandbox_executor;
  if (allow_code) ro.code_executor = &sandbox_executor;

  // Everything that can fail on input is checked before the model is loaded.
  const std::string tasks_dir_opt = vm["tasks-dir"].as<std::string>();
  const std::filesystem::path tasks_dir = tasks_dir_opt.empty() ? evals::DefaultTasksDir() : std::filesystem::path(tasks_dir_opt);
  const std::vector<std::string> names = SplitList(vm["tasks"].as<std::string>());
  if (names.empty()) throw UsageError("--tasks is empty");
  const std::vector<evals::TaskConfig> tasks = evals::ResolveTasks(names, tasks_dir);
  const std::string data_dir_opt = vm["data-dir"].as<std::string>();
  const std::filesystem::path data_dir = data_dir_opt.empty() ? datasets::SamplesDir() : std::filesystem::path(data_dir_opt);
  if (!std::filesystem::is_directory(data_dir))
    throw InputError(data_dir.string(), "--data-dir", "not a directory");
  std::vector<evals::TaskDocs> docs;
  for (const auto& t : tasks) {
    evals::CheckRunnable(t, allow_code);
    docs.push_back(evals::LoadTaskDocs(t, data_dir, ro.num_fewshot.value_or(t.num_fewshot)));
  }

  // The request streams, and this shard's documents.
  std::vector<std::vector<evals::DocRequests>> streams;
  for (size_t i = 0; i < tasks.size(); ++i) streams.push_back(evals::PlanRequests(tasks[i], docs[i], ro));
  std::vector<std::vector<size_t>> shard_docs;
  if (shard) shard_docs = evals::ShardDocuments(tasks, streams, *shard);
  size_t total_requests = 0;
  for (size_t i = 0; i < tasks.size(); ++i)
    for (size_t k = 0; k < streams[i].size(); ++k)
      if (!shard || std::binary_search(shard_docs[i].begin(), shard_docs[i].end(), k))
        total_requests += evals::RequestsPerDoc(tasks[i], streams[i][k]);

  const std::string model_path = vm["model"].as<std::string>();
  auto model = Model::Load(model_path, LoadOptionsFrom(vm));
  const SessionOptions so = SessionOptionsFrom(vm);
  Session session(model, so);
  const Tokenizer& tok = model->RequireTokenizer();
  const std::string model_sha = Sha256File(model_path);

  // What the per-request results depend on (the request cache's key; part of a shard's configuration).
  const nlohmann::json settings = {
      {"model_sha256", model_sha},
      {"weights", model->WeightTypeName()},
      {"kernel", session.kernels().name},
      {"n_ctx", session.n_ctx()},
      {"n_batch", so.n_batch},
      {"bos", bos},
      {"add_bos", ro.add_bos.value_or(tok.add_bos())},
      {"chat_forced", ro.chat},
      {"chat_format", ro.chat_format ? nlohmann::json(std::string(ChatFormatName(*ro.chat_format))) : nlohmann::json()},
      {"num_fewshot", ro.num_fewshot ? nlohmann::json(*ro.num_fewshot) : nlohmann::json()},
      {"code_execution", allow_code}};

  const std::filesystem::path out = vm["out"].as<std::string>();
  std::filesystem::create_directories(out);
  std::unique_ptr<evals::RequestCache> cache;
  if (use_cache) {
    cache = std::make_unique<evals::RequestCache>(out / "request_cache.jsonl", settings);
    if (!cache->note().empty()) fmt::print(stderr, "[eval] request cache: {}\n", cache->note());
    if (cache->loaded() > 0)
      fmt::print(stderr, "[eval] request cache: {} finished requests in {}; resuming\n", cache->loaded(),
                 cache->path().string());
    ro.cache = cache.get();
  }
  evals::Progress progress(total_requests, quiet ? nullptr : stderr, evals::Progress::IsTerminal(stderr));
  ro.on_request = [&](bool from_cache) { progress.Advance(from_cache); };

  std::vector<evals::TaskRun> runs;
  for (size_t i = 0; i < tasks.size(); ++i) {
    evals::RunOptions task_ro = ro;
    if (shard) task_ro.only_docs = &shard_docs[i];
    progress.SetTask(tasks[i].task);
    runs.push_back(evals::EvaluateTask(session, tasks[i], docs[i], task_ro));
  }
  progress.Finish();

  nlohmann::json j = evals::ResultsJson(runs);
  nlohmann::json& be = j["bitnet_eval"];
  be["model"] = {{"path", std::filesystem::absolute(model_path).string()},
                 {"sha256", model_sha},
                 {"weights", model->WeightTypeName()}};
  be["kernel"] = session.kernels().name;
  be["threads"] = session.n_threads();
  be["n_ctx"] = session.n_ctx();
  be["n_batch"] = so.n_batch;
  be["pre_tokenizer"] = std::string(PreTokenizerName(tok.pre_tokenizer()));
  be["bos"] = {{"mode", bos}, {"add_bos", ro.add_bos.value_or(tok.add_bos())}, {"tokenizer_add_bos", tok.add_bos()}};
  be["chat_forced"] = ro.chat;
  if (ro.chat_format) be["chat_format_forced"] = std::string(ChatFormatName(*ro.chat_format));
  be["data_dir"] = std::filesystem::absolute(data_dir).string();
  be["limit"] = ro.limit ? nlohmann::json(*ro.limit) : nlohmann::json();
  be["bootstrap_iters"] = ro.bootstrap_iters;
  be["code_execution"] = allow_code ? nlohmann::json{{"sandbox", sandbox_executor.Describe()}} : nlohmann::json(false);
  be["host"] = ToJson(ReadHostInfo());
  if (shard) be["shard"] = shard->ToString();
  if (cache) be["request_cache"] = {{"file", cache->path().string()}, {"reused", cache->hits()}, {"written", cache->written()}};
  j["model_name"] = model_path;

  const std::string model_id = std::filesystem::path(model_path).stem().string();
  for (const auto& r : runs) {
    evals::WriteFileAtomic(out / ("samples_" + r.task + ".jsonl"), evals::SamplesJsonl(r));
    if (r.config.value("process_results", "") == "mt_bench_judge") {
      const std::filesystem::path ap = out / evals::FastChatAnswersPath(r.task, model_id);
      std::filesystem::create_directories(ap.parent_path());
      evals::WriteFileAtomic(ap, evals::FastChatAnswersJsonl(r.samples, model_id, model_sha));
      fmt::print(stderr, "[eval] {}: FastChat answers in {}; judging {}\n", r.task, ap.string(), evals::kMtBenchJudging);
    }
  }
  evals::WriteFileAtomic(out / "results.json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  if (shard) {
    nlohmann::json configuration = settings;
    configuration["limit"] = be["limit"];
    configuration["bootstrap_iters"] = ro.bootstrap_iters;
    nlohmann::json task_cfg = nlohmann::json::object();
    std::vector<std::string> names;
    for (const auto& r : runs) {
      task_cfg[r.task] = {{"version", r.version},
                          {"n_shot", r.n_shot},
                          {"request_stream_sha256", r.request_hash_full},
                          {"documents", r.n_documents_full}};
      names.push_back(r.task);
    }
    configuration["tasks"] = task_cfg;
    configuration["task_order"] = names;
    // Written last: its presence says the shard finished.
    evals::WriteFileAtomic(out / evals::kShardManifestFile,
                           evals::ShardManifest(*shard, configuration, names, shard_docs).dump(2) + "\n");
  }

  fmt::print("{} ({}), limit: {}, num_fewshot: {}, bos: {} ({}), kernel {}, {} threads\n", model_path,
             model->WeightTypeName(), ro.limit ? std::to_string(*ro.limit) : "None",
             ro.num_fewshot ? std::to_string(*ro.num_fewshot) : "task default", bos,
             ro.add_bos.value_or(tok.add_bos()) ? "BOS" : "no BOS", session.kernels().name, session.n_threads());
  fmt::print("{}", evals::FormatTable(runs));
  fmt::print("\nwrote {}\n", (out / "results.json").string());
  return 0;
}

}  // namespace bitnet::cli
