// Run pairing, microbenchmark values and the output formats of Compare.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "reports/compare_internal.h"
#include "reports/json_path.h"
#include "reports/reports.h"

namespace bitnet::reports {

using nlohmann::json;

std::vector<RunPair> PairRuns(const json& base, const json& next, std::vector<std::string>& messages) {
  std::vector<RunPair> out;
  std::vector<bool> used(next["runs"].size(), false);
  auto sha = [](const json& doc, const json& run) {
    const json* m = ModelByName(doc, Str(run, "model"));
    return m ? Str(*m, "sha256") : std::string();
  };
  for (const auto& b : base["runs"]) {
    const std::string name = Str(b, "model");
    int match = -1;
    for (size_t i = 0; i < next["runs"].size() && match < 0; ++i)
      if (!used[i] && Str(next["runs"][i], "model") == name) match = static_cast<int>(i);
    const std::string bsha = sha(base, b);
    for (size_t i = 0; i < next["runs"].size() && match < 0 && !bsha.empty(); ++i)
      if (!used[i] && sha(next, next["runs"][i]) == bsha) match = static_cast<int>(i);
    if (match < 0) {
      messages.push_back(fmt::format("base run of model {} has no match in new (by name or sha256)", name));
      continue;
    }
    used[match] = true;
    out.push_back({name, &base, &b, &next["runs"][match]});
  }
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i])
      messages.push_back(fmt::format("new run of model {} has no match in base", Str(next["runs"][i], "model")));
  return out;
}

std::map<std::string, double> MicrobenchValues(const json* rows) {
  std::map<std::string, double> out;
  if (!rows || !rows->is_array()) return out;
  std::map<std::string, std::vector<double>> iterations;
  for (const auto& r : *rows) {
    const bool aggregate = Str(r, "run_type") == "aggregate";
    if (aggregate && Str(r, "aggregate_name") != "median") continue;
    const std::string name = aggregate ? Str(r, "run_name", Str(r, "name")) : Str(r, "name");
    for (const auto& [field, unit] : {std::pair{"items_per_second", "items/s"}, std::pair{"bytes_per_second", "bytes/s"}}) {
      auto v = Num(r, field);
      if (!v) continue;
      const std::string key = name + " " + unit;
      if (aggregate) out[key] = *v;
      else iterations[key].push_back(*v);
    }
  }
  for (auto& [key, values] : iterations) {
    if (out.count(key)) continue;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    out[key] = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
  return out;
}

namespace {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kRegression: return "regression";
    case Verdict::kBadInput: return "bad_input";
  }
  return "";
}

std::string Opt(const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : "—"; }

}  // namespace

std::string FormatCompare(const CompareResult& r) {
  std::vector<std::array<std::string, 8>> cells = {{"model", "item", "base", "new", "delta", "gate", "status", "note"}};
  for (const auto& row : r.rows)
    cells.push_back({row.model, row.item, Opt(row.base), Opt(row.next),
                     row.delta ? fmt::format("{:+.2f} {}", *row.delta, row.unit) : "", row.gate, row.status, row.note});
  std::array<size_t, 8> w{};
  for (const auto& c : cells)
    for (size_t i = 0; i < c.size(); ++i) w[i] = std::max(w[i], c[i].size());
  std::string out;
  for (size_t n = 0; n < cells.size(); ++n) {
    std::string line;
    for (size_t i = 0; i < 8; ++i) line += fmt::format("{:<{}}{}", cells[n][i], w[i], i + 1 < 8 ? "  " : "");
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (n == 0) {
      size_t total = 0;
      for (auto x : w) total += x + 2;
      out += std::string(total - 2, '-') + "\n";
    }
  }
  for (const auto& m : r.messages) out += "note: " + m + "\n";
  const auto regressions = std::count_if(r.rows.begin(), r.rows.end(), [](const CompareRow& x) { return x.status == "REGRESSION"; });
  switch (r.verdict) {
    case Verdict::kPass: out += fmt::format("verdict: PASS ({} rows compared)\n", r.rows.size()); break;
    case Verdict::kRegression: out += fmt::format("verdict: REGRESSION ({} of {} rows)\n", regressions, r.rows.size()); break;
    case Verdict::kBadInput: out += "verdict: BAD INPUT (see the notes above)\n"; break;
  }
  return out;
}

json CompareJson(const CompareResult& r) {
  json rows = json::array();
  for (const auto& row : r.rows) {
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(); };
    rows.push_back({{"model", row.model}, {"kind", row.kind}, {"item", row.item}, {"base", opt(row.base)},
                    {"new", opt(row.next)}, {"delta", opt(row.delta)}, {"unit", row.unit}, {"gate", row.gate},
                    {"status", row.status}, {"note", row.note}});
  }
  return {{"schema", "bitnet-eval/compare"}, {"schema_version", 1}, {"verdict", VerdictName(r.verdict)},
          {"exit_code", static_cast<int>(r.verdict)}, {"messages", r.messages}, {"rows", rows}};
}

}  // namespace bitnet::reports
