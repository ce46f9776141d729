#include "reports/paper_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "reports/json_path.h"

namespace bitnet::reports {
namespace {

using nlohmann::json;

const json* RunOf(const json& doc, const std::string& model) {
  const json* runs = Find(doc, {"runs"});
  if (!runs || !runs->is_array()) return nullptr;
  for (const auto& r : *runs)
    if (Str(r, "model") == model) return &r;
  return nullptr;
}

Mark NotRun(const std::string& what) { return {"not run", what}; }

// The probes of this run did not run for a stated reason (a baseline column skipped for lack of
// disk space): that reason, else "not run" with `what`.
Mark NotMeasured(const MappedColumn& m, const std::string& what) {
  const std::string why = m.run ? Str(*m.run, "efficiency_skipped") : "";
  if (!why.empty()) return {"skipped", m.model + ": " + why};
  return NotRun(what);
}

// The paper times TPOT over 128 generated tokens (REFERENCE.md §2).
constexpr double kPaperGeneratedTokens = 128;

// A latency row timed with fewer generated tokens than the paper's (the baselines of the
// built-in default): says how it was timed.
std::optional<Mark> BoundedMark(const json& row) {
  const auto n_gen = Num(row, "n_gen");
  if (!n_gen || *n_gen >= kPaperGeneratedTokens) return std::nullopt;
  return Mark{"bounded", fmt::format("timed over {:.0f} generated tokens after a {:.0f}-token prompt, {:.0f} "
                                     "repetition(s) after {:.0f} warm-up run(s) (the paper: 128 generated tokens), "
                                     "to keep the run short",
                                     *n_gen, Num(row, "n_prompt").value_or(0), Num(row, "repetitions").value_or(0),
                                     Num(row, "warmup").value_or(0))};
}

Cell MemoryCell(const MappedColumn& m) {
  Cell c;
  const json* row = m.run ? Find(*m.run, {"efficiency", "memory", "paper_row"}) : nullptr;
  if (auto gb = Num(row, "gb")) {
    c.measured = *gb;
    if (auto bits = Num(row, "bits_per_weight")) c.detail = fmt::format("{:.3g} bits/weight", *bits);
  } else {
    c.marks.push_back(NotMeasured(m, "the memory probe did not run for this model"));
  }
  return c;
}

Cell LatencyCell(const MappedColumn& m) {
  Cell c;
  const json* lat = m.run ? Find(*m.run, {"efficiency", "latency"}) : nullptr;
  if (lat && lat->is_array() && !lat->empty()) {
    const json& first = (*lat)[0];
    if (auto mean = Num(Find(first, {"tpot_ms"}), "mean")) {
      c.measured = *mean;
      c.detail = fmt::format("{:.0f} threads{}", Num(first, "threads").value_or(0),
                             first.contains("kernel") && first["kernel"].is_string()
                                 ? ", " + first["kernel"].get<std::string>() : "");
      if (m.synthetic)
        c.marks.push_back({"synthetic", "timed on synthetic weights of the same shape (same work per token)"});
      if (auto bounded = BoundedMark(first)) c.marks.push_back(*bounded);
      return c;
    }
  }
  c.marks.push_back(NotMeasured(m, "the latency probe did not run for this model"));
  return c;
}

Cell EnergyCell(const MappedColumn& m) {
  Cell c;
  const json* est = m.run ? Find(*m.run, {"efficiency", "energy_estimated"}) : nullptr;
  if (auto j = Num(est, "joules")) {
    c.measured = *j;
    c.marks.push_back({"estimated", "estimated from the architecture with the paper's arithmetic-energy model (" +
                                        Str(*est, "method", "REFERENCE.md §2") + "), not measured"});
  } else {
    c.marks.push_back(NotMeasured(m, "the energy estimate was not computed for this model"));
  }
  return c;
}

Cell MeasuredEnergyCell(const MappedColumn& m) {
  Cell c;
  const json* meas = m.run ? Find(*m.run, {"efficiency", "energy_measured"}) : nullptr;
  if (!meas || !meas->is_array() || meas->empty()) {
    c.marks.push_back(NotMeasured(m, "no energy counter was read for this model"));
    return c;
  }
  std::string unavailable;
  for (const auto& src : *meas) {
    if (Bool(src, "available") && Num(src, "joules_per_token")) {
      c.measured = *Num(src, "joules_per_token");
      c.detail = Str(src, "source");
      if (m.synthetic)
        c.marks.push_back({"synthetic", "timed on synthetic weights of the same shape (same work per token)"});
      return c;
    }
    unavailable += fmt::format("{}{}: {}", unavailable.empty() ? "" : "; ", Str(src, "source"),
                               Str(src, "reason", "no reason given"));
  }
  c.marks.push_back({"unavailable", "no energy counter available: " + unavailable});
  return c;
}

Cell TaskCell(const PublishedRow& row, const MappedColumn& m) {
  Cell c;
  const json* task = m.run ? Find(*m.run, {"tasks", row.task}) : nullptr;
  if (!task) {
    c.marks.push_back(NotRun(fmt::format("task {} was not part of this run", row.task)));
    return c;
  }
  const std::string status = Str(*task, "status");
  const std::string reason = Str(*task, "reason", "no reason given");
  if (status == "skipped") c.marks.push_back({"skipped", fmt::format("{} skipped: {}", row.task, reason)});
  if (status == "failed") c.marks.push_back({"failed", fmt::format("{} failed: {}", row.task, reason)});
  // The reason alone (the row names the task), so one footnote serves every row of a model that
  // ran no task for the same reason (a baseline column: efficiency rows only).
  if (status == "not_run") c.marks.push_back(NotRun(reason));
  if (status != "done") return c;
  const json* results = Find(*task, {"results"});
  std::string metric = ResolveMetric(results, Str(*task, "primary_metric"));
  if (metric.empty()) metric = row.metric;
  if (auto v = Num(results, metric)) {
    c.measured = *v * row.scale;
    if (metric != row.metric) c.detail = metric;  // say so when the run's metric differs from the row's
    if (auto se = Num(results, StderrKey(metric))) c.stderr_value = *se * row.scale;
  } else {
    const std::string why = Str(*task, "reason");
    c.marks.push_back({"not run", fmt::format("{} has no {} in its results{}", row.task, metric, why.empty() ? "" : ": " + why)});
    return c;
  }
  if (m.synthetic)
    c.marks.push_back({"synthetic", "computed on synthetic weights: the accuracy is meaningless (a plumbing check)"});
  if (auto limit = Num(*task, "limit"))
    c.marks.push_back({"subset", fmt::format("{} evaluated on the first {} documents only (--limit)", row.task, *limit)});
  else if (const std::string why = Str(*task, "reason"); !why.empty())  // done, with a caveat (partial group)
    c.marks.push_back({"subset", fmt::format("{}: {}", row.task, why)});
  return c;
}

Cell AverageCell(const std::vector<TableRowView>& rows, size_t col, const MappedColumn& m) {
  Cell c;
  double sum = 0;
  int n = 0, total = 0;
  for (const auto& r : rows) {
    if (r.row->kind != RowKind::kTask) continue;
    ++total;
    if (r.cells[col].measured) {
      sum += *r.cells[col].measured;
      ++n;
    }
  }
  if (n == total && total > 0) {
    c.measured = sum / n;
    c.detail = fmt::format("mean of the {} rows", n);
    if (m.synthetic) c.marks.push_back({"synthetic", "computed on synthetic weights: the accuracy is meaningless (a plumbing check)"});
    int subset = 0;
    for (const auto& r : rows)
      if (r.row->kind == RowKind::kTask)
        for (const auto& mk : r.cells[col].marks) subset += mk.badge == "subset";
    if (subset)
      c.marks.push_back({"subset", fmt::format("average over rows of which {} were evaluated on a subset of their documents", subset)});
  } else {
    c.marks.push_back({"incomplete", fmt::format("average not computed: {} of {} benchmark rows measured", n, total)});
  }
  return c;
}

}  // namespace

std::string ResolveMetric(const json* results, const std::string& metric) {
  if (!results || !results->is_object() || metric.empty()) return "";
  if (Num(results, metric)) return metric;
  if (metric.find(',') != std::string::npos) return "";
  if (Num(results, metric + ",none")) return metric + ",none";
  for (const auto& [k, v] : results->items())
    if (v.is_number() && k.rfind(metric + ",", 0) == 0) return k;
  return "";
}

std::string StderrKey(const std::string& metric) {
  const auto comma = metric.find(',');
  if (comma == std::string::npos) return metric + "_stderr";
  return metric.substr(0, comma) + "_stderr" + metric.substr(comma);
}

std::string FormatValue(const PublishedRow& row, double v) {
  switch (row.kind) {
    case RowKind::kMemory: return fmt::format("{:.2f}GB", v);
    case RowKind::kLatency: return fmt::format("{:.1f}ms", v);
    case RowKind::kEnergy: return fmt::format("{:.3f}J", v);
    case RowKind::kEnergyMeasured: return fmt::format("{:.4f}J/token", v);
    default: return fmt::format("{:.2f}", v);
  }
}

std::string FormatDelta(const PublishedRow& row, double d) {
  switch (row.kind) {
    case RowKind::kMemory: return fmt::format("{:+.2f}GB", d);
    case RowKind::kLatency: return fmt::format("{:+.1f}ms", d);
    case RowKind::kEnergy: return fmt::format("{:+.4f}J", d);
    case RowKind::kEnergyMeasured: return fmt::format("{:+.4f}J/token", d);
    default: return fmt::format("{:+.2f}", d);
  }
}

std::vector<TableView> BuildPaperTables(const json& doc) {
  std::vector<TableView> out;
  const auto& tables = Published().tables;
  const json* models = Find(doc, {"models"});
  for (size_t t = 0; t < tables.size(); ++t) {
    TableView view;
    view.table = &tables[t];
    bool own_column = t == 0;
    if (models && models->is_array()) {
      for (const auto& m : *models) {
        const int col = view.table->ColumnIndex(Str(m, "paper_column"));
        if (col < 0) continue;
        MappedColumn mc;
        mc.column = col;
        mc.model = Str(m, "name");
        mc.run = RunOf(doc, mc.model);
        mc.synthetic = Bool(m, "synthetic");
        view.mapped.push_back(mc);
        if (tables[0].ColumnIndex(view.table->columns[col]) < 0) own_column = true;
      }
    }
    if (!own_column) continue;
    std::stable_sort(view.mapped.begin(), view.mapped.end(),
                     [](const MappedColumn& a, const MappedColumn& b) { return a.column < b.column; });
    std::vector<const PublishedRow*> rows;
    for (const auto& row : view.table->rows) {
      rows.push_back(&row);
      if (row.kind == RowKind::kEnergy) {  // measured energy: a row of its own under the estimate
        auto extra = std::make_unique<PublishedRow>();
        extra->label = "Energy (measured, J/token)";
        extra->kind = RowKind::kEnergyMeasured;
        extra->unit = "J/token";
        extra->note = "not a row of the paper: energy counters (RAPL, perf power, PCM) read over the timed decode, per generated token; kept apart from the estimate";
        extra->values.assign(view.table->columns.size(), 0.0);
        extra->printed.assign(view.table->columns.size(), "—");
        rows.push_back(extra.get());
        view.own_rows.push_back(std::move(extra));
      }
    }
    for (const PublishedRow* rowp : rows) {
      const PublishedRow& row = *rowp;
      TableRowView rv;
      rv.row = &row;
      for (size_t i = 0; i < view.mapped.size(); ++i) {
        const MappedColumn& m = view.mapped[i];
        Cell c;
        switch (row.kind) {
          case RowKind::kMemory: c = MemoryCell(m); break;
          case RowKind::kLatency: c = LatencyCell(m); break;
          case RowKind::kEnergy: c = EnergyCell(m); break;
          case RowKind::kTask: c = TaskCell(row, m); break;
          case RowKind::kAverage: c = AverageCell(view.rows, i, m); break;
          case RowKind::kEnergyMeasured: c = MeasuredEnergyCell(m); break;
          case RowKind::kInfo: break;  // not measurable (training tokens)
        }
        if (c.measured && row.kind != RowKind::kEnergyMeasured) c.delta = *c.measured - row.values[m.column];
        rv.cells.push_back(std::move(c));
      }
      view.rows.push_back(std::move(rv));
    }
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace bitnet::reports
