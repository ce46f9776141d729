#pragma once
// bitnet_reports: the public API over report documents (schema: docs/REPORT_SCHEMA.md).
// Reads documents only; never links the engine. Every document is untrusted input: the readers
// validate it first (ValidateReport) and the renderers escape every string taken from it.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet::reports {

using json = nlohmann::json;

inline constexpr const char* kReportSchema = "bitnet-eval/report";
inline constexpr const char* kMergedSchema = "bitnet-eval/merged-report";
inline constexpr int kSchemaVersion = 1;

// ---- reading --------------------------------------------------------------------------------

// Checks the required keys and the type of every known key; throws InputError(source, JSON path,
// what was wrong), e.g. "new.json: runs[0].tasks.arc_easy.results: expected an object".
// Refuses schema_version > kSchemaVersion. Unknown keys are ignored.
void ValidateReport(const json& doc, const std::string& source);

// The same for a document written by Merge (schema "bitnet-eval/merged-report").
void ValidateMerged(const json& doc, const std::string& source);

// Reads, parses and validates a report or merged-report file; InputError names the file and the
// byte offset (parse errors) or JSON path (schema errors).
json LoadReport(const std::string& path);

// ---- rendering ------------------------------------------------------------------------------

// One self-contained HTML page (inline CSS, charts as inline SVG; no script, no network).
// A merged document (kMergedSchema) renders as the side-by-side comparison.
std::string RenderHtml(const json& doc);

// The Markdown summary printed at the end of a run: Table 1 rows, measured vs published, marks.
std::string RenderMarkdown(const json& doc);

// ---- compare --------------------------------------------------------------------------------

// --max-drop METRIC=POINTS: `task` empty = every task; `metric` "*" = every metric; a metric
// without a filter ("acc_norm") matches every filter of it ("acc_norm,none", ...).
struct MaxDrop {
  std::string task;
  std::string metric;
  double points = 0;
};

// Parses "acc_norm=1.0", "*=2", "arc_easy/acc=1"; throws UsageError naming the bad text.
MaxDrop ParseMaxDrop(const std::string& text);

struct CompareOptions {
  std::vector<MaxDrop> max_drops;
  std::optional<double> max_slowdown_pct;  // gates every throughput row
  bool require_identical_logits = false;
};

enum class Verdict { kPass = 0, kRegression = 1, kBadInput = 2 };

struct CompareRow {
  std::string model;     // the run's model name (base's)
  std::string kind;      // "metric" | "throughput" | "logits" | "task"
  std::string item;      // "arc_easy acc_norm,none", "bench pp128 median_ts", ...
  std::optional<double> base, next;
  std::optional<double> delta;   // metric: points (new - base) x scale; throughput: % change
  std::string unit;              // "pts" | "%" | ""
  std::string gate;              // the gate applied ("acc_norm=1"), empty when none
  std::string status;            // "ok" | "REGRESSION" | "not comparable" | "missing" | "info"
  std::string note;
};

struct CompareResult {
  std::vector<CompareRow> rows;
  std::vector<std::string> messages;  // why the verdict is what it is (bad input, unmatched runs, ...)
  Verdict verdict = Verdict::kPass;
};

CompareResult Compare(const json& base, const json& next, const CompareOptions& options);

// The table of differences printed by `bitnet-eval compare`, and its JSON (for --json OUT).
std::string FormatCompare(const CompareResult& result);
json CompareJson(const CompareResult& result);

// ---- merge ----------------------------------------------------------------------------------

// One document (kMergedSchema) with a column per (machine, model) over all runs of `docs`, rows
// for TPOT, tokens/s, memory, energy and task metrics side by side, and the source documents.
// `sources` names each document (file names); empty = "report 1", "report 2", ...
json Merge(const std::vector<json>& docs, const std::vector<std::string>& sources = {});

// ---- writing --------------------------------------------------------------------------------

// Writes `bytes` to a temporary file in the same folder, fsyncs it, renames it over `path` and
// fsyncs the folder: readers see the old file or the whole new one, never a half-written one.
// Throws std::runtime_error naming the path on failure (and removes the temporary file).
void WriteFileAtomic(const std::string& path, std::string_view bytes);

}  // namespace bitnet::reports
