#include "evals/runner/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>

#include "common/error.h"
#include "evals/core/requests.h"
#include "evals/metrics/generation.h"
#include "evals/metrics/ifeval/ifeval.h"
#include "evals/metrics/math_answer.h"
#include "evals/metrics/multiple_choice.h"
#include "evals/runner/apply_filters.h"
#include "evals/runner/humaneval.h"

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

std::string ChatPrompt(const TaskConfig& task, const std::string& context) {
  return FormatChat2B4T({{"user", context}}, true) + task.gen_prefix;
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

// Per-sample items per (metric, filter), in first-seen order.
class Columns {
 public:
  void Add(const std::string& metric, const std::string& filter, Item item) {
    for (auto& c : cols_)
      if (c.metric == metric && c.filter == filter) {
        c.items.push_back(item);
        return;
      }
    cols_.push_back({metric, filter, {item}});
  }
  struct Column {
    std::string metric, filter;
    std::vector<Item> items;
  };
  const std::vector<Column>& cols() const { return cols_; }

 private:
  std::vector<Column> cols_;
};

const MetricSpec* SpecFor(const TaskConfig& task, const std::string& metric) {
  for (const auto& m : task.metrics)
    if (m.metric == metric) return &m;
  return nullptr;
}

std::vector<int> ToIntLabels(const json& labels) {
  std::vector<int> out;
  for (const auto& v : labels) out.push_back(v.get<int>());
  return out;
}

struct Scorer {
  Session& session;
  const TaskConfig& task;
  const TaskDocs& docs;
  bool chat, add_bos;
  TaskRun& run;
  Columns cols;
  std::vector<ifeval::Result> ifeval_results;
  std::unique_ptr<HumanEvalChecker> humaneval;

  ScoreResult ScoreOne(const Request& r) {
    ScoreResult s;
    if (chat) {
      auto [ctx, cont] = EncodeChatPair(session.model().RequireTokenizer(), ChatPrompt(task, r.context), r.continuation);
      s = session.ScoreTokens(ctx, cont);
    } else {
      s = session.Score(r.context, r.continuation, add_bos);
    }
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
      const double mc2 = TruthfulQaMc2(v, labels);
      cols.Add("acc", "none", {mc2, 1});
      metrics["acc,none"] = mc2;
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
        cols.Add(m.metric, "none", {v, 1});
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
    for (const auto& m : task.metrics) {
      const double v = m.metric == "perplexity" ? s.logprob : (s.greedy ? 1.0 : 0.0);
      cols.Add(m.metric, "none", {v, 1});
      metrics[m.metric + ",none"] = v;
    }
    rec["metrics"] = metrics;
  }

  void Rolling(const DocRequests& d, json& rec) {
    const Request& r = d.requests.at(0);
    const Tokenizer& tok = session.model().RequireTokenizer();
    std::vector<int32_t> full = tok.Encode(r.continuation, false, chat);
    full.insert(full.begin(), add_bos ? tok.bos() : tok.eos());
    const size_t max_len = static_cast<size_t>(session.n_ctx());
    double ll = 0;
    for (size_t s = 1; s < full.size();) {
      const size_t e = std::min(s + max_len, full.size());
      const size_t ctx_start = e - 1 > max_len ? e - 1 - max_len : 0;
      std::span<const int32_t> all(full);
      const ScoreResult sr = session.ScoreTokens(all.subspan(ctx_start, s - ctx_start), all.subspan(s, e - s));
      run.tokens_evaluated += sr.n_evaluated;
      run.tokens_naive += sr.n_context_tokens + sr.n_continuation_tokens;
      ll += sr.logprob;
      s = e;
    }
    rec["arguments"] = json::array({json::array({r.continuation})});
    rec["loglikelihood"] = ll;
    json metrics = json::object();
    const double words = PyWordCount(r.continuation), bytes = static_cast<double>(r.continuation.size());
    for (const auto& m : task.metrics) {
      const Item it{ll, m.metric == "word_perplexity" ? words : bytes};
      cols.Add(m.metric, "none", it);
      metrics[m.metric + ",none"] = json::array({ll, it.weight});
    }
    rec["metrics"] = metrics;
  }

  void Generate(const DocRequests& d, json& rec) {
    const Request& r = d.requests.at(0);
    const Tokenizer& tok = session.model().RequireTokenizer();
    const std::string prompt = chat ? ChatPrompt(task, r.context) : r.context;
    std::vector<int32_t> ids = chat ? tok.Encode(prompt, false, true) : tok.Encode(prompt, add_bos, false);
    // lm-eval's max_length - max_gen_toks; on a context too small for max_gen_toks (tiny test
    // models) at least a quarter of the context is kept, and the generation stops at "context".
    const int64_t budget = std::max<int64_t>({1, session.n_ctx() - r.max_gen_toks, session.n_ctx() / 4});
    bool truncated = false;
    if (static_cast<int64_t>(ids.size()) > budget) {
      ids.erase(ids.begin(), ids.end() - budget);
      truncated = true;
      ++run.truncated_prompts;
    }
    GenerateOptions go;
    go.max_tokens = r.max_gen_toks;
    go.stop = r.until;
    const GenerateResult g = session.GenerateTokens(ids, go);
    run.prompt_tokens += static_cast<int64_t>(ids.size());
    run.generated_tokens += static_cast<int64_t>(g.tokens.size());
    rec["arguments"] = json::array({json::array({r.context, {{"until", r.until}, {"max_gen_toks", r.max_gen_toks}}})});
    if (chat) rec["prompt"] = prompt;
    rec["prompt_tokens"] = ids.size();
    if (truncated) rec["prompt_truncated"] = true;
    rec["resps"] = json::array({g.text});
    rec["stop_reason"] = g.stop_reason;
    rec["target"] = d.targets;
    json metrics = json::object(), filtered = json::object();
    if (task.process_results == "ifeval") {
      const ifeval::Result res = ifeval::Evaluate(ifeval::Prompt::FromJson(docs.eval_docs.at(d.doc_index)), g.text);
      ifeval_results.push_back(res);
      for (const auto& [name, items] : ifeval::MetricItems({res})) {
        metrics[name + ",none"] = items.empty() ? 0.0 : items[0].value;
      }
      filtered["none"] = g.text;
    } else if (task.process_results == "evalplus") {
      const HumanEvalResult he = humaneval->Check(docs.eval_docs.at(d.doc_index), g.text);
      filtered["none"] = he.solution;
      for (const auto& [name, set] : {std::pair<std::string, const HumanEvalSetResult*>{"base", &he.base},
                                      {"plus", &he.plus}}) {
        const double v = set->passed ? 1.0 : 0.0;
        cols.Add("pass@1", name, {v, 1});
        metrics["pass@1," + name] = v;
        rec["evalplus"][name] = {{"status", set->status}, {"detail", set->detail}};
      }
    } else {
      for (const auto& [fname, resp] : ApplyFilterList(task.resolved.value("filter_list", json()), g.text)) {
        filtered[fname] = resp;
        for (const auto& m : task.metrics) {
          double v = 0;
          if (task.process_results == "math500_meh") {
            v = Math500Score(resp, d.targets.empty() ? std::string() : d.targets[0]);
          } else {
            v = ExactMatch(resp, d.targets, ExactMatchOptions::FromJson(m.args));
          }
          cols.Add(m.metric, fname, {v, 1});
          metrics[m.metric + "," + fname] = v;
        }
      }
    }
    rec["filtered_resps"] = filtered;
    rec["metrics"] = metrics;
  }
};

void Finish(const TaskConfig& task, Scorer& sc, const RunOptions& opts, TaskRun& run) {
  std::vector<Columns::Column> cols = sc.cols.cols();
  if (task.process_results == "ifeval") {
    for (auto& [name, items] : ifeval::MetricItems(sc.ifeval_results))
      if (SpecFor(task, name)) cols.push_back({name, "none", items});
  }
  run.results = json::object();
  run.results["alias"] = run.task;
  for (const auto& c : cols) {
    const MetricSpec* spec = SpecFor(task, c.metric);
    const MetricInfo* info = FindMetric(c.metric);
    std::string agg = info ? info->aggregation : "mean";
    bool hib = info ? info->higher_is_better : true;
    if (spec && spec->args.is_object()) {
      if (spec->args.contains("aggregation") && spec->args["aggregation"].is_string())
        agg = spec->args["aggregation"].get<std::string>();
      if (spec->args.contains("higher_is_better") && spec->args["higher_is_better"].is_boolean())
        hib = spec->args["higher_is_better"].get<bool>();
    }
    if (!FindAggregation(agg))
      throw InputError(task.file, "metric_list " + c.metric, "unknown aggregation '" + agg + "'");
    const AggregatedMetric m = Aggregate(agg, c.items, opts.bootstrap_iters);
    PutResult(run.results, c.metric, c.filter, m);
    run.rows.push_back({c.metric, c.filter, hib, m});
    run.items.emplace_back(ResultKey(c.metric, c.filter), c.items);
  }
}

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
  if (pr == "mt_bench_judge") refuse("process_results", "mt_bench needs an external GPT-4 judge; not run by `eval`");
  if (!pr.empty() && pr != "truthfulqa_mc2" && pr != "ifeval" && pr != "math500_meh" && pr != "evalplus")
    refuse("process_results", "'" + pr + "' is not supported by the runner");
  for (const auto& m : task.metrics) {
    if (pr == "evalplus" && m.metric == "pass@1") continue;
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
  if (task.generation.do_sample) refuse("generation_kwargs.do_sample", "only greedy generation is supported");
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

  BuildOptions bo;
  bo.num_fewshot = run.n_shot;
  bo.limit = opts.limit;
  const std::vector<DocRequests> reqs = BuildRequests(task, docs.eval_docs, docs.fewshot_docs, bo);
  run.n_effective = reqs.size();
  run.request_hash = RequestStreamHash(reqs);

  session.Reset();
  Scorer sc{session, task, docs, run.chat, run.add_bos, run, {}, {}, nullptr};
  if (task.process_results == "evalplus") sc.humaneval = std::make_unique<HumanEvalChecker>(*opts.code_executor);
  for (const DocRequests& d : reqs) {
    run.n_requests += d.requests.size();
    json rec;
    rec["doc_id"] = d.doc_index;
    rec["doc"] = docs.eval_docs.at(d.doc_index);
    if (!d.fewshot.empty()) rec["fewshot"] = d.fewshot;
    switch (task.output_type) {
      case OutputType::kMultipleChoice: sc.MultipleChoice(d, rec); break;
      case OutputType::kLoglikelihood: sc.Loglikelihood(d, rec); break;
      case OutputType::kLoglikelihoodRolling: sc.Rolling(d, rec); break;
      case OutputType::kGenerateUntil: sc.Generate(d, rec); break;
    }
    run.samples.push_back(std::move(rec));
  }
  Finish(task, sc, opts, run);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

TaskRun EvaluateTask(Session& session, const TaskConfig& task, const fs::path& data_dir, const RunOptions& opts) {
  CheckRunnable(task, opts.code_executor != nullptr);
  const TaskDocs docs = LoadTaskDocs(task, data_dir, opts.num_fewshot.value_or(task.num_fewshot));
  return EvaluateTask(session, task, docs, opts);
}

}  // namespace bitnet::evals
