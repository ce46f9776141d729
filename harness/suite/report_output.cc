#include "harness/suite/report_output.h"

#include <fmt/format.h>

#include <cmath>

#include "harness/suite/run_state.h"

namespace bitnet::suite {

using nlohmann::json;

void WriteReportFiles(const std::filesystem::path& out_dir, const json& doc) {
  WriteAtomic(out_dir / "report.json", doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

namespace {

std::string Num(const json& v, const char* fmtstr) {
  if (!v.is_number()) return "—";
  return fmt::format(fmt::runtime(fmtstr), v.get<double>());
}

std::string TaskLine(const std::string& name, const json& t) {
  const std::string status = t.value("status", "");
  const std::string metric = t["primary_metric"].is_string() ? t["primary_metric"].get<std::string>() : "";
  std::string value = "—";
  if (status == "done" && !metric.empty() && t["results"].contains(metric) && t["results"][metric].is_number())
    value = fmt::format("{:.2f}", t["results"][metric].get<double>() * 100.0);
  std::string paper = "—";
  if (t.contains("paper") && t["paper"].is_object() && t["paper"].contains("score"))
    paper = Num(t["paper"]["score"], "{:.2f}");
  std::string note = t["reason"].is_string() ? t["reason"].get<std::string>() : "";
  if (note.size() > 160) note = note.substr(0, 157) + "...";
  return fmt::format("| {} ({}-shot; {}) | {} | {} | {} | {} |\n", name, t.value("n_shot", json(0)).dump(), metric,
                     value, paper, status, note);
}

}  // namespace

std::string SummaryMarkdown(const json& doc) {
  std::string md = fmt::format("## bitnet-eval --suite {} ({})\n\n", doc.value("suite", ""), doc.value("status", ""));
  for (const auto& run : doc["runs"]) {
    const std::string model = run["model"].get<std::string>();
    bool synthetic = false;
    for (const auto& m : doc["models"])
      if (m["name"] == model) synthetic = m.value("synthetic", false);
    md += fmt::format("### {}{}\n\n| row | measured | published (BitNet b1.58 2B) | status | note |\n|---|---|---|---|---|\n",
                      model, synthetic ? " (synthetic weights)" : "");
    const json& e = run["efficiency"];
    if (e.contains("memory"))
      md += fmt::format("| Memory (non-emb) | {} | 0.4GB | measured | loaded weights {:.2f} GB, peak RSS {} |\n",
                        e["memory"]["paper_row"]["printed"].get<std::string>(),
                        e["memory"]["loaded"]["weight_bytes"].get<double>() / 1e9,
                        e["memory"]["resident"]["ok"].get<bool>()
                            ? fmt::format("{:.2f} GB", e["memory"]["resident"]["peak_bytes"].get<double>() / 1e9)
                            : "n/a");
    if (e.contains("latency"))
      for (const auto& l : e["latency"])
        md += fmt::format("| Latency (CPU; TPOT), {} threads | {} ms | 29ms (i7-13800H, 8 threads) | measured | "
                          "p50 {} ms, p90 {} ms, TTFT {} ms, tg{} x {} |\n",
                          l["threads"].get<int>(), Num(l["tpot_ms"]["mean"], "{:.1f}"), Num(l["tpot_ms"]["p50"], "{:.1f}"),
                          Num(l["tpot_ms"]["p90"], "{:.1f}"), Num(l["ttft_ms"]["mean"], "{:.0f}"), l["n_gen"].get<int64_t>(),
                          l["repetitions"].get<int64_t>());
    if (e.contains("energy_estimated"))
      md += fmt::format("| Energy (estimated) | {} J | 0.028J | estimated | {} tokens at {} nm |\n",
                        Num(e["energy_estimated"]["joules"], "{:.3f}"), e["energy_estimated"]["sequence_tokens"].get<int64_t>(),
                        e["energy_estimated"]["node_nm"].get<int>());
    if (e.contains("energy_measured"))
      for (const auto& m : e["energy_measured"])
        md += m["available"].get<bool>()
                  ? fmt::format("| Energy (measured, {}) | {} J/token | — | measured | {} W |\n", m["source"].get<std::string>(),
                                Num(m["joules_per_token"], "{:.4f}"), Num(m["watts"], "{:.1f}"))
                  : fmt::format("| Energy (measured, {}) | — | — | unavailable | {} |\n", m["source"].get<std::string>(),
                                m["reason"].is_string() ? m["reason"].get<std::string>() : "");
    if (e.contains("bench"))
      for (const auto& b : e["bench"])
        md += fmt::format("| bench {} | {} t/s (median) | — | measured | |\n", b["test"].get<std::string>(),
                          Num(b["median_ts"], "{:.2f}"));
    if (e.contains("microbench"))
      md += fmt::format("| kernel microbenchmarks | {} benchmarks | — | {} | {} |\n", e["microbench"].size(),
                        e.contains("microbench_skipped") ? "skipped" : "measured",
                        e.value("microbench_skipped", ""));
    if (run.contains("logits_fingerprint"))
      md += fmt::format("| logits fingerprint ({} tokens) | {} | — | measured | |\n",
                        run["logits_fingerprint"]["prompt_tokens"].get<int64_t>(),
                        run["logits_fingerprint"]["sha256"].get<std::string>().substr(0, 16));
    for (const auto& [name, t] : run["tasks"].items()) md += TaskLine(name, t);
    md += "\n";
  }
  for (const auto& n : doc["notes"]) md += "- " + n.get<std::string>() + "\n";
  return md;
}

}  // namespace bitnet::suite
