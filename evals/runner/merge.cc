#include "evals/runner/merge.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>

#include "common/error.h"
#include "evals/runner/aggregate.h"
#include "evals/runner/report.h"
#include "evals/runner/shards.h"

namespace bitnet::evals {

namespace fs = std::filesystem;
using nlohmann::json;

json ReadShardJson(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw InputError(p.string(), "open", "missing or unreadable");
  try {
    return json::parse(f);
  } catch (const json::exception& e) {
    throw InputError(p.string(), "JSON", e.what());
  }
}

namespace {

std::vector<json> ReadJsonl(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw InputError(p.string(), "open", "missing or unreadable");
  std::vector<json> out;
  std::string line;
  for (size_t n = 1; std::getline(f, line); ++n) {
    try {
      out.push_back(json::parse(line));
    } catch (const json::exception& e) {
      throw InputError(p.string(), fmt::format("line {}", n), e.what());
    }
    if (!out.back().is_object() || !out.back().contains("doc_id") || !out.back()["doc_id"].is_number_unsigned())
      throw InputError(p.string(), fmt::format("line {}", n), "a sample record needs an unsigned \"doc_id\"");
  }
  return out;
}

struct Shard : ShardFolder {
  json results;
};

MergedRun MergeChecked(const std::vector<fs::path>& dirs, std::optional<int> bootstrap_opt, std::string& at);

}  // namespace

std::string FirstDifference(const json& a, const json& b, const std::string& path) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k)) return path + "/" + k + " (absent in one)";
      const std::string d = FirstDifference(v, b[k], path + "/" + k);
      if (!d.empty()) return d;
    }
    for (const auto& [k, v] : b.items())
      if (!a.contains(k)) return path + "/" + k + " (absent in one)";
    return "";
  }
  if (a != b) return fmt::format("{} ({} vs {})", path.empty() ? "/" : path, a.dump().substr(0, 80), b.dump().substr(0, 80));
  return "";
}

ShardFolder ReadShardManifest(const fs::path& dir) {
  ShardFolder s;
  s.dir = dir;
  const fs::path mp = dir / kShardManifestFile;
  s.manifest = ReadShardJson(mp);
  const json& sh = s.manifest.value("shard", json());
  if (!s.manifest.contains("bitnet_eval_shard") || !sh.is_object() || !sh.value("index", json()).is_number_unsigned() ||
      !sh.value("count", json()).is_number_unsigned() || !s.manifest.contains("configuration") ||
      !s.manifest["configuration"].is_object() || !s.manifest["configuration"].contains("tasks") ||
      !s.manifest.contains("documents"))
    throw InputError(mp.string(), "/", "not a bitnet-eval shard manifest (shard, configuration.tasks, documents)");
  s.index = sh["index"].get<size_t>();
  s.count = sh["count"].get<size_t>();
  if (s.count == 0 || s.index >= s.count) throw InputError(mp.string(), "/shard", "index must be below count");
  return s;
}

std::map<size_t, size_t> CheckShardSet(const std::vector<const ShardFolder*>& shards) {
  if (shards.empty()) throw UsageError("merge-shards needs at least one shard folder");
  const ShardFolder& first = *shards.front();
  std::map<size_t, size_t> by_index;
  for (size_t k = 0; k < shards.size(); ++k) {
    const ShardFolder& s = *shards[k];
    const std::string diff = FirstDifference(first.manifest["configuration"], s.manifest["configuration"]);
    if (!diff.empty())
      throw InputError((s.dir / kShardManifestFile).string(), "configuration",
                       fmt::format("differs from {} at {}: not the same model, settings or tasks", first.dir.string(), diff));
    if (s.count != first.count)
      throw InputError((s.dir / kShardManifestFile).string(), "/shard/count",
                       fmt::format("{} shards here, {} in {}", s.count, first.count, first.dir.string()));
    auto [it, fresh] = by_index.emplace(s.index, k);
    if (!fresh)
      throw InputError(s.dir.string(), "/shard/index",
                       fmt::format("shard {}/{} is given twice (also {})", s.index, s.count,
                                   shards[it->second]->dir.string()));
  }
  for (size_t i = 0; i < first.count; ++i)
    if (!by_index.count(i))
      throw InputError(fmt::format("shard {}/{}", i, first.count), "merge-shards",
                       "missing: no folder given holds this shard (its job may have failed)");
  return by_index;
}

