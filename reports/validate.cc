// ValidateReport / ValidateMerged / LoadReport: the reading side of docs/REPORT_SCHEMA.md.
// Required: schema, schema_version, status, models, runs (and per run: model, tasks; per task:
// status). Everything else is optional, but a known key present with the wrong type is an error.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "reports/json_path.h"
#include "reports/published.h"
#include "reports/reports.h"

namespace bitnet::reports {
namespace {

enum class T { kObject, kArray, kString, kNumber, kInteger, kBool };

const char* Expected(T t) {
  switch (t) {
    case T::kObject: return "expected an object";
    case T::kArray: return "expected an array";
    case T::kString: return "expected a string";
    case T::kNumber: return "expected a number";
    case T::kInteger: return "expected an integer";
    case T::kBool: return "expected true or false";
  }
  return "";
}

bool Is(const json& v, T t) {
  switch (t) {
    case T::kObject: return v.is_object();
    case T::kArray: return v.is_array();
    case T::kString: return v.is_string();
    case T::kNumber: return v.is_number();
    case T::kInteger: return v.is_number_integer() || v.is_number_unsigned();
    case T::kBool: return v.is_boolean();
  }
  return false;
}

class Checker {
 public:
  explicit Checker(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& what) const {
    throw InputError(source_, path.empty() ? "(document)" : path, what);
  }
  // The member `key` of `obj` (at `path`) must exist and have type t.
  const json& Need(const json& obj, const std::string& path, const std::string& key, T t) const {
    const std::string p = JoinPath(path, key);
    auto it = obj.find(key);
    if (it == obj.end()) Fail(p, "missing (required)");
    if (!Is(*it, t)) Fail(p, Expected(t));
    return *it;
  }
  // Optional member: absent or null is fine; otherwise it must have type t. Returns it or nullptr.
  const json* Opt(const json& obj, const std::string& path, const std::string& key, T t) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    if (!Is(*it, t)) Fail(JoinPath(path, key), Expected(t));
    return &*it;
  }
  void OneOf(const json& v, const std::string& path, std::initializer_list<const char*> allowed) const {
    for (const char* a : allowed)
      if (v.get<std::string>() == a) return;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + fmt::format("\"{}\"", a);
    Fail(path, fmt::format("\"{}\" is not one of {}", v.get<std::string>(), list));
  }
  // Every listed optional member of obj is a number (or null).
  void Numbers(const json& obj, const std::string& path, std::initializer_list<const char*> keys) const {
    for (const char* k : keys) Opt(obj, path, k, T::kNumber);
  }

