// Compare: two reports, run by run (matched by model name, else by model sha256): task metrics in
// points, throughput in percent, logits fingerprints; gates from CompareOptions decide the verdict.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "common/error.h"
#include "reports/compare_internal.h"
#include "reports/json_path.h"
#include "reports/reports.h"

namespace bitnet::reports {
namespace {

using nlohmann::json;

struct Ctx {
  const CompareOptions& opt;
  CompareResult& out;
  std::vector<bool> drop_used;  // per max_drops entry: matched a comparable metric
  bool slowdown_used = false;
  bool bad = false;
};

std::string MetricName(const std::string& key) { return key.substr(0, key.find(',')); }

bool IsValueMetric(const std::string& key) {
  return key != "alias" && key.find("_stderr") == std::string::npos;
}

// The most specific --max-drop matching (task, metric key), or -1.
int GateFor(const Ctx& c, const std::string& task, const std::string& key) {
  int best = -1, best_score = -1;
  for (size_t i = 0; i < c.opt.max_drops.size(); ++i) {
    const MaxDrop& g = c.opt.max_drops[i];
    if (!g.task.empty() && g.task != task) continue;
    const bool exact = g.metric == key, name = g.metric == MetricName(key), any = g.metric == "*";
    if (!exact && !name && !any) continue;
    const int score = (g.task.empty() ? 0 : 4) + (exact ? 2 : name ? 1 : 0);
    if (score > best_score) best = static_cast<int>(i), best_score = score;
  }
  return best;
}

std::string GateText(const MaxDrop& g) {
  return fmt::format("{}{}={:g}", g.task.empty() ? "" : g.task + "/", g.metric, g.points);
}

// lm-eval's higher_is_better for (task, metric name); true when unknown.
bool HigherIsBetter(const json& doc, const json& run, const std::string& task, const std::string& key) {
  for (const json* hib : {Find(run, {"lm_eval", "higher_is_better", task}), Find(doc, {"higher_is_better", task})})
    if (hib && hib->is_object())
      if (auto it = hib->find(MetricName(key)); it != hib->end() && it->is_boolean()) return it->get<bool>();
  return true;
}

void CompareTask(Ctx& c, const RunPair& p, const std::string& task, const json& bt) {
  if (Str(bt, "status") != "done") return;
  const json* nt = Find(*p.next, {"tasks", task});
  const json* bres = Find(bt, {"results"});
  std::vector<std::string> keys;
  if (bres)
    for (const auto& [k, v] : bres->items())
      if (v.is_number() && IsValueMetric(k)) keys.push_back(k);
  if (!nt || Str(*nt, "status") != "done") {
    CompareRow row{p.model, "task", task, {}, {}, {}, "", "", "missing",
                   nt ? fmt::format("{} in new ({})", Str(*nt, "status"), Str(*nt, "reason", "no reason given"))
                      : "absent from new"};
    for (const auto& k : keys)
      if (int g = GateFor(c, task, k); g >= 0) {
        c.drop_used[g] = true;
        row.status = "REGRESSION";
        row.gate = GateText(c.opt.max_drops[g]);
      }
    c.out.rows.push_back(row);
    return;
  }
  std::string changed;
  const json* bv = Find(bt, {"version"});
  const json* nv = Find(*nt, {"version"});
  if (bv && nv && *bv != *nv) changed = fmt::format("task version {} -> {}", bv->dump(), nv->dump());
  const std::string bh = Str(bt, "request_stream_sha256"), nh = Str(*nt, "request_stream_sha256");
  if (!bh.empty() && !nh.empty() && bh != nh)
    changed += (changed.empty() ? "" : "; ") + fmt::format("request stream {}… -> {}…", bh.substr(0, 12), nh.substr(0, 12));
  if (!changed.empty()) {
    c.out.rows.push_back({p.model, "task", task, {}, {}, {}, "", "", "not comparable", changed});
    return;
  }
  const json* nres = Find(*nt, {"results"});
  for (const auto& k : keys) {
    CompareRow row{p.model, "metric", task + " " + k, (*bres)[k].get<double>(), Num(nres, k), {}, "pts", "", "info", ""};
    const int g = GateFor(c, task, k);
    if (g >= 0) {
      row.gate = GateText(c.opt.max_drops[g]);
      c.drop_used[g] = true;
    }
    if (!row.next) {
      row.status = g >= 0 ? "REGRESSION" : "missing";
      row.note = "metric absent from new";
      c.out.rows.push_back(row);
      continue;
    }
    const double scale = std::abs(*row.base) <= 1 && std::abs(*row.next) <= 1 ? 100 : 1;
    row.delta = (*row.next - *row.base) * scale;
    const bool hib = HigherIsBetter(*p.base_doc, *p.base, task, k);
    const double drop = hib ? -*row.delta : *row.delta;
    if (!hib) row.note = "lower is better";
    if (g >= 0) row.status = drop > c.opt.max_drops[g].points + 1e-9 ? "REGRESSION" : "ok";
    c.out.rows.push_back(row);
  }
}

void AddThroughput(Ctx& c, const std::string& model, const std::string& item, double b, double n, bool higher_better) {
  CompareRow row{model, "throughput", item, b, n, {}, "%", "", "info", ""};
  if (b != 0) row.delta = (n - b) / std::abs(b) * 100;
  const double slowdown = row.delta ? (higher_better ? -*row.delta : *row.delta) : 0;
  if (!higher_better) row.note = "lower is better";
  if (c.opt.max_slowdown_pct) {
    c.slowdown_used = true;
    row.gate = fmt::format("max-slowdown={:g}%", *c.opt.max_slowdown_pct);
    row.status = slowdown > *c.opt.max_slowdown_pct + 1e-9 ? "REGRESSION" : "ok";
  }
  c.out.rows.push_back(row);
}

void CompareThroughput(Ctx& c, const RunPair& p) {
  const json* bb = Find(*p.base, {"efficiency", "bench"});
  const json* nb = Find(*p.next, {"efficiency", "bench"});
  if (bb)
    for (const auto& b : *bb) {
      const json* match = nullptr;
      if (nb)
        for (const auto& row : *nb)
          if (!match && Str(b, "test") == Str(row, "test") && Num(row, "median_ts")) match = &row;
      const std::string item = "bench " + Str(b, "test") + " median t/s";
      if (!Num(b, "median_ts")) continue;
      if (match)
        AddThroughput(c, p.model, item, *Num(b, "median_ts"), *Num(*match, "median_ts"), true);
      else
        c.out.rows.push_back({p.model, "throughput", item, Num(b, "median_ts"), {}, {}, "%", "", "missing", "absent from new"});
    }
  const json* bl = Find(*p.base, {"efficiency", "latency"});
  const json* nl = Find(*p.next, {"efficiency", "latency"});
  if (bl && nl)
    for (const auto& b : *bl)
      for (const auto& n : *nl) {
        if (Num(b, "threads") != Num(n, "threads")) continue;
        const std::string t = fmt::format("latency {:.0f} threads", Num(b, "threads").value_or(0));
        if (Num(b, "decode_tps") && Num(n, "decode_tps"))
          AddThroughput(c, p.model, t + " decode t/s", *Num(b, "decode_tps"), *Num(n, "decode_tps"), true);
        if (Num(b, "prefill_tps") && Num(n, "prefill_tps"))
          AddThroughput(c, p.model, t + " prefill t/s", *Num(b, "prefill_tps"), *Num(n, "prefill_tps"), true);
        auto bt = Num(Find(b, {"tpot_ms"}), "mean"), nt = Num(Find(n, {"tpot_ms"}), "mean");
        if (bt && nt) AddThroughput(c, p.model, t + " TPOT ms", *bt, *nt, false);
        break;
      }
  const auto bm = MicrobenchValues(Find(*p.base, {"efficiency", "microbench"}));
  const auto nm = MicrobenchValues(Find(*p.next, {"efficiency", "microbench"}));
  for (const auto& [key, b] : bm)
    if (auto it = nm.find(key); it != nm.end()) AddThroughput(c, p.model, "microbench " + key, b, it->second, true);
}

void CompareLogits(Ctx& c, const RunPair& p) {
  const std::string b = Str(Find(*p.base, {"logits_fingerprint"}) ? (*p.base)["logits_fingerprint"] : json(), "sha256");
  const std::string n = Str(Find(*p.next, {"logits_fingerprint"}) ? (*p.next)["logits_fingerprint"] : json(), "sha256");
  if (b.empty() || n.empty()) {
    c.bad = true;
    c.out.messages.push_back(fmt::format("--require-identical-logits: run {} has no logits_fingerprint in {}", p.model,
                                         b.empty() && n.empty() ? "base and new" : b.empty() ? "base" : "new"));
    return;
  }
  c.out.rows.push_back({p.model, "logits", "logits_fingerprint sha256", {}, {}, {}, "", "identical-logits",
                        b == n ? "ok" : "REGRESSION",
                        b == n ? b.substr(0, 16) : fmt::format("{}… -> {}…", b.substr(0, 16), n.substr(0, 16))});
}

}  // namespace

MaxDrop ParseMaxDrop(const std::string& text) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format("--max-drop '{}': expected METRIC=POINTS (e.g. acc_norm=1.0, *=2, arc_easy/acc=1)", text));
  MaxDrop d;
  std::string lhs = text.substr(0, eq);
  const std::string rhs = text.substr(eq + 1);
  if (const auto slash = lhs.find('/'); slash != std::string::npos) {
    d.task = lhs.substr(0, slash);
    lhs = lhs.substr(slash + 1);
    if (d.task.empty()) throw UsageError(fmt::format("--max-drop '{}': empty task before '/'", text));
  }
  if (lhs.empty()) throw UsageError(fmt::format("--max-drop '{}': empty metric", text));
  d.metric = lhs;
  char* end = nullptr;
  d.points = std::strtod(rhs.c_str(), &end);
  if (rhs.empty() || end != rhs.c_str() + rhs.size() || !std::isfinite(d.points) || d.points < 0)
    throw UsageError(fmt::format("--max-drop '{}': POINTS '{}' is not a non-negative number", text, rhs));
  return d;
}

