#include "evals/runner/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <span>
#include <memory>

#include "common/error.h"
#include "evals/core/requests.h"
#include "evals/metrics/generation.h"
#include "evals/metrics/ifeval/ifeval.h"
#include "evals/metrics/math_answer.h"
#include "evals/metrics/multiple_choice.h"
#include "evals/runner/aggregate.h"
#include "evals/runner/apply_filters.h"
#include "evals/runner/humaneval.h"
#include "evals/runner/mt_bench.h"
#include "evals/runner/request_cache.h"

namespace bitnet::evals {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsPySpace(unsigned char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' || (ch >= 0x1c && ch <= 0x1f);
}

// EncodePair for a chat-formatted context: special tokens in the text are parsed (as an HF
// tokenizer does with a templated string), and the template brings its own BOS.
std::pair<std::vector<int32_t>, std::vector<int32_t>> EncodeChatPair(const Tokenizer& tok, const std::string& context,
                                                                     const std::string& continuation) {
  size_t end = context.size();
  while (end > 0 && IsPySpace(static_cast<unsigned char>(context[end - 1]))) --end;
  const std::string ctx = context.substr(0, end);
  const std::string cont = context.substr(end) + continuation;
  std::vector<int32_t> whole = tok.Encode(ctx + cont, false, true);
  std::vector<int32_t> ctx_enc = tok.Encode(ctx, false, true);
  std::vector<int32_t> cont_enc(whole.begin() + static_cast<std::ptrdiff_t>(std::min(ctx_enc.size(), whole.size())),
                                whole.end());
  if (ctx_enc.empty()) ctx_enc.push_back(tok.bos());
  return {ctx_enc, cont_enc};
}

std::string ChatPrompt(const ChatStyle& style, const TaskConfig& task, const std::string& context) {
  return FormatChat(style, {{"user", context}}, true) + task.gen_prefix;
}

// lm-eval's word count for word_perplexity: len(re.split(r"\s+", text)).
double PyWordCount(const std::string& s) {
  double n = 1;
  for (size_t i = 0; i < s.size();) {
    if (IsPySpace(static_cast<unsigned char>(s[i]))) {
      ++n;
      while (i < s.size() && IsPySpace(static_cast<unsigned char>(s[i]))) ++i;
    } else {
      ++i;
    }
  }
  return n;
}

std::vector<int> ToIntLabels(const json& labels) {
  std::vector<int> out;
  for (const auto& v : labels) out.push_back(v.get<int>());
  return out;
}

// Lossless JSON for cached values: non-finite doubles as strings, invalid UTF-8 as hex.
json PutDouble(double v) {
  if (std::isfinite(v)) return v;
  return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
}
double GetDouble(const json& j) {
  if (j.is_number()) return j.get<double>();
  const std::string s = j.get<std::string>();
  if (s == "nan") return std::nan("");
  return s == "inf" ? HUGE_VAL : -HUGE_VAL;
}
void PutText(json& j, const std::string& key, const std::string& text) {
  try {
    (void)json(text).dump();
    j[key] = text;
  } catch (const json::exception&) {
    std::string hex;
    for (unsigned char c : text) hex += fmt::format("{:02x}", c);
    j[key + "_hex"] = hex;
  }
}
std::string GetText(const json& j, const std::string& key) {
  if (j.contains(key)) return j[key].get<std::string>();
  const std::string hex = j.at(key + "_hex").get<std::string>();
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

json SetJson(const HumanEvalSetResult& r) { return {{"passed", r.passed}, {"status", r.status}, {"detail", r.detail}}; }
HumanEvalSetResult SetFrom(const json& j) {
  return {j.at("passed").get<bool>(), j.at("status").get<std::string>(), j.at("detail").get<std::string>()};
}

struct Scorer {
  Session& session;
  const TaskConfig& task;
  const TaskDocs& docs;
  const RunOptions& opts;
  bool chat, add_bos;
  TaskRun& run;
  ChatStyle chat_style;
  std::unique_ptr<HumanEvalChecker> humaneval;
  // The previous request of the whole stream, and whether the session holds what computing it
  // left (false after a cached or skipped request: then it is replayed before the next score).
  const Request* last = nullptr;
  bool in_sync = true;

  // The result of `r`: from the cache, or computed (and recorded).
  json Cached(const Request& r, const std::function<json()>& compute) {
    std::string key;
    if (opts.cache) {
      key = RequestCache::Key(task.task, r);
      if (const json* c = opts.cache->Find(key)) {
        ++run.requests_from_cache;
        Finished(r, true);
        return *c;
      }
    }
    json res = compute();
    if (opts.cache) opts.cache->Put(key, task.task, r.doc_index, r.index, res);
    Finished(r, false);
    return res;
  }
  void Finished(const Request& r, bool from_cache) {
    ++run.n_requests;
    last = &r;
    in_sync = !from_cache;
    if (opts.on_request) opts.on_request(from_cache);
  }
  void Skipped(const DocRequests& d) {
    if (d.requests.empty()) return;
    last = &d.requests.back();
    in_sync = false;
  }

  // lm-eval's loglikelihood input: (context + continuation)[-(max_length + 1):][:-1], i.e. the
  // context loses tokens on the left when the pair does not fit the context window.
  ScoreResult RawScore(const Request& r, bool* truncated = nullptr) {
    const Tokenizer& tok = session.model().RequireTokenizer();
    auto [ctx, cont] = chat ? EncodeChatPair(tok, ChatPrompt(chat_style, task, r.context), r.continuation)
                            : EncodePair(tok, r.context, r.continuation, add_bos);
    const size_t window = static_cast<size_t>(session.n_ctx()) + 1;
    if (ctx.size() + cont.size() > window) {
      if (cont.size() >= window)
        throw InputError(task.file, fmt::format("document {} request {}", r.doc_index, r.index),
                         fmt::format("the continuation alone has {} tokens, more than the context window {}",
                                     cont.size(), session.n_ctx()));
      ctx.erase(ctx.begin(), ctx.end() - static_cast<std::ptrdiff_t>(window - cont.size()));
      if (truncated) *truncated = true;
    }
    return session.ScoreTokens(ctx, cont);
  }

  ScoreResult ScoreOne(const Request& r) {
    const json j = Cached(r, [&] {
      if (!in_sync && last && last->type == RequestType::kLoglikelihood) (void)RawScore(*last);  // restore the prefix
      bool truncated = false;
      const ScoreResult s = RawScore(r, &truncated);
      json out = {{"logprob", PutDouble(s.logprob)}, {"greedy", s.greedy},
                  {"n_context", s.n_context_tokens}, {"n_continuation", s.n_continuation_tokens},
                  {"n_evaluated", s.n_evaluated}};
      if (truncated) out["truncated"] = true;
      return out;
    });
    if (j.value("truncated", false)) ++run.truncated_prompts;
    ScoreResult s;
    s.logprob = GetDouble(j.at("logprob"));
    s.greedy = j.at("greedy").get<bool>();
    s.n_context_tokens = j.at("n_context").get<int64_t>();
    s.n_continuation_tokens = j.at("n_continuation").get<int64_t>();
    s.n_evaluated = j.at("n_evaluated").get<int64_t>();
    run.tokens_evaluated += s.n_evaluated;
    run.tokens_naive += s.n_context_tokens + s.n_continuation_tokens;
    return s;
  }

  void MultipleChoice(const DocRequests& d, json& rec) {
    std::vector<ChoiceResult> results;
    json args = json::array(), lls = json::array(), greedy = json::array();
    for (const Request& r : d.requests) {
      const ScoreResult s = ScoreOne(r);
      results.push_back({s.logprob, s.greedy});
      args.push_back({r.context, r.continuation});
      lls.push_back(s.logprob);
      greedy.push_back(s.greedy);
    }
    rec["arguments"] = args;
    rec["choices"] = d.choices;
    rec["target"] = d.gold;
    rec["loglikelihoods"] = lls;
    rec["is_greedy"] = greedy;
    json metrics = json::object();
    if (task.process_results == "truthfulqa_mc2") {
      const json& doc = docs.eval_docs.at(d.doc_index);
      const std::vector<int> labels = ToIntLabels(doc.at("mc2_targets").at("labels"));
      std::vector<double> v;
      for (const auto& r : results) v.push_back(r.ll);
      metrics["acc,none"] = TruthfulQaMc2(v, labels);
    } else {
      if (d.gold < 0 || static_cast<size_t>(d.gold) >= d.choices.size())
        throw InputError(task.file, fmt::format("document {}", d.doc_index),
                         fmt::format("gold index {} is outside the {} choices", d.gold, d.choices.size()));
      const McScores sc = ScoreMultipleChoice(d.choices, results, {static_cast<int>(d.gold)});
      rec["pred"] = sc.pred;
      rec["pred_norm"] = sc.pred_norm;
      for (const auto& m : task.metrics) {
        double v = 0;
        if (m.metric == "acc") v = sc.acc;
        else if (m.metric == "acc_norm") v = sc.acc_norm;
        else if (m.metric == "acc_bytes") v = sc.acc_bytes;
        else if (m.metric == "exact_match") v = sc.exact_match;
        metrics[m.metric + ",none"] = v;
      }
    }
    rec["metrics"] = metrics;
  }

  void Loglikelihood(const DocRequests& d, json& rec) {
    const Request& r = d.requests.at(0);
    const ScoreResult s = ScoreOne(r);
    rec["arguments"] = json::array({json::array({r.context, r.continuation})});
    rec["target"] = d.targets;
    rec["loglikelihood"] = s.logprob;
    rec["is_greedy"] = s.greedy;
    json metrics = json::object();
    for (const auto& m : task.metrics) metrics[m.metric + ",none"] = m.metric == "perplexity" ? s.logprob : (s.greedy ? 1.0 : 0.0);
    rec["metrics"] = metrics;
  }

  void Rolling(const DocRequests& d, json& rec) {
    const Request& r = d.requests.at(0);
    const json j = Cached(r, [&] {
      const Tokenizer& tok = session.model().RequireTokenizer();
      std::vector<int32_t> full = tok.Encode(r.continuation, false, chat);
      full.insert(full.begin(), add_bos ? tok.bos() : tok.eos());
      const size_t max_len = static_cast<size_t>(session.n_ctx());
      double ll = 0;
      int64_t evaluated = 0, naive = 0;
      for (size_t s = 1; s < full.size();) {
        const size_t e = std::min(s + max_len, full.size());
        const size_t ctx_start = e - 1 > max_len ? e - 1 - max_len : 0;
        std::span<const int32_t> all(full);
        const ScoreResult sr = session.ScoreTokens(all.subspan(ctx_start, s - ctx_start), all.subspan(s, e - s));
        evaluated += sr.n_evaluated;
        naive += sr.n_context_tokens + sr.n_continuation_tokens;
        ll += sr.logprob;
        s = e;
      }
      return json{{"logprob", PutDouble(ll)}, {"n_evaluated", evaluated}, {"n_naive", naive}};
    });
    const double ll = GetDouble(j.at("logprob"));
    run.tokens_evaluated += j.at("n_evaluated").get<int64_t>();
    run.tokens_naive += j.at("n_naive").get<int64_t>();
    rec["arguments"] = json::array({json::array({r.continuation})});
    rec["loglikelihood"] = ll;
    json metrics = json::object();
    const double words = PyWordCount(r.continuation), bytes = static_cast<double>(r.continuation.size());
    for (const auto& m : task.metrics) metrics[m.metric + ",none"] = json::array({ll, m.metric == "word_perplexity" ? words : bytes});
    rec["metrics"] = metrics;
  }

  // Generation from `prompt` (already formatted), left-truncated to the budget: greedy, or sampled
  // with the request's temperature / top_k / top_p and its own seed.
  json RawGenerate(const std::string& prompt, bool parse_special, const Request& r) {
    const Tokenizer& tok = session.model().RequireTokenizer();
    std::vector<int32_t> ids = parse_special ? tok.Encode(prompt, false, true) : tok.Encode(prompt, add_bos, false);
    // lm-eval's max_length - max_gen_toks; on a context too small for max_gen_toks (tiny test
    // models) at least a quarter of the context is kept, and the generation stops at "context".
    const int64_t budget = std::max<int64_t>({1, session.n_ctx() - r.max_gen_toks, session.n_ctx() / 4});
    bool truncated = false;
    if (static_cast<int64_t>(ids.size()) > budget) {
      ids.erase(ids.begin(), ids.end() - budget);
      truncated = true;
    }
    GenerateOptions go;
    go.max_tokens = r.max_gen_toks;
    go.stop = r.until;
    if (r.temperature > 0) {
      go.sampling.temperature = static_cast<float>(r.temperature);
      go.sampling.top_k = static_cast<int32_t>(r.top_k);
      go.sampling.top_p = static_cast<float>(r.top_p);
      go.sampling.seed = r.seed;
    }
    const GenerateResult g = session.GenerateTokens(ids, go);
    json j = {{"stop_reason", g.stop_reason},
              {"prompt_tokens", ids.size()},
              {"generated_tokens", g.tokens.size()},
              {"truncated", truncated}};
    PutText(j, "text", g.text);
    return j;
  }

  std::string GenResult(const json& j) {
    run.prompt_tokens += j.at("prompt_tokens").get<int64_t>();
    run.generated_tokens += j.at("generated_tokens").get<int64_t>();
    if (j.at("truncated").get<bool>()) ++run.truncated_prompts;
    return GetText(j, "text");
  }

  void Generate(const DocRequests& d, json& rec) {
    const Request& r = d.requests.at(0);
    const std::string prompt = chat ? ChatPrompt(chat_style, task, r.context) : r.context;
    const bool evalplus = task.process_results == "evalplus";
    const json& doc = docs.eval_docs.at(d.doc_index);
    const json j = Cached(r, [&] {
      json g = RawGenerate(prompt, chat, r);
      if (evalplus) {
        const HumanEvalResult he = humaneval->Check(doc, GetText(g, "text"));
        g["evalplus"] = {{"solution", he.solution}, {"base", SetJson(he.base)}, {"plus", SetJson(he.plus)}};
        if (!he.canonical_error.empty()) g["evalplus"]["canonical_error"] = he.canonical_error;
      }
      return g;
    });
    const std::string text = GenResult(j);
    json gen_args = {{"until", r.until}, {"max_gen_toks", r.max_gen_toks}};
    if (r.temperature > 0) gen_args.update({{"do_sample", true}, {"temperature", r.temperature}, {"top_k", r.top_k},
                                           {"top_p", r.top_p}, {"seed", r.seed}});
    rec["arguments"] = json::array({json::array({r.context, gen_args})});
    if (chat) rec["prompt"] = prompt;
    rec["prompt_tokens"] = j.at("prompt_tokens");
    if (j.at("truncated").get<bool>()) rec["prompt_truncated"] = true;
    rec["resps"] = json::array({text});
    rec["stop_reason"] = j.at("stop_reason");
    rec["target"] = d.targets;
    json metrics = json::object(), filtered = json::object();
    if (task.process_results == "ifeval") {
      const ifeval::Result res = ifeval::Evaluate(ifeval::Prompt::FromJson(doc), text);
      // lm-eval's per-sample form: prompt level a bool, instruction level one bool per instruction.
      const json per = {{"prompt_level_strict_acc", res.prompt_strict},
                        {"inst_level_strict_acc", res.strict},
                        {"prompt_level_loose_acc", res.prompt_loose},
                        {"inst_level_loose_acc", res.loose}};
      for (const auto& m : task.metrics)
        if (per.contains(m.metric)) metrics[m.metric + ",none"] = per[m.metric];
      if (!res.errors.empty()) rec["ifeval_errors"] = res.errors;
      filtered["none"] = text;
    } else if (evalplus) {
      const json& ep = j.at("evalplus");
      filtered["none"] = ep.at("solution");
      for (const std::string name : {"base", "plus"}) {
        const HumanEvalSetResult set = SetFrom(ep.at(name));
        metrics["pass@1," + name] = set.passed ? 1.0 : 0.0;
        rec["evalplus"][name] = {{"status", set.status}, {"detail", set.detail}};
      }
      if (ep.contains("canonical_error")) {
        rec["evalplus"]["canonical_error"] = ep["canonical_error"];
        rec["error"] = "canonical solution failed in the sandbox; scored 0";
      }
    } else if (task.process_results == "mt_bench_judge") {
      MtBenchTurn2(d, doc, text, rec);
      filtered["none"] = text;
    } else {
      for (const auto& [fname, resp] : ApplyFilterList(task.resolved.value("filter_list", json()), text)) {
        filtered[fname] = resp;
        for (const auto& m : task.metrics) {
          double v = 0;
          if (task.process_results == "math500_meh") {
            v = Math500Score(resp, d.targets.empty() ? std::string() : d.targets[0]);
          } else {
            v = ExactMatch(resp, d.targets, ExactMatchOptions::FromJson(m.args));
          }
          metrics[m.metric + "," + fname] = v;
        }
      }
    }
    rec["filtered_resps"] = filtered;
    rec["metrics"] = metrics;
  }

  // Turn 2 of an MT-bench question: the conversation so far, with the stripped turn-1 answer.
  void MtBenchTurn2(const DocRequests& d, const json& doc, const std::string& a1, json& rec) {
    const json& turns = doc.at("turns");
    if (!turns.is_array() || turns.size() < 2 || !turns[0].is_string() || !turns[1].is_string())
      throw InputError(task.file, fmt::format("document {} turns", d.doc_index), "MT-bench needs two question turns");
    Request r2 = d.requests.at(0);
    r2.index = 1;
    if (r2.temperature > 0) r2.seed = RequestSeed(task.generation.seed, d.doc_index, 1);
    r2.context = MtBenchTurn2Prompt(chat_style, turns[0].get<std::string>(), a1, turns[1].get<std::string>());
    const json j2 = Cached(r2, [&] {
      json g = RawGenerate(r2.context, true, r2);
      g["tstamp"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
      return g;
    });
    const std::string a2 = GenResult(j2);
    rec["resps"].push_back(a2);
    rec["mt_bench"] = {{"turn2_prompt", r2.context},
                       {"turn2_prompt_tokens", j2.at("prompt_tokens")},
                       {"turn2_stop_reason", j2.at("stop_reason")},
                       {"answers", json::array({PyStrip(a1), PyStrip(a2)})},
                       {"tstamp", j2.at("tstamp")},
                       {"judging", kMtBenchJudging},
                       {"decoding", kMtBenchDecoding},
                       {"temperature", r2.temperature}};
  }
};

}  // namespace

std::vector<TaskConfig> ResolveTasks(const std::vector<std::string>& names, const fs::path& tasks_dir) {
  std::vector<TaskConfig> all;
  for (const fs::path& p : ListTaskFiles(tasks_dir)) all.push_back(LoadTaskConfig(p));
  std::vector<TaskConfig> out;
  for (const std::string& name : names) {
    bool found = false;
    for (const auto& t : all)
      if (t.task == name || (!t.group.empty() && t.group == name)) {
        out.push_back(t);
        found = true;
      }
    if (found) continue;
    std::string close;
    for (const auto& t : all)
      if (t.task.find(name) != std::string::npos || name.find(t.task) != std::string::npos ||
          EditDistance(t.task, name) <= 2)
        close += " " + t.task;
    if (close.size() > 300) close = close.substr(0, 300) + " ...";
    throw InputError(tasks_dir.string(), "task " + name,
                     "no such task or group" + (close.empty() ? std::string() : "; similar:" + close));
  }
  return out;
}

void CheckRunnable(const TaskConfig& task, bool allow_code_execution) {
  auto refuse = [&](const std::string& where, const std::string& what) { throw InputError(task.file, where, what); };
  const std::string& pr = task.process_results;
  if (pr == "evalplus" && !allow_code_execution)
    refuse("process_results", "evalplus runs model-written code; pass --allow-code-execution to run it in the sandbox");
  if (pr == "evalplus" && task.output_type != OutputType::kGenerateUntil)
    refuse("output_type", "evalplus needs generate_until");
  if (pr == "mt_bench_judge" && task.output_type != OutputType::kGenerateUntil)
    refuse("output_type", "mt_bench_judge needs generate_until");
  if (!pr.empty() && pr != "truthfulqa_mc2" && pr != "ifeval" && pr != "math500_meh" && pr != "evalplus" &&
      pr != "mt_bench_judge")
    refuse("process_results", "'" + pr + "' is not supported by the runner");
  for (const auto& m : task.metrics) {
    if (pr == "evalplus" && m.metric == "pass@1") continue;
    if (pr == "mt_bench_judge") continue;  // judged outside
    static const std::map<OutputType, std::vector<std::string>> kOk = {
        {OutputType::kMultipleChoice, {"acc", "acc_norm", "acc_bytes", "exact_match"}},
        {OutputType::kLoglikelihood, {"perplexity", "acc"}},
        {OutputType::kLoglikelihoodRolling, {"word_perplexity", "byte_perplexity", "bits_per_byte"}},
        {OutputType::kGenerateUntil,
         {"exact_match", "prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc",
          "inst_level_loose_acc"}},
    };
    const auto& ok = kOk.at(task.output_type);
    if (std::find(ok.begin(), ok.end(), m.metric) == ok.end())
      refuse("metric_list " + m.metric,
             fmt::format("metric '{}' is not supported for output_type {}", m.metric, OutputTypeName(task.output_type)));
  }
}

std::vector<DocRequests> PlanRequests(const TaskConfig& task, const TaskDocs& docs, const RunOptions& opts) {
  BuildOptions bo;
  bo.num_fewshot = opts.num_fewshot.value_or(task.num_fewshot);
  bo.limit = opts.limit;
  return BuildRequests(task, docs.eval_docs, docs.fewshot_docs, bo);
}

size_t RequestsPerDoc(const TaskConfig& task, const DocRequests& d) {
  return d.requests.size() + (task.process_results == "mt_bench_judge" ? 1 : 0);
}

TaskRun EvaluateTask(Session& session, const TaskConfig& task, const TaskDocs& docs, const RunOptions& opts) {
  CheckRunnable(task, opts.code_executor != nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  TaskRun run;
  run.task = task.task;
  run.group = task.group;
  run.config = task.resolved;
  run.version = task.version;
  run.n_shot = opts.num_fewshot.value_or(task.num_fewshot);
  run.output_type = OutputTypeName(task.output_type);
  run.chat = opts.chat || task.apply_chat_template;
  run.add_bos = opts.add_bos.value_or(session.model().RequireTokenizer().add_bos());
  run.n_original = docs.eval_docs.size();

  const std::vector<DocRequests> all = PlanRequests(task, docs, opts);
  run.n_documents_full = all.size();
  run.request_hash_full = RequestStreamHash(all);
  std::vector<bool> selected(all.size(), opts.only_docs == nullptr);
  if (opts.only_docs)
    for (size_t i : *opts.only_docs) {
      if (i >= all.size())
        throw UsageError(fmt::format("{}: document {} is outside the {} documents of the stream", task.task, i, all.size()));
      selected[i] = true;
    }
  std::vector<DocRequests> chosen;
  for (size_t i = 0; i < all.size(); ++i)
    if (selected[i]) chosen.push_back(all[i]);
  run.n_effective = chosen.size();
  run.request_hash = opts.only_docs ? RequestStreamHash(chosen) : run.request_hash_full;

  session.Reset();
  const bool needs_chat = run.chat || task.process_results == "mt_bench_judge";
  const ChatStyle style = needs_chat ? ModelChatStyle(session.model(), opts.chat_format) : ChatStyle{};
  if (needs_chat) run.chat_format = std::string(ChatFormatName(style.format)) + " (" + style.source + ")";
  Scorer sc{session, task, docs, opts, run.chat, run.add_bos, run, style, nullptr};
  if (task.process_results == "evalplus") sc.humaneval = std::make_unique<HumanEvalChecker>(*opts.code_executor);
  for (size_t i = 0; i < all.size(); ++i) {
    const DocRequests& d = all[i];
    if (!selected[i]) {
      sc.Skipped(d);
      continue;
    }
    json rec;
    rec["doc_id"] = d.doc_index;
    rec["doc"] = docs.eval_docs.at(d.doc_index);
    if (!d.fewshot.empty()) rec["fewshot"] = d.fewshot;
    try {
      switch (task.output_type) {
        case OutputType::kMultipleChoice: sc.MultipleChoice(d, rec); break;
        case OutputType::kLoglikelihood: sc.Loglikelihood(d, rec); break;
        case OutputType::kLoglikelihoodRolling: sc.Rolling(d, rec); break;
        case OutputType::kGenerateUntil: sc.Generate(d, rec); break;
      }
    } catch (const json::exception& e) {
      throw InputError(opts.cache ? opts.cache->path().string() + " / " + task.file : task.file,
                       fmt::format("document {}", d.doc_index),
                       std::string("a field of the document or of its request-cache record is missing or "
                                   "mistyped (") + e.what() + "); with a damaged cache, run with --no-cache");
    }
    run.samples.push_back(std::move(rec));
  }
  if (opts.cache) opts.cache->Sync();
  run.results = json::object();
  run.results["alias"] = run.task;
  for (MetricColumn& c : AggregateSamples(task, run.samples, opts.bootstrap_iters, task.file)) {
    PutResult(run.results, c.metric, c.filter, c.value);
    run.rows.push_back({c.metric, c.filter, c.higher_is_better, c.value});
    run.items.emplace_back(ResultKey(c.metric, c.filter), std::move(c.items));
  }
  if (task.process_results == "mt_bench_judge") run.results["judging"] = kMtBenchJudging;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

TaskRun EvaluateTask(Session& session, const TaskConfig& task, const fs::path& data_dir, const RunOptions& opts) {
  CheckRunnable(task, opts.code_executor != nullptr);
  const TaskDocs docs = LoadTaskDocs(task, data_dir, opts.num_fewshot.value_or(task.num_fewshot));
  return EvaluateTask(session, task, docs, opts);
}

}  // namespace bitnet::evals