 private:
  std::string source_;
};

void CheckSchemaHeader(const Checker& c, const json& doc, const char* schema) {
  if (!doc.is_object()) c.Fail("", "expected a JSON object at the top level");
  const json& s = c.Need(doc, "", "schema", T::kString);
  if (s.get<std::string>() != schema)
    c.Fail("schema", fmt::format("\"{}\" is not \"{}\"", s.get<std::string>(), schema));
  const json& v = c.Need(doc, "", "schema_version", T::kInteger);
  const int64_t version = v.get<int64_t>();
  if (version < 1) c.Fail("schema_version", fmt::format("{} is not a valid version", version));
  if (version > kSchemaVersion)
    c.Fail("schema_version", fmt::format("version {} is newer than this reader ({}): use a newer bitnet-eval",
                                         version, kSchemaVersion));
}

void CheckMemory(const Checker& c, const json& m, const std::string& p) {
  if (const json* row = c.Opt(m, p, "paper_row", T::kObject)) {
    c.Numbers(*row, p + ".paper_row", {"linear_params", "bits_per_weight", "gb"});
    c.Opt(*row, p + ".paper_row", "printed", T::kString);
  }
  if (const json* l = c.Opt(m, p, "loaded", T::kObject))
    c.Numbers(*l, p + ".loaded",
              {"projection_bytes", "embedding_bytes", "head_bytes", "norm_bytes", "kv_cache_bytes", "kv_ctx", "file_bytes"});
  if (const json* r = c.Opt(m, p, "resident", T::kObject)) {
    c.Opt(*r, p + ".resident", "ok", T::kBool);
    c.Numbers(*r, p + ".resident", {"peak_bytes", "current_bytes"});
    c.Opt(*r, p + ".resident", "error", T::kString);
  }
}

void CheckStats(const Checker& c, const json& obj, const std::string& p, const char* key) {
  if (const json* s = c.Opt(obj, p, key, T::kObject)) c.Numbers(*s, JoinPath(p, key), {"mean", "p50", "p90"});
}

void CheckEfficiency(const Checker& c, const json& e, const std::string& p) {
  if (const json* m = c.Opt(e, p, "memory", T::kObject)) CheckMemory(c, *m, p + ".memory");
  if (const json* lat = c.Opt(e, p, "latency", T::kArray)) {
    for (size_t i = 0; i < lat->size(); ++i) {
      const std::string q = fmt::format("{}.latency[{}]", p, i);
      const json& row = (*lat)[i];
      if (!row.is_object()) c.Fail(q, Expected(T::kObject));
      c.Need(row, q, "threads", T::kInteger);
      c.Opt(row, q, "kernel", T::kString);
      c.Numbers(row, q, {"n_prompt", "n_gen", "repetitions", "prefill_tps", "decode_tps"});
      CheckStats(c, row, q, "ttft_ms");
      CheckStats(c, row, q, "tpot_ms");
    }
  }
  if (const json* est = c.Opt(e, p, "energy_estimated", T::kObject)) {
    c.Need(*est, p + ".energy_estimated", "joules", T::kNumber);
    c.Numbers(*est, p + ".energy_estimated", {"sequence_tokens", "node_nm"});
    c.Opt(*est, p + ".energy_estimated", "method", T::kString);
  }
  if (const json* meas = c.Opt(e, p, "energy_measured", T::kArray)) {
    for (size_t i = 0; i < meas->size(); ++i) {
      const std::string q = fmt::format("{}.energy_measured[{}]", p, i);
      const json& row = (*meas)[i];
      if (!row.is_object()) c.Fail(q, Expected(T::kObject));
      c.Need(row, q, "source", T::kString);
      c.Need(row, q, "available", T::kBool);
      c.Opt(row, q, "reason", T::kString);
      c.Numbers(row, q, {"joules", "joules_per_token", "watts", "tokens", "seconds"});
    }
  }
  if (const json* bench = c.Opt(e, p, "bench", T::kArray)) {
    for (size_t i = 0; i < bench->size(); ++i) {
      const std::string q = fmt::format("{}.bench[{}]", p, i);
      const json& row = (*bench)[i];
      if (!row.is_object()) c.Fail(q, Expected(T::kObject));
      c.Need(row, q, "test", T::kString);
      c.Numbers(row, q, {"n_prompt", "n_gen", "avg_ts", "stddev_ts", "median_ts"});
      c.Opt(row, q, "samples_ts", T::kArray);
    }
  }
  if (const json* mb = c.Opt(e, p, "microbench", T::kArray)) {
    for (size_t i = 0; i < mb->size(); ++i) {
      const std::string q = fmt::format("{}.microbench[{}]", p, i);
      const json& row = (*mb)[i];
      if (!row.is_object()) c.Fail(q, Expected(T::kObject));
      c.Need(row, q, "name", T::kString);
      c.Numbers(row, q, {"items_per_second", "bytes_per_second", "real_time", "cpu_time"});
    }
  }
}

void CheckTask(const Checker& c, const json& t, const std::string& p) {
  if (!t.is_object()) c.Fail(p, Expected(T::kObject));
  const json& status = c.Need(t, p, "status", T::kString);
  c.OneOf(status, p + ".status", {"done", "skipped", "failed", "not_run"});
  c.Opt(t, p, "reason", T::kString);
  c.Opt(t, p, "primary_metric", T::kString);
  c.Opt(t, p, "notes", T::kArray);
  c.Opt(t, p, "request_stream_sha256", T::kString);
  c.Opt(t, p, "chat_format", T::kString);
  c.Numbers(t, p, {"n_shot", "limit", "tokens_evaluated", "tokens_naive", "seconds"});
  if (auto it = t.find("version"); it != t.end() && !it->is_null() && !it->is_number() && !it->is_string())
    c.Fail(p + ".version", "expected a number or a string");
  const json* results = status.get<std::string>() == "done" ? &c.Need(t, p, "results", T::kObject)
                                                            : c.Opt(t, p, "results", T::kObject);
  if (results) {
    for (const auto& [k, v] : results->items())
      if (!v.is_number() && !v.is_string() && !v.is_null())
        c.Fail(JoinPath(p + ".results", k), "expected a number (or \"N/A\")");
  }
}

void CheckRun(const Checker& c, const json& run, const std::string& p, const std::set<std::string>& models) {
  if (!run.is_object()) c.Fail(p, Expected(T::kObject));
  const json& model = c.Need(run, p, "model", T::kString);
  if (!models.count(model.get<std::string>()))
    c.Fail(p + ".model", fmt::format("\"{}\" is not the name of an entry of models[]", model.get<std::string>()));
  c.Opt(run, p, "efficiency_skipped", T::kString);
  if (const json* s = c.Opt(run, p, "settings", T::kObject)) {
    c.Opt(*s, p + ".settings", "kernel", T::kString);
    c.Opt(*s, p + ".settings", "bounded", T::kObject);
    // One thread count, or the list of a thread sweep.
    if (auto it = s->find("threads"); it != s->end() && !it->is_null()) {
      bool ok = Is(*it, T::kInteger);
      if (it->is_array()) {
        ok = true;
        for (const auto& x : *it) ok = ok && Is(x, T::kInteger);
      }
      if (!ok) c.Fail(p + ".settings.threads", "expected an integer or an array of integers");
    }
  }
  if (const json* e = c.Opt(run, p, "efficiency", T::kObject)) CheckEfficiency(c, *e, p + ".efficiency");
  if (const json* f = c.Opt(run, p, "logits_fingerprint", T::kObject)) {
    c.Need(*f, p + ".logits_fingerprint", "sha256", T::kString);
    c.Numbers(*f, p + ".logits_fingerprint", {"prompt_tokens", "rows"});
  }
  const json& tasks = c.Need(run, p, "tasks", T::kObject);
  for (const auto& [name, t] : tasks.items()) CheckTask(c, t, JoinPath(p + ".tasks", name));
  c.Opt(run, p, "lm_eval", T::kObject);
}

}  // namespace

