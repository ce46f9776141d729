// RenderMarkdown: the summary printed at the end of a run. Paper tables with measured vs
// published figures and their marks, the efficiency probes, tasks outside the paper's tables.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "reports/json_path.h"
#include "reports/merge_internal.h"
#include "reports/paper_table.h"
#include "reports/reports.h"
#include "reports/report_text.h"

namespace bitnet::reports {
namespace {

// A table cell: no '|' or line breaks from the document.
std::string Md(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n' || ch == '\r') out += ' ';
    else out += ch;
  }
  return out;
}

std::string MarksText(const std::vector<Mark>& marks, std::vector<std::string>& notes) {
  std::string out;
  for (const auto& m : marks) {
    auto it = std::find(notes.begin(), notes.end(), m.badge + ": " + m.note);
    if (it == notes.end()) it = notes.insert(notes.end(), m.badge + ": " + m.note);
    out += fmt::format("{}{} [{}]", out.empty() ? "" : " ", m.badge, it - notes.begin() + 1);
  }
  return out;
}

void PaperTable(const TableView& v, std::string& md, std::vector<std::string>& notes) {
  md += fmt::format("### {}\n\n", Md(v.table->title));
  if (v.mapped.empty()) {
    md += "No model of this run is mapped to a column of this table (models[].paper_column).\n\n";
    return;
  }
  md += "| row |";
  std::string sep = "|---|";
  for (const auto& m : v.mapped) {
    md += fmt::format(" {} (paper) | {} (measured) | Δ | ± | marks |", Md(v.table->columns[m.column]), Md(m.model));
    sep += "---:|---:|---:|---:|---|";
  }
  md += "\n" + sep + "\n";
  for (const auto& r : v.rows) {
    md += fmt::format("| {} |", Md(r.row->label));
    for (size_t i = 0; i < v.mapped.size(); ++i) {
      const Cell& c = r.cells[i];
      md += fmt::format(" {} | {} | {} | {} | {} |", r.row->printed[v.mapped[i].column],
                        c.measured ? FormatValue(*r.row, *c.measured) : "—",
                        c.delta ? FormatDelta(*r.row, *c.delta) : "",
                        c.stderr_value ? fmt::format("{:.2f}", *c.stderr_value) : "", MarksText(c.marks, notes));
    }
    md += "\n";
  }
  md += "\n";
}

// The tasks shown as rows of the paper tables for `model` (empty when it has no paper column).
std::set<std::string> PaperTasks(const nlohmann::json& doc, const std::string& model) {
  std::set<std::string> out;
  for (const auto& v : BuildPaperTables(doc))
    for (const auto& m : v.mapped)
      if (m.model == model)
        for (const auto& r : v.rows)
          if (r.row->kind == RowKind::kTask) out.insert(r.row->task);
  return out;
}

void Efficiency(const nlohmann::json& run, std::string& md) {
  const std::string model = Str(run, "model");
  if (const std::string why = Str(run, "efficiency_skipped"); !why.empty()) {
    md += fmt::format("- {}: efficiency probes skipped: {}\n", Md(model), Md(why));
    return;
  }
  const auto* eff = Find(run, {"efficiency"});
  if (!eff) {
    md += fmt::format("- {}: no efficiency probe ran\n", Md(model));
    return;
  }
  for (const auto& line : EfficiencyLines(*eff)) md += fmt::format("- {}: {}\n", Md(model), Md(line));
}

}  // namespace

std::string RenderMarkdown(const nlohmann::json& doc) {
  if (doc.is_object() && Str(doc, "schema") == kMergedSchema) {
    ValidateMerged(doc, "merged report");
    return MergedMarkdown(doc);
  }
  ValidateReport(doc, "report");
  std::string md = fmt::format("## bitnet-eval report: suite {}\n\n", Md(Str(doc, "suite", "(unnamed)")));
  if (Str(doc, "status") == "partial") md += fmt::format("**PARTIAL REPORT**: {}\n\n", Md(PartialText(doc)));
  for (const auto& n : Notes(doc)) md += fmt::format("- {}\n", Md(n));
  if (!Notes(doc).empty()) md += "\n";
  std::vector<std::string> notes;
  for (const auto& v : BuildPaperTables(doc)) PaperTable(v, md, notes);

  const auto* runs = Find(doc, {"runs"});
  md += "### Efficiency\n\n";
  if (runs)
    for (const auto& run : *runs) Efficiency(run, md);
  md += "\n";

  // Tasks outside the shown paper tables (all tasks of models not mapped to a column); subtasks of
  // a group (lm_eval.group_subtasks, e.g. the 57 MMLU subjects) are counted, not listed.
  std::string other;
  if (runs) {
    for (const auto& run : *runs) {
      const auto* tasks = Find(run, {"tasks"});
      if (!tasks) continue;
      const std::set<std::string> in_table = PaperTasks(doc, Str(run, "model"));
      std::set<std::string> subtasks;
      if (const auto* groups = Find(run, {"lm_eval", "group_subtasks"}); groups && groups->is_object())
        for (const auto& [g, list] : groups->items())
          if (list.is_array() && tasks->contains(g))
            for (const auto& t : list)
              if (t.is_string()) subtasks.insert(t.get<std::string>());
      size_t hidden = 0;
      for (const auto& [name, t] : tasks->items()) {
        if (subtasks.count(name)) {
          ++hidden;
          continue;
        }
        if (in_table.count(name)) continue;
        const TaskSummary s = SummarizeTask(t);
        other += fmt::format("| {} | {} | {} | {} | {} | {} |\n", Md(Str(run, "model")), Md(name), Md(s.status),
                             Md(s.metric), s.value, s.stderr_text);
      }
      if (hidden) other += fmt::format("| {} | ({} subtasks of groups) | see the HTML or JSON | | | |\n", Md(Str(run, "model")), hidden);
    }
  }
  if (!other.empty())
    md += "### Other tasks\n\n| model | task | status | metric | value | ± |\n|---|---|---|---|---:|---:|\n" + other + "\n";

  if (!notes.empty()) {
    md += "Notes:\n";
    for (size_t i = 0; i < notes.size(); ++i) md += fmt::format("[{}] {}\n", i + 1, Md(notes[i]));
    md += "\n";
  }
  md += fmt::format("{}\n", Md(ReproLine(doc)));
  return md;
}

}  // namespace bitnet::reports
