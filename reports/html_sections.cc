#include <fmt/format.h>

#include "reports/html_sections.h"
#include "reports/json_path.h"
#include "reports/published.h"
#include "reports/report_text.h"

namespace bitnet::reports {
namespace {

using nlohmann::json;

const json& Runs(const json& doc) {
  static const json empty = json::array();
  const json* r = Find(doc, {"runs"});
  return r && r->is_array() ? *r : empty;
}

// The published figure of `kind` for the model's paper column in Table 1, if mapped.
std::optional<std::pair<std::string, double>> PaperFigure(const json& doc, const std::string& model, RowKind kind) {
  const json* m = ModelByName(doc, model);
  if (!m) return std::nullopt;
  const PublishedTable& t1 = Published().tables.front();
  const int col = t1.ColumnIndex(Str(*m, "paper_column"));
  if (col < 0) return std::nullopt;
  for (const auto& row : t1.rows)
    if (row.kind == kind) return std::make_pair(t1.columns[col], row.values[col]);
  return std::nullopt;
}

std::string LatencyChart(const json& doc) {
  std::vector<Bar> bars;
  for (const auto& run : Runs(doc)) {
    const std::string model = Str(run, "model");
    const json* lat = Find(run, {"efficiency", "latency"});
    if (!lat || !lat->is_array()) continue;
    for (const auto& row : *lat)
      if (auto tpot = Num(Find(row, {"tpot_ms"}), "mean"))
        bars.push_back({fmt::format("{} · {:.0f} threads ({})", model, Num(row, "threads").value_or(0),
                                    Str(row, "kernel", "?")),
                        *tpot, Ms(*tpot) + " ms", "measured"});
    if (auto paper = PaperFigure(doc, model, RowKind::kLatency))
      bars.push_back({fmt::format("paper: {} (i7-13800H, 8 threads)", paper->first), paper->second,
                      fmt::format("{:.0f} ms", paper->second), "paper"});
  }
  if (bars.empty()) return "";
  return BarChart("Latency: time per output token (TPOT mean, lower is better)", bars);
}

// GB with two decimals, as the paper's row; tiny models in kB/MB.
std::string GbText(double gb) { return gb >= 0.01 ? fmt::format("{:.2f} GB", gb) : Bytes(gb * 1e9); }

std::string MemoryChart(const json& doc) {
  std::vector<Bar> bars;
  for (const auto& run : Runs(doc)) {
    const std::string model = Str(run, "model");
    const json* mem = Find(run, {"efficiency", "memory"});
    if (!mem) continue;
    if (auto gb = Num(Find(*mem, {"paper_row"}), "gb"))
      bars.push_back({model + " · paper row (non-emb × bits)", *gb, GbText(*gb), "measured"});
    if (auto paper = PaperFigure(doc, model, RowKind::kMemory))
      bars.push_back({"paper: " + paper->first, paper->second, fmt::format("{} GB", paper->second), "paper"});
    if (const json* l = Find(*mem, {"loaded"})) {
      double total = 0;
      for (const char* k : {"projection_bytes", "embedding_bytes", "head_bytes", "norm_bytes", "kv_cache_bytes"})
        total += Num(l, k).value_or(0);
      bars.push_back({model + " · loaded (weights + KV cache)", total / 1e9, GbText(total / 1e9), "loaded"});
    }
    if (const json* r = Find(*mem, {"resident"}); r && Bool(*r, "ok"))
      if (auto peak = Num(r, "peak_bytes"))
        bars.push_back({model + " · peak resident", *peak / 1e9, GbText(*peak / 1e9), "resident"});
  }
  if (bars.empty()) return "";
  return BarChart("Memory (GB)", bars);
}

std::string EnergyChart(const json& doc) {
  std::vector<Bar> bars;
  for (const auto& run : Runs(doc)) {
    const std::string model = Str(run, "model");
    if (auto j = Num(Find(run, {"efficiency", "energy_estimated"}), "joules"))
      bars.push_back({model + " · estimated", *j, fmt::format("{:.4f} J", *j), "estimated"});
    if (auto paper = PaperFigure(doc, model, RowKind::kEnergy))
      bars.push_back({"paper: " + paper->first, paper->second, fmt::format("{:.3f} J", paper->second), "paper"});
  }
  if (bars.empty()) return "";
  return BarChart("Energy (estimated, J per 512-token sequence; not measured)", bars);
}

std::string MeasuredEnergyChart(const json& doc) {
  std::vector<Bar> bars;
  for (const auto& run : Runs(doc)) {
    const json* meas = Find(run, {"efficiency", "energy_measured"});
    if (!meas || !meas->is_array()) continue;
    for (const auto& m : *meas)
      if (Bool(m, "available"))
        if (auto jpt = Num(m, "joules_per_token"))
          bars.push_back({Str(run, "model") + " · " + Str(m, "source"), *jpt, fmt::format("{:.4f} J/token", *jpt),
                          "measured"});
  }
  if (bars.empty()) return "";
  return BarChart("Energy (measured, J per generated token)", bars);
}

std::string Td(const std::string& s, const char* cls = "") {
  return fmt::format("<td class=\"{}\">{}</td>", cls, Esc(s));
}

std::string Row(const std::string& k, const std::string& v) {
  return fmt::format("<dt>{}</dt><dd>{}</dd>", Esc(k), Esc(v));
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "—";
  return v.dump();
}

}  // namespace

std::string ChartsHtml(const json& doc) {
  std::string charts = LatencyChart(doc) + MemoryChart(doc) + EnergyChart(doc) + MeasuredEnergyChart(doc);
  if (charts.empty()) return "<h2 id=\"charts\">Charts</h2>\n<p>No efficiency probe ran.</p>\n";
  return "<h2 id=\"charts\">Latency, memory and energy</h2>\n<div class=\"charts\">\n" + charts + "</div>\n";
}

std::string EnergyMeasuredHtml(const json& doc) {
  std::string rows;
  for (const auto& run : Runs(doc)) {
    const json* meas = Find(run, {"efficiency", "energy_measured"});
    if (!meas || !meas->is_array()) continue;
    for (const auto& m : *meas) {
      const bool ok = Bool(m, "available");
      auto num = [&](const char* k, const char* f) {
        auto v = Num(m, k);
        return v ? fmt::format(fmt::runtime(f), *v) : std::string("—");
      };
      rows += "<tr>" + Td(Str(run, "model")) + Td(Str(m, "source")) + Td(ok ? "yes" : "no") +
              Td(num("joules", "{:.3f}"), "num") + Td(num("joules_per_token", "{:.5f}"), "num") +
              Td(num("watts", "{:.1f}"), "num") + Td(num("tokens", "{:.0f}"), "num") +
              Td(num("seconds", "{:.2f}"), "num") + Td(ok ? "" : Str(m, "reason", "no reason given")) + "</tr>\n";
    }
  }
  std::string h = "<h2 id=\"energy-measured\">Energy, measured (separate from the estimate)</h2>\n";
  if (rows.empty()) return h + "<p>No measured energy source was tried.</p>\n";
  return h + "<table><thead><tr><th>model</th><th>source</th><th>available</th><th>J</th><th>J/token</th><th>W</th>"
             "<th>tokens</th><th>s</th><th>reason unavailable</th></tr></thead><tbody>\n" + rows + "</tbody></table>\n";
}

std::string ThroughputHtml(const json& doc) {
  std::string lat, bench;
  for (const auto& run : Runs(doc)) {
    const std::string model = Str(run, "model");
    if (const json* l = Find(run, {"efficiency", "latency"}); l && l->is_array())
      for (const auto& r : *l) {
        const json* tpot = Find(r, {"tpot_ms"});
        const json* ttft = Find(r, {"ttft_ms"});
        lat += "<tr>" + Td(model) + Td(fmt::format("{:.0f}", Num(r, "threads").value_or(0)), "num") +
               Td(Str(r, "kernel", "?")) +
               Td(fmt::format("pp{:.0f} tg{:.0f} ×{:.0f}", Num(r, "n_prompt").value_or(0), Num(r, "n_gen").value_or(0),
                              Num(r, "repetitions").value_or(0))) +
               Td(Ms(Num(ttft, "mean").value_or(0)), "num") +
               Td(Ms(Num(tpot, "mean").value_or(0)) + " / " + Ms(Num(tpot, "p50").value_or(0)) + " / " +
                      Ms(Num(tpot, "p90").value_or(0)), "num") +
               Td(fmt::format("{:.2f}", Num(r, "prefill_tps").value_or(0)), "num") +
               Td(fmt::format("{:.2f}", Num(r, "decode_tps").value_or(0)), "num") + "</tr>\n";
      }
    if (const json* b = Find(run, {"efficiency", "bench"}); b && b->is_array())
      for (const auto& r : *b)
        bench += "<tr>" + Td(model) + Td(Str(r, "test")) + Td(fmt::format("{:.2f}", Num(r, "avg_ts").value_or(0)), "num") +
                 Td(fmt::format("{:.2f}", Num(r, "stddev_ts").value_or(0)), "num") +
                 Td(fmt::format("{:.2f}", Num(r, "median_ts").value_or(0)), "num") + "</tr>\n";
  }
  std::string micro;
  for (const auto& run : Runs(doc)) {
    const json* mb = Find(run, {"efficiency", "microbench"});
    if (!mb || !mb->is_array()) continue;
    for (const auto& r : *mb) {
      auto num = [&](const char* k, const char* f) {
        auto v = Num(r, k);
        return v ? fmt::format(fmt::runtime(f), *v) : std::string("—");
      };
      micro += "<tr>" + Td(Str(run, "model")) + Td(Str(r, "name")) + Td(Str(r, "run_type", "iteration")) +
               Td(num("real_time", "{:.4g}") + " " + Str(r, "time_unit"), "num") + Td(num("items_per_second", "{:.4g}"), "num") +
               Td(num("bytes_per_second", "{:.4g}"), "num") + "</tr>\n";
    }
  }
  std::string h;
  if (!lat.empty())
    h += "<h2 id=\"latency\">Latency sweep</h2>\n<table><thead><tr><th>model</th><th>threads</th><th>kernel</th>"
         "<th>shape</th><th>TTFT ms</th><th>TPOT ms mean / p50 / p90</th><th>prefill t/s</th><th>decode t/s</th>"
         "</tr></thead><tbody>\n" + lat + "</tbody></table>\n";
  if (!bench.empty())
    h += "<h2 id=\"bench\">Throughput (llama-bench style)</h2>\n<table><thead><tr><th>model</th><th>test</th>"
         "<th>avg t/s</th><th>stddev</th><th>median t/s</th></tr></thead><tbody>\n" + bench + "</tbody></table>\n";
  if (!micro.empty())
    h += "<h2 id=\"microbench\">Kernel microbenchmarks (Google Benchmark)</h2>\n<details open><summary>rows</summary>"
         "<table><thead><tr><th>model</th><th>benchmark</th><th>row</th><th>real time</th><th>items/s</th>"
         "<th>bytes/s</th></tr></thead><tbody>\n" + micro + "</tbody></table></details>\n";
  return h;
}

std::string TasksHtml(const json& doc, Footnotes& notes) {
  std::string rows;
  for (const auto& run : Runs(doc)) {
    const json* tasks = Find(run, {"tasks"});
    if (!tasks) continue;
    const json* model = ModelByName(doc, Str(run, "model"));
    const bool synthetic = model && Bool(*model, "synthetic");
    for (const auto& [name, t] : tasks->items()) {
      const TaskSummary s = SummarizeTask(t);
      std::string marks;
      const std::string status = Str(t, "status");
      if (status != "done") {
        const std::string badge = status == "not_run" ? "not run" : status;
        marks += BadgeHtml({badge, name + " " + badge + ": " + Str(t, "reason", "no reason given")}, notes);
      } else if (synthetic) {
        marks += BadgeHtml({"synthetic", "computed on synthetic weights: the accuracy is meaningless (a plumbing check)"}, notes);
      }
      rows += "<tr>" + Td(Str(run, "model")) + Td(name) + Td(s.status) + "<td>" + marks + "</td>" + Td(s.metric) +
              Td(s.value, "num") + Td(s.stderr_text, "num") +
              Td(Find(t, {"n_shot"}) ? ScalarText(t["n_shot"]) : "—", "num") +
              Td(Find(t, {"version"}) ? ScalarText(t["version"]) : "—", "num") +
              Td(Str(t, "request_stream_sha256", "—").substr(0, 16), "small") + Td(Join(Notes(t)), "small") + "</tr>\n";
    }
  }
  std::string h = "<h2 id=\"tasks\">All tasks</h2>\n";
  if (rows.empty()) return h + "<p>No task ran.</p>\n";
  return h + "<details open><summary>per-task results (lm-eval metric names)</summary>\n<div class=\"wide\"><table><thead><tr><th>model</th>"
             "<th>task</th><th>status</th><th>marks</th><th>metric</th><th>value</th><th>stderr</th><th>n-shot</th>"
             "<th>version</th><th>request stream sha256</th><th>notes</th></tr></thead><tbody>\n" + rows + "</tbody></table></div></details>\n";
}

std::string EnvironmentHtml(const json& doc) {
  std::string h = "<h2 id=\"environment\">Environment and reproducibility</h2>\n<dl class=\"env\">\n";
  if (const json* cmd = Find(doc, {"command"}); cmd && cmd->is_array()) {
    std::string line;
    for (const auto& a : *cmd) line += (line.empty() ? "" : " ") + ScalarText(a);
    h += Row("command", line);
  }
  for (const char* block : {"tool", "environment"})
    if (const json* b = Find(doc, {block}); b && b->is_object())
      for (const auto& [k, v] : b->items()) {
        std::string text;
        if (v.is_array())
          for (const auto& x : v) text += (text.empty() ? "" : " ") + ScalarText(x);
        else
          text = k == "memory_bytes" && v.is_number() ? Bytes(v.get<double>()) : ScalarText(v);
        h += Row(std::string(block) + "." + k, text);
      }
  h += "</dl>\n";
  for (const auto& run : Runs(doc)) {
    const std::string model = Str(run, "model");
    h += fmt::format("<h3>Run of model {}</h3>\n<dl class=\"env\">\n", Esc(model));
    if (const json* m = ModelByName(doc, model))
      for (const auto& [k, v] : m->items())
        if (!v.is_structured()) h += Row("model." + k, ScalarText(v));
    if (const json* m = ModelByName(doc, model); m && !RecipeText(*m).empty())
      h += Row("model.synthetic_recipe",
               fmt::format("{} (written by the run, not hashed; same recipe, same bytes)", RecipeText(*m)));
    if (const json* s = Find(run, {"settings"})) {
      for (const auto& [k, v] : s->items()) {
        if (!v.is_structured()) h += Row("settings." + k, ScalarText(v));
        else if (k == "bounded") h += Row("settings.bounded", v.dump());
      }
    }
    if (const json* f = Find(run, {"logits_fingerprint"}))
      h += Row("logits fingerprint", fmt::format("sha256 {} ({} rows, {} prompt tokens)", Str(*f, "sha256"),
                                                 Num(f, "rows").value_or(0), Num(f, "prompt_tokens").value_or(0)));
    if (const json* tasks = Find(run, {"tasks"}))
      for (const auto& [name, t] : tasks->items())
        h += Row("task " + name, fmt::format("version {}, {}-shot, request stream sha256 {}",
                                             Find(t, {"version"}) ? ScalarText(t["version"]) : "—",
                                             Find(t, {"n_shot"}) ? ScalarText(t["n_shot"]) : "?",
                                             Str(t, "request_stream_sha256", "—")));
    h += "</dl>\n";
  }
  return h;
}

}  // namespace bitnet::reports