void ValidateReport(const json& doc, const std::string& source) {
  const Checker c(source);
  CheckSchemaHeader(c, doc, kReportSchema);
  const json& status = c.Need(doc, "", "status", T::kString);
  c.OneOf(status, "status", {"complete", "partial"});
  c.Opt(doc, "", "interrupted", T::kObject);
  c.Opt(doc, "", "suite", T::kString);
  c.Opt(doc, "", "created_utc", T::kString);
  c.Opt(doc, "", "command", T::kArray);
  c.Opt(doc, "", "notes", T::kArray);
  c.Opt(doc, "", "tool", T::kObject);
  if (const json* env = c.Opt(doc, "", "environment", T::kObject)) {
    c.Opt(*env, "environment", "cpu_model", T::kString);
    c.Opt(*env, "environment", "cpu_flags", T::kArray);
    c.Numbers(*env, "environment", {"cores", "memory_bytes"});
  }
  const json& models = c.Need(doc, "", "models", T::kArray);
  std::set<std::string> names;
  for (size_t i = 0; i < models.size(); ++i) {
    const std::string p = fmt::format("models[{}]", i);
    const json& m = models[i];
    if (!m.is_object()) c.Fail(p, Expected(T::kObject));
    const std::string name = c.Need(m, p, "name", T::kString).get<std::string>();
    if (!names.insert(name).second) c.Fail(p + ".name", fmt::format("\"{}\" appears twice in models[]", name));
    for (const char* k : {"path", "sha256", "architecture", "weight_type", "paper_column"}) c.Opt(m, p, k, T::kString);
    c.Opt(m, p, "synthetic", T::kBool);
    if (const json* r = c.Opt(m, p, "synthetic_recipe", T::kObject)) {
      for (const char* k : {"shape", "type"}) c.Opt(*r, p + ".synthetic_recipe", k, T::kString);
      c.Numbers(*r, p + ".synthetic_recipe", {"seed"});
    }
    if (const json* col = c.Opt(m, p, "paper_column", T::kString)) {
      const auto columns = PublishedColumns();
      if (std::find(columns.begin(), columns.end(), col->get<std::string>()) == columns.end()) {
        std::string list;
        for (const auto& name : columns) list += (list.empty() ? "" : ", ") + fmt::format("\"{}\"", name);
        c.Fail(p + ".paper_column", fmt::format("\"{}\" is not a column of the published tables ({})",
                                                 col->get<std::string>(), list));
      }
    }
    c.Numbers(m, p, {"file_bytes", "params", "non_embedding_params"});
  }
  if (const json* b = c.Opt(doc, "", "baselines", T::kObject)) {
    c.Opt(*b, "baselines", "enabled", T::kBool);
    c.Opt(*b, "baselines", "reason", T::kString);
    if (const json* cols = c.Opt(*b, "baselines", "columns", T::kArray))
      for (size_t i = 0; i < cols->size(); ++i) {
        const std::string p = fmt::format("baselines.columns[{}]", i);
        if (!(*cols)[i].is_object()) c.Fail(p, Expected(T::kObject));
        for (const char* k : {"name", "paper_column", "status", "reason"}) c.Opt((*cols)[i], p, k, T::kString);
      }
  }
  const json& runs = c.Need(doc, "", "runs", T::kArray);
  for (size_t i = 0; i < runs.size(); ++i) CheckRun(c, runs[i], fmt::format("runs[{}]", i), names);
  for (const char* k : {"results", "versions", "n-shot", "configs", "higher_is_better", "n-samples"})
    c.Opt(doc, "", k, T::kObject);
}