CompareResult Compare(const json& base, const json& next, const CompareOptions& options) {
  CompareResult out;
  try {
    ValidateReport(base, "base");
    ValidateReport(next, "new");
  } catch (const InputError& e) {
    out.messages.push_back(e.what());
    out.verdict = Verdict::kBadInput;
    return out;
  }
  Ctx c{options, out, std::vector<bool>(options.max_drops.size(), false)};
  const std::vector<RunPair> pairs = PairRuns(base, next, out.messages);
  if (pairs.empty()) {
    out.messages.push_back("nothing comparable: no run of base matches a run of new by model name or sha256");
    out.verdict = Verdict::kBadInput;
    return out;
  }
  for (const auto& p : pairs) {
    if (options.require_identical_logits) CompareLogits(c, p);
    if (const json* tasks = Find(*p.base, {"tasks"}))
      for (const auto& [name, t] : tasks->items()) CompareTask(c, p, name, t);
    CompareThroughput(c, p);
  }
  for (size_t i = 0; i < options.max_drops.size(); ++i)
    if (!c.drop_used[i]) {
      c.bad = true;
      out.messages.push_back(fmt::format("--max-drop {} matched no metric present in both reports",
                                         GateText(options.max_drops[i])));
    }
  if (options.max_slowdown_pct && !c.slowdown_used) {
    c.bad = true;
    out.messages.push_back("--max-slowdown: no throughput row (bench, latency, microbench) present in both reports");
  }
  if (out.rows.empty() && !c.bad) {
    c.bad = true;
    out.messages.push_back("nothing comparable: the matched runs share no task, bench, latency or microbench row");
  }
  const bool regression = std::any_of(out.rows.begin(), out.rows.end(), [](const CompareRow& r) { return r.status == "REGRESSION"; });
  out.verdict = c.bad ? Verdict::kBadInput : regression ? Verdict::kRegression : Verdict::kPass;
  return out;
}

}  // namespace bitnet::reports