// Report files are untrusted: a missing key or a wrong type is an InputError naming the file.
MergedRun MergeShards(const std::vector<fs::path>& dirs, std::optional<int> bootstrap_opt) {
  std::string at = "merge-shards";
  try {
    return MergeChecked(dirs, bootstrap_opt, at);
  } catch (const json::exception& e) {
    throw InputError(at, "JSON", std::string("missing or mistyped field: ") + e.what());
  }
}

namespace {

MergedRun MergeChecked(const std::vector<fs::path>& dirs, std::optional<int> bootstrap_opt, std::string& at) {
  if (dirs.empty()) throw UsageError("merge-shards needs at least one shard folder");
  std::vector<Shard> shards;
  for (const fs::path& d : dirs) {
    Shard s;
    at = (d / kShardManifestFile).string();
    static_cast<ShardFolder&>(s) = ReadShardManifest(d);
    at = (d / "results.json").string();
    s.results = ReadShardJson(d / "results.json");
    shards.push_back(std::move(s));
  }
  std::vector<const ShardFolder*> folders;
  for (const Shard& s : shards) folders.push_back(&s);
  std::map<size_t, const Shard*> by_index;
  for (const auto& [idx, k] : CheckShardSet(folders)) by_index[idx] = &shards[k];
  const Shard& first = shards.front();

  MergedRun m;
  m.configuration = first.manifest["configuration"];
  const json& tasks = m.configuration["tasks"];
  const int bootstrap_iters = bootstrap_opt.value_or(m.configuration.value("bootstrap_iters", kDefaultBootstrapIters));
  // Task order as in the shards' results (the order of --tasks).
  std::vector<std::string> order;
  if (first.results.contains("bitnet_eval") && first.results["bitnet_eval"].contains("task_order"))
    order = first.results["bitnet_eval"]["task_order"].get<std::vector<std::string>>();
  else
    for (const auto& [name, cfg] : tasks.items()) order.push_back(name);

  for (const std::string& name : order) {
    if (!tasks.contains(name)) throw InputError(first.dir.string(), "task_order", "task " + name + " is not in the manifest");
    at = (first.dir / kShardManifestFile).string() + " configuration.tasks." + name;
    const size_t n_docs = tasks[name].at("documents").get<size_t>();
    if (n_docs > kMaxShardDocuments) throw InputError(at, "documents", fmt::format("{} documents is too many", n_docs));
    std::vector<std::optional<json>> docs(n_docs);
    std::vector<std::string> owner(n_docs);
    TaskRun run;
    run.task = name;
    bool have_meta = false;
    for (const auto& [idx, s] : by_index) {
      const std::string mp = (s->dir / kShardManifestFile).string();
      if (!s->manifest["documents"].contains(name)) throw InputError(mp, "/documents/" + name, "missing");
      const std::vector<size_t> mine = FromRanges(s->manifest["documents"][name], mp + " /documents/" + name);
      const fs::path sp = s->dir / ("samples_" + name + ".jsonl");
      const std::vector<json> samples = ReadJsonl(sp);
      if (samples.size() != mine.size())
        throw InputError(sp.string(), "lines",
                         fmt::format("{} samples for the {} documents of the manifest (an incomplete shard?)",
                                     samples.size(), mine.size()));
      for (size_t k = 0; k < mine.size(); ++k) {
        const size_t pos = mine[k];
        if (pos >= n_docs) throw InputError(mp, "/documents/" + name, fmt::format("document {} >= {}", pos, n_docs));
        if (docs[pos])
          throw InputError(s->dir.string(), "/documents/" + name,
                           fmt::format("document {} is also in {}", pos, owner[pos]));
        if (samples[k]["doc_id"].get<size_t>() != pos)
          throw InputError(sp.string(), fmt::format("line {}", k + 1),
                           fmt::format("doc_id {} where the manifest says {}", samples[k]["doc_id"].get<size_t>(), pos));
        docs[pos] = samples[k];
        owner[pos] = s->dir.string();
      }
      const json& res = s->results;
      const std::string rp = (s->dir / "results.json").string();
      at = rp + " (task " + name + ")";
      if (!res.contains("configs") || !res["configs"].contains(name))
        throw InputError(rp, "/configs/" + name, "missing");
      const json& bt = res.at("bitnet_eval").at("tasks").at(name);
      if (!have_meta) {
        const TaskConfig cfg = TaskConfigFromResolved(res["configs"][name], rp + " configs." + name);
        run.group = cfg.group;
        run.config = cfg.resolved;
        run.version = cfg.version;
        run.n_shot = res.at("n-shot").at(name).get<int>();
        run.n_original = res.at("n-samples").at(name).at("original").get<size_t>();
        run.output_type = bt.at("output_type").get<std::string>();
        run.chat = bt.at("chat").get<bool>();
        if (bt.contains("chat_format") && bt["chat_format"].is_string()) run.chat_format = bt["chat_format"].get<std::string>();
        run.add_bos = bt.at("add_bos").is_boolean() ? bt["add_bos"].get<bool>() : false;
        have_meta = true;
      }
      run.n_requests += bt.at("requests").get<size_t>();
      run.requests_from_cache += bt.value("requests_from_cache", size_t{0});
      run.tokens_evaluated += bt.at("loglikelihood_tokens_evaluated").get<int64_t>();
      run.tokens_naive += bt.at("loglikelihood_tokens_naive").get<int64_t>();
      run.prompt_tokens += bt.at("generation_prompt_tokens").get<int64_t>();
      run.generated_tokens += bt.at("generated_tokens").get<int64_t>();
      run.truncated_prompts += bt.at("truncated_prompts").get<int64_t>();
      run.seconds += bt.at("seconds").get<double>();
    }
    for (size_t pos = 0; pos < n_docs; ++pos)
      if (!docs[pos])
        throw InputError(name, fmt::format("document {}", pos), "in no shard: the shards do not cover the task");
    for (auto& d : docs) run.samples.push_back(std::move(*d));
    run.n_effective = n_docs;
    run.n_documents_full = n_docs;
    run.request_hash = run.request_hash_full = tasks[name].at("request_stream_sha256").get<std::string>();
    const TaskConfig cfg = TaskConfigFromResolved(run.config, name);
    run.results = json::object();
    run.results["alias"] = run.task;
    for (MetricColumn& c : AggregateSamples(cfg, run.samples, bootstrap_iters, "merged samples of " + name)) {
      PutResult(run.results, c.metric, c.filter, c.value);
      run.rows.push_back({c.metric, c.filter, c.higher_is_better, c.value});
      run.items.emplace_back(ResultKey(c.metric, c.filter), std::move(c.items));
    }
    const json& r0 = first.results.at("results").at(name);
    if (r0.contains("judging")) run.results["judging"] = r0["judging"];
    m.runs.push_back(std::move(run));
  }

  at = "merge-shards (combining)";
  m.results = ResultsJson(m.runs);
  json be = first.results.value("bitnet_eval", json::object());
  const json tasks_block = m.results["bitnet_eval"]["tasks"];
  be["tasks"] = tasks_block;
  be.erase("shard");
  be.erase("request_cache");
  json hosts = json::array(), from = json::array();
  for (const auto& [idx, s] : by_index) {
    const json& sb = s->results.value("bitnet_eval", json::object());
    hosts.push_back(sb.value("host", json()));
    from.push_back({{"dir", fs::absolute(s->dir).string()},
                    {"shard", fmt::format("{}/{}", idx, first.count)},
                    {"request_cache", sb.value("request_cache", json())}});
  }
  be["host"] = hosts;
  be["merged_from"] = from;
  m.results["bitnet_eval"] = be;
  if (first.results.contains("model_name")) m.results["model_name"] = first.results["model_name"];
  return m;
}

}  // namespace

}  // namespace bitnet::evals