void ValidateMerged(const json& doc, const std::string& source) {
  const Checker c(source);
  CheckSchemaHeader(c, doc, kMergedSchema);
  const json& sources = c.Need(doc, "", "sources", T::kArray);
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::string p = fmt::format("sources[{}]", i);
    if (!sources[i].is_object()) c.Fail(p, Expected(T::kObject));
    const std::string name = c.Need(sources[i], p, "name", T::kString).get<std::string>();
    c.Need(sources[i], p, "document", T::kObject);
    ValidateReport(sources[i]["document"], fmt::format("{} ({} of {})", source, p, name));
  }
  const json& columns = c.Need(doc, "", "columns", T::kArray);
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string p = fmt::format("columns[{}]", i);
    if (!columns[i].is_object()) c.Fail(p, Expected(T::kObject));
    c.Need(columns[i], p, "label", T::kString);
  }
  const json& rows = c.Need(doc, "", "rows", T::kArray);
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string p = fmt::format("rows[{}]", i);
    if (!rows[i].is_object()) c.Fail(p, Expected(T::kObject));
    c.Need(rows[i], p, "label", T::kString);
    const json& values = c.Need(rows[i], p, "values", T::kArray);
    if (values.size() != columns.size())
      c.Fail(p + ".values", fmt::format("{} values for {} columns", values.size(), columns.size()));
  }
}

json LoadReport(const std::string& path) {
  // Reports are kilobytes to a few megabytes; nesting is at most ~8 levels. The limits keep a
  // hostile file from exhausting memory or the stack of the recursive writers (dump, merge).
  constexpr std::uintmax_t kMaxBytes = 1ull << 30;
  constexpr int kMaxDepth = 64;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, "open", std::strerror(errno));
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes)
    throw InputError(path, "size", fmt::format("{} bytes is more than a report can be ({} bytes)", size, kMaxBytes));
  std::stringstream ss;
  ss << f.rdbuf();
  if (f.bad()) throw InputError(path, "read", std::strerror(errno));
  json doc;
  try {
    doc = json::parse(ss.str(), [&](int depth, json::parse_event_t, json&) {
      if (depth > kMaxDepth)
        throw InputError(path, "nesting", fmt::format("JSON nested deeper than {} levels", kMaxDepth));
      return true;
    });
  } catch (const json::parse_error& e) {
    throw InputError(path, fmt::format("byte {}", e.byte), fmt::format("not valid JSON ({})", e.what()));
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw InputError(path, "JSON", fmt::format("not valid JSON ({})", e.what()));
  }
  if (doc.is_object() && doc.value("schema", json()).is_string() && doc["schema"] == kMergedSchema)
    ValidateMerged(doc, path);
  else
    ValidateReport(doc, path);
  return doc;
}

}  // namespace bitnet::reports
