// RenderHtml: the page, and the paper tables section (the other sections: html_sections.cc).
#include <fmt/format.h>

#include "reports/html_sections.h"
#include "reports/json_path.h"
#include "reports/paper_table.h"
#include "reports/report_text.h"
#include "reports/reports.h"

namespace bitnet::reports {
namespace {

using nlohmann::json;

bool LowerIsBetter(RowKind k) { return k == RowKind::kMemory || k == RowKind::kLatency || k == RowKind::kEnergy || k == RowKind::kEnergyMeasured; }

std::string DeltaCell(const PublishedRow& row, const Cell& c) {
  if (!c.delta) return "<td class=\"num\"></td>";
  const bool better = LowerIsBetter(row.kind) ? *c.delta < 0 : *c.delta > 0;
  return fmt::format("<td class=\"num {}\">{}</td>", *c.delta == 0 ? "" : better ? "pos" : "neg",
                     Esc(FormatDelta(row, *c.delta)));
}

std::string TableHtml(const TableView& v, Footnotes& notes) {
  const PublishedTable& t = *v.table;
  std::string h = fmt::format("<h3>{}</h3>\n", Esc(t.title));
  if (!t.note.empty()) h += fmt::format("<p class=\"small\">{}</p>\n", Esc(t.note));
  if (v.mapped.empty())
    h += "<p class=\"small\">No model of this report is mapped to a column of this table "
         "(<code>models[].paper_column</code>): published figures only.</p>\n";
  // Header: unmapped columns span two header rows; a mapped one spans "paper" plus, per model,
  // measured / delta / stderr / marks.
  std::string top = "<tr><th rowspan=\"2\">row</th>", second = "<tr>";
  for (size_t c = 0; c < t.columns.size(); ++c) {
    int k = 0;
    for (const auto& m : v.mapped) k += m.column == static_cast<int>(c);
    if (k == 0) {
      top += fmt::format("<th rowspan=\"2\">{}</th>", Esc(t.columns[c]));
      continue;
    }
    top += fmt::format("<th colspan=\"{}\">{}</th>", 1 + 4 * k, Esc(t.columns[c]));
    second += "<th>paper</th>";
    for (const auto& m : v.mapped)
      if (m.column == static_cast<int>(c))
        second += fmt::format("<th class=\"meas\">measured<br><span class=\"small\">{}</span></th><th>Δ</th>"
                              "<th>± stderr</th><th>marks</th>",
                              Esc(m.model));
  }
  h += "<div class=\"wide\"><table class=\"paper\" id=\"" + Esc(t.id) + "\">\n<thead>" + top + "</tr>\n" + second + "</tr></thead>\n<tbody>\n";
  bool first_task = true;
  for (const auto& r : v.rows) {
    const PublishedRow& row = *r.row;
    std::string cls;
    if (row.kind == RowKind::kTask && first_task && t.rows.front().kind != RowKind::kTask) cls = "sep";
    if (row.kind == RowKind::kTask) first_task = false;
    if (row.kind == RowKind::kAverage) cls = "avg";
    std::string label = Esc(row.label);
    if (!row.note.empty()) {
      const int n = notes.Add(row.label + ": " + row.note);
      label += fmt::format("<sup><a href=\"#fn{}\">{}</a></sup>", n, n);
    }
    h += fmt::format("<tr class=\"{}\"><td class=\"label\">{}</td>", cls, label);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      h += fmt::format("<td class=\"num\">{}</td>", Esc(row.printed[c]));
      for (size_t i = 0; i < v.mapped.size(); ++i) {
        if (v.mapped[i].column != static_cast<int>(c)) continue;
        const Cell& cell = r.cells[i];
        std::string meas = cell.measured ? Esc(FormatValue(row, *cell.measured)) : (row.kind == RowKind::kInfo ? "n/a" : "—");
        if (!cell.detail.empty()) meas += fmt::format("<br><span class=\"small\">{}</span>", Esc(cell.detail));
        std::string marks;
        for (const auto& m : cell.marks) marks += BadgeHtml(m, notes);
        h += fmt::format("<td class=\"num meas\">{}</td>{}<td class=\"num\">{}</td><td>{}</td>", meas,
                         DeltaCell(row, cell), cell.stderr_value ? fmt::format("±{:.2f}", *cell.stderr_value) : "",
                         marks);
      }
    }
    h += "</tr>\n";
  }
  return h + "</tbody></table></div>\n";
}

std::string Legend() {
  return "<p class=\"legend\">Marks: <span class=\"badge b-synthetic\">synthetic</span> computed on synthetic weights "
         "(accuracy meaningless) · <span class=\"badge b-estimated\">estimated</span> computed from the architecture, "
         "not measured · <span class=\"badge b-skipped\">skipped</span>/<span class=\"badge b-failed\">failed</span> "
         "with the reason in the notes · <span class=\"badge b-not-run\">not run</span>/<span class=\"badge b-unavailable\">unavailable</span> · "
         "<span class=\"badge b-subset\">subset</span> evaluated on part of the documents · "
         "<span class=\"badge b-bounded\">bounded</span> timed over fewer generated tokens than the paper's 128 "
         "(settings in the note). Δ = measured − published "
         "(<span class=\"pos\">green</span>: better).</p>\n";
}

}  // namespace

