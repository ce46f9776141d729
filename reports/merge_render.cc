// The renderings of a merged document: the side-by-side HTML page and the Markdown table.
#include <fmt/format.h>

#include <cmath>

#include "reports/html_sections.h"
#include "reports/json_path.h"
#include "reports/merge_internal.h"
#include "reports/reports.h"

namespace bitnet::reports {
namespace {

using nlohmann::json;

std::string Value(const json& v, const std::string& unit) {
  if (!v.is_number()) return "—";
  const double x = v.get<double>();
  if (unit == "J" || unit == "J/token") return fmt::format("{:.4f}", x);
  return fmt::format("{:.2f}", x);
}

// Index of the best value of the row (nullopt when fewer than two values).
std::optional<size_t> Best(const json& row) {
  std::optional<size_t> best;
  int n = 0;
  const bool hib = Bool(row, "higher_is_better", true);
  const json& values = row["values"];
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_number()) continue;
    ++n;
    const double v = values[i].get<double>();
    if (!best || (hib ? v > values[*best].get<double>() : v < values[*best].get<double>())) best = i;
  }
  if (n < 2) return std::nullopt;
  for (size_t i = 0; i < values.size(); ++i)  // a tie has no best
    if (i != *best && values[i].is_number() && values[i].get<double>() == values[*best].get<double>()) return std::nullopt;
  return best;
}

std::string Chart(const json& merged, const std::string& key_suffix, const std::string& title, const char* cls) {
  std::vector<Bar> bars;
  for (const auto& row : merged["rows"]) {
    const std::string key = Str(row, "key");
    if (key.size() < key_suffix.size() || key.compare(key.size() - key_suffix.size(), key_suffix.size(), key_suffix) != 0)
      continue;
    for (size_t i = 0; i < row["values"].size(); ++i)
      if (row["values"][i].is_number()) {
        const double v = row["values"][i].get<double>();
        bars.push_back({fmt::format("[{}] {} · {}", i + 1, Str(merged["columns"][i], "model"), Str(row, "label")), v,
                        Value(row["values"][i], Str(row, "unit")) + " " + Str(row, "unit"), cls});
      }
  }
  return bars.empty() ? "" : BarChart(title, bars);
}

}  // namespace

std::string MergedHtml(const json& merged) {
  const json& columns = merged["columns"];
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
  h += fmt::format("<title>bitnet-eval: {} runs side by side</title>\n<style>{}</style>\n</head>\n<body>\n", columns.size(),
                   PageCss());
  h += fmt::format("<h1>bitnet-eval: {} runs side by side</h1>\n<p class=\"sub\">merged from {} reports</p>\n",
                   columns.size(), merged["sources"].size());
  for (const auto& s : merged["sources"])
    if (Str(s["document"], "status") == "partial")
      h += fmt::format("<div class=\"banner\">{} is a PARTIAL report: its missing rows were not run.</div>\n",
                       Esc(Str(s, "name")));
  h += "<table id=\"merged\"><thead><tr><th>row</th><th>unit</th>";
  for (size_t ci = 0; ci < columns.size(); ++ci) {
    const json& c = columns[ci];
    std::string sub = Esc(fmt::format("{} · {} · {} threads", Str(c, "source"), Str(c, "kernel", "?"),
                                      Str(c, "threads", "?")));
    if (Bool(c, "synthetic")) sub += " <span class=\"badge b-synthetic\">synthetic</span>";
    h += fmt::format("<th>[{}] {}<br><span class=\"small\">{}</span></th>", ci + 1, Esc(Str(c, "label")), sub);
  }
  h += "</tr></thead><tbody>\n";
  std::string group;
  for (const auto& row : merged["rows"]) {
    const std::string g = Str(row, "group");
    if (g != group) {
      group = g;
      h += fmt::format("<tr class=\"sep\"><td colspan=\"{}\"><b>{}</b></td></tr>\n", columns.size() + 2, Esc(g));
    }
    const auto best = Best(row);
    h += fmt::format("<tr><td class=\"label\">{}</td><td>{}</td>", Esc(Str(row, "label")), Esc(Str(row, "unit")));
    for (size_t i = 0; i < row["values"].size(); ++i) {
      std::string v = Esc(Value(row["values"][i], Str(row, "unit")));
      if (g == "accuracy" && row["values"][i].is_number() && Bool(columns[i], "synthetic"))
        v += " <span class=\"badge b-synthetic\" title=\"synthetic weights: accuracy meaningless\">synthetic</span>";
      h += best && *best == i ? fmt::format("<td class=\"num\"><b>{}</b></td>", v) : fmt::format("<td class=\"num\">{}</td>", v);
    }
    h += "</tr>\n";
  }
  h += "</tbody></table>\n<p class=\"small\">Bold: the best value of the row. Accuracy in points (fraction × 100).</p>\n";
  const std::string charts = Chart(merged, ".tpot_ms", "TPOT (ms, lower is better)", "measured") +
                             Chart(merged, ".decode_tps", "Decode tokens/s (higher is better)", "loaded") +
                             Chart(merged, "energy.estimated", "Energy, estimated (J per 512-token sequence)", "estimated");
  if (!charts.empty()) h += "<h2>Charts</h2>\n<div class=\"charts\">\n" + charts + "</div>\n";
  h += "<h2>Sources</h2>\n<ul>\n";
  for (const auto& s : merged["sources"])
    h += fmt::format("<li>{}: {}, {}, build {}</li>\n", Esc(Str(s, "name")), Esc(Str(s["document"], "suite", "?")),
                     Esc(Str(s["document"], "created_utc", "no date")),
                     Esc(Find(s["document"], {"tool"}) ? Str(s["document"]["tool"], "git_hash", "?") : "?"));
  return h + "</ul>\n</body>\n</html>\n";
}

std::string MergedMarkdown(const json& merged) {
  auto md_cell = [](std::string s) {
    for (auto& ch : s)
      if (ch == '|' || ch == '\n') ch = ' ';
    return s;
  };
  std::string md = "| row | unit |";
  std::string sep = "|---|---|";
  for (const auto& c : merged["columns"]) {
    md += " " + md_cell(Str(c, "label")) + " |";
    sep += "---:|";
  }
  md += "\n" + sep + "\n";
  for (const auto& row : merged["rows"]) {
    md += fmt::format("| {} | {} |", md_cell(Str(row, "label")), md_cell(Str(row, "unit")));
    for (const auto& v : row["values"]) md += " " + Value(v, Str(row, "unit")) + " |";
    md += "\n";
  }
  return md;
}

}  // namespace bitnet::reports
