#include "reports/report_text.h"

#include <fmt/format.h>

#include "reports/json_path.h"
#include "reports/paper_table.h"

namespace bitnet::reports {

using nlohmann::json;

std::string Bytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.2f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.1f} MB", bytes / 1e6);
  if (bytes >= 1e3) return fmt::format("{:.1f} kB", bytes / 1e3);
  return fmt::format("{:.0f} B", bytes);
}

std::vector<std::string> Notes(const json& obj, const char* key) {
  std::vector<std::string> out;
  if (const json* n = Find(obj, {key}); n && n->is_array())
    for (const auto& x : *n)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

std::string Ms(double ms) {
  if (ms >= 10 || ms == 0) return fmt::format("{:.1f}", ms);
  if (ms >= 1) return fmt::format("{:.2f}", ms);
  return fmt::format("{:.3g}", ms);
}

std::string ThreadsText(const json* settings) {
  const json* t = settings ? Find(*settings, {"threads"}) : nullptr;
  if (!t) return "?";
  if (t->is_number()) return fmt::format("{:.0f}", t->get<double>());
  std::string out;
  if (t->is_array())
    for (const auto& x : *t)
      if (x.is_number()) out += (out.empty() ? "" : ",") + fmt::format("{:.0f}", x.get<double>());
  return out.empty() ? "?" : out;
}

std::string PartialText(const json& doc) {
  const json* in = Find(doc, {"interrupted"});
  if (!in) return "the run did not complete; rows after the interruption were not run";
  return fmt::format("interrupted by {} at {}; rows after it were not run", Str(*in, "signal", "a signal"),
                     Str(*in, "at", "an unknown point"));
}

std::vector<std::string> EfficiencyLines(const json& eff) {
  std::vector<std::string> out;
  if (const json* lat = Find(eff, {"latency"}); lat && lat->is_array()) {
    for (const auto& row : *lat) {
      const json* tpot = Find(row, {"tpot_ms"});
      const json* ttft = Find(row, {"ttft_ms"});
      out.push_back(fmt::format("latency {:.0f} threads ({}): TPOT mean {} ms (p50 {}, p90 {}), TTFT {} ms, "
                                "prefill {:.1f} t/s, decode {:.1f} t/s (pp{} tg{}, {} reps)",
                                Num(row, "threads").value_or(0), Str(row, "kernel", "?"), Ms(Num(tpot, "mean").value_or(0)),
                                Ms(Num(tpot, "p50").value_or(0)), Ms(Num(tpot, "p90").value_or(0)),
                                Ms(Num(ttft, "mean").value_or(0)), Num(row, "prefill_tps").value_or(0),
                                Num(row, "decode_tps").value_or(0), Num(row, "n_prompt").value_or(0),
                                Num(row, "n_gen").value_or(0), Num(row, "repetitions").value_or(0)));
    }
  }
  if (const json* mem = Find(eff, {"memory"})) {
    std::string line = "memory:";
    if (const json* p = Find(*mem, {"paper_row"}))
      line += fmt::format(" paper row {:.2f} GB ({:.3g} bits/weight × {:.0f} linear params);", Num(p, "gb").value_or(0),
                          Num(p, "bits_per_weight").value_or(0), Num(p, "linear_params").value_or(0));
    if (const json* l = Find(*mem, {"loaded"})) {
      double total = 0;
      for (const char* k : {"projection_bytes", "embedding_bytes", "head_bytes", "norm_bytes"}) total += Num(l, k).value_or(0);
      line += fmt::format(" loaded weights {} (projections {}), KV cache {} at {} tokens;", Bytes(total),
                          Bytes(Num(l, "projection_bytes").value_or(0)), Bytes(Num(l, "kv_cache_bytes").value_or(0)),
                          Num(l, "kv_ctx").value_or(0));
    }
    if (const json* r = Find(*mem, {"resident"})) {
      if (Bool(*r, "ok"))
        line += fmt::format(" peak resident {}", Bytes(Num(r, "peak_bytes").value_or(0)));
      else
        line += fmt::format(" resident unavailable ({})", Str(*r, "error", "no reason given"));
    }
    out.push_back(line);
  }
  if (const json* est = Find(eff, {"energy_estimated"}))
    out.push_back(fmt::format("energy (estimated, not measured): {:.4f} J per {:.0f}-token sequence at {:.0f} nm",
                              Num(est, "joules").value_or(0), Num(est, "sequence_tokens").value_or(0),
                              Num(est, "node_nm").value_or(0)));
  if (const json* meas = Find(eff, {"energy_measured"}); meas && meas->is_array()) {
    for (const auto& m : *meas) {
      if (Bool(m, "available"))
        out.push_back(fmt::format("energy (measured, {}): {:.3f} J over {:.0f} tokens = {:.4f} J/token, {:.1f} W",
                                  Str(m, "source"), Num(m, "joules").value_or(0), Num(m, "tokens").value_or(0),
                                  Num(m, "joules_per_token").value_or(0), Num(m, "watts").value_or(0)));
      else
        out.push_back(fmt::format("energy (measured, {}): unavailable: {}", Str(m, "source"),
                                  Str(m, "reason", "no reason given")));
    }
  }
  if (const json* bench = Find(eff, {"bench"}); bench && bench->is_array())
    for (const auto& b : *bench)
      out.push_back(fmt::format("bench {}: {:.2f} ± {:.2f} t/s (median {:.2f})", Str(b, "test"),
                                Num(b, "avg_ts").value_or(0), Num(b, "stddev_ts").value_or(0),
                                Num(b, "median_ts").value_or(0)));
  return out;
}

TaskSummary SummarizeTask(const json& task) {
  TaskSummary s;
  s.status = Str(task, "status");
  if (s.status != "done") {
    if (const std::string r = Str(task, "reason"); !r.empty()) s.status += ": " + r;
    return s;
  }
  const json* results = Find(task, {"results"});
  s.metric = ResolveMetric(results, Str(task, "primary_metric"));
  if (results && s.metric.empty()) {
    s.metric.clear();
    for (const auto& [k, v] : results->items())
      if (v.is_number() && k.find("_stderr") == std::string::npos) {
        s.metric = k;
        break;
      }
  }
  if (auto v = Num(results, s.metric)) s.value = fmt::format("{:.4f}", *v);
  if (auto se = Num(results, StderrKey(s.metric))) s.stderr_text = fmt::format("{:.4f}", *se);
  if (auto limit = Num(task, "limit")) s.status += fmt::format(" (limit {:.0f})", *limit);
  if (const std::string why = Str(task, "reason"); !why.empty()) s.status += " (" + why + ")";
  return s;
}

std::string RecipeText(const json& model) {
  const json* r = Find(model, {"synthetic_recipe"});
  if (!r || !r->is_object()) return "";
  return fmt::format("make-model --shape {} --type {} --seed {}", Str(*r, "shape", "?"), Str(*r, "type", "?"),
                     Find(*r, {"seed"}) ? (*r)["seed"].dump() : "?");
}

std::string ReproLine(const json& doc) {
  std::string line = fmt::format("build {}", Str(Find(doc, {"tool"}) ? doc["tool"] : json(), "git_hash", "?"));
  if (const json* runs = Find(doc, {"runs"})) {
    for (const auto& run : *runs) {
      const std::string model = Str(run, "model");
      const json* m = ModelByName(doc, model);
      const json* s = Find(run, {"settings"});
      const std::string recipe = m ? RecipeText(*m) : "";
      const std::string id = !recipe.empty() && Str(*m, "sha256").empty()
                                 ? recipe
                                 : fmt::format("sha256 {}", m ? Str(*m, "sha256", "?").substr(0, 16) : "?");
      line += fmt::format(" · {}: {}, kernel {}, {} threads", model, id, s ? Str(*s, "kernel", "?") : "?",
                          ThreadsText(s));
    }
  }
  return line;
}

}  // namespace bitnet::reports