std::string PaperTablesHtml(const json& doc, Footnotes& notes) {
  std::string h = "<h2 id=\"paper-tables\">The paper's tables: published beside measured</h2>\n";
  h += fmt::format("<p class=\"small\">Published: {}.</p>\n", Esc(Published().source));
  h += Legend();
  for (const auto& v : BuildPaperTables(doc)) h += TableHtml(v, notes);
  return h;
}

std::string RenderHtml(const json& doc) {
  if (doc.is_object() && Str(doc, "schema") == kMergedSchema) {
    ValidateMerged(doc, "merged report");
    return MergedHtml(doc);
  }
  ValidateReport(doc, "report");
  Footnotes notes;
  const std::string suite = Str(doc, "suite", "(unnamed suite)");
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
  h += fmt::format("<title>bitnet-eval report: {}</title>\n<style>{}</style>\n</head>\n<body>\n", Esc(suite), PageCss());
  h += fmt::format("<h1>bitnet-eval report: {}</h1>\n<p class=\"sub\">{} · status {} · {}</p>\n", Esc(suite),
                   Esc(Str(doc, "created_utc", "no date")), Esc(Str(doc, "status")),
                   Esc(Str(Find(doc, {"environment"}) ? doc["environment"] : json(), "cpu_model", "unknown CPU")));
  if (Str(doc, "status") == "partial")
    h += fmt::format("<div class=\"banner\" id=\"partial\">PARTIAL REPORT: {}.</div>\n", Esc(PartialText(doc)));
  const json* models = Find(doc, {"models"});
  std::vector<std::string> synthetic;
  if (models)
    for (const auto& m : *models)
      if (Bool(m, "synthetic")) synthetic.push_back(Str(m, "name"));
  if (!synthetic.empty()) {
    std::string names;
    for (size_t i = 0; i < synthetic.size(); ++i)
      names += (i == 0 ? "" : i + 1 == synthetic.size() ? " and " : ", ") + Esc(synthetic[i]);
    h += fmt::format("<div class=\"banner\">Model{} {} {} synthetic weights: {} accuracy rows are meaningless "
                     "(a plumbing check); efficiency rows are valid for {} shape.</div>\n",
                     synthetic.size() > 1 ? "s" : "", names, synthetic.size() > 1 ? "have" : "has",
                     synthetic.size() > 1 ? "their" : "its", synthetic.size() > 1 ? "their" : "its");
  }
  if (const auto run_notes = Notes(doc); !run_notes.empty()) {
    h += "<ul class=\"run-notes\">\n";
    for (const auto& n : run_notes) h += "<li>" + Esc(n) + "</li>\n";
    h += "</ul>\n";
  }
  h += PaperTablesHtml(doc, notes);
  h += ChartsHtml(doc);
  h += EnergyMeasuredHtml(doc);
  h += ThroughputHtml(doc);
  h += TasksHtml(doc, notes);
  h += EnvironmentHtml(doc);
  h += notes.Render();
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace bitnet::reports
