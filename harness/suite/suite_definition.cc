#include "harness/suite/suite_definition.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "reports/published.h"

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A checked view of one JSON object: every key must be known, every value of the right type.
class Reader {
 public:
  Reader(const json& j, std::string source, std::string path) : j_(j), source_(std::move(source)), path_(std::move(path)) {
    if (!j_.is_object()) Fail(path_, "expected an object");
  }

  [[noreturn]] void Fail(const std::string& path, const std::string& what) const {
    throw InputError(source_, path.empty() ? "/" : path, what);
  }
  std::string Path(const std::string& key) const { return path_ + "/" + key; }

  // Call once every key has been read: names the first unknown key and the known ones.
  void Done() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!read_.count(it.key())) {
        std::string known;
        for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
        Fail(Path(it.key()), fmt::format("unknown key (known here: {})", known));
      }
  }

  bool Has(const std::string& key) { read_.insert(key); return j_.contains(key) && !j_.at(key).is_null(); }
  const json* Get(const std::string& key) { return Has(key) ? &j_.at(key) : nullptr; }

  std::string String(const std::string& key, std::string fallback = "") {
    const json* v = Get(key);
    if (!v) return fallback;
    if (!v->is_string()) Fail(Path(key), "expected a string");
    return v->get<std::string>();
  }
  bool Bool(const std::string& key, bool fallback) {
    const json* v = Get(key);
    if (!v) return fallback;
    if (!v->is_boolean()) Fail(Path(key), "expected true or false");
    return v->get<bool>();
  }
  std::optional<int64_t> Int(const std::string& key, int64_t lo, int64_t hi) {
    const json* v = Get(key);
    if (!v) return std::nullopt;
    return IntValue(*v, Path(key), lo, hi);
  }
  int64_t IntValue(const json& v, const std::string& path, int64_t lo, int64_t hi) const {
    if (!v.is_number_integer()) Fail(path, "expected an integer");
    const int64_t x = v.get<int64_t>();
    if (x < lo || x > hi) Fail(path, fmt::format("{} is out of range [{}, {}]", x, lo, hi));
    return x;
  }
  std::optional<double> Number(const std::string& key, double lo, double hi) {
    const json* v = Get(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) Fail(Path(key), "expected a number");
    const double x = v->get<double>();
    if (!(x >= lo && x <= hi)) Fail(Path(key), fmt::format("{} is out of range [{}, {}]", x, lo, hi));
    return x;
  }
  std::vector<int64_t> IntList(const std::string& key, int64_t lo, int64_t hi, std::vector<int64_t> fallback) {
    const json* v = Get(key);
    if (!v) return fallback;
    if (!v->is_array()) Fail(Path(key), "expected an array of integers");
    std::vector<int64_t> out;
    for (size_t i = 0; i < v->size(); ++i) out.push_back(IntValue((*v)[i], fmt::format("{}/{}", Path(key), i), lo, hi));
    return out;
  }
  // A sub-object; nullopt when absent. `false` also means absent (a probe switched off).
  std::optional<Reader> Object(const std::string& key) {
    const json* v = Get(key);
    if (!v || (v->is_boolean() && !v->get<bool>())) return std::nullopt;
    if (v->is_boolean()) return Reader(empty_, source_, Path(key));  // true: the defaults
    return Reader(*v, source_, Path(key));
  }

 private:
  const json& j_;
  std::string source_, path_;
  std::set<std::string> read_;
  static inline const json empty_ = json::object();
};

constexpr int64_t kMaxTokens = 1 << 20;

TaskSpec ParseTask(const json& j, const std::string& source, const std::string& path) {
  TaskSpec t;
  if (j.is_string()) {
    t.task = j.get<std::string>();
  } else {
    Reader r(j, source, path);
    t.task = r.String("task");
    if (auto v = r.Int("shots", 0, 1000)) t.shots = static_cast<int>(*v);
    if (auto v = r.Int("limit", 1, kMaxTokens * 64)) t.limit = static_cast<size_t>(*v);
    t.metric = r.String("metric");
    if (auto v = r.Int("max_gen_toks", 1, kMaxTokens)) t.max_gen_toks = *v;
    r.Done();
  }
  if (t.task.empty()) throw InputError(source, path + (j.is_string() ? "" : "/task"), "a task name is required");
  for (char c : t.task)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      throw InputError(source, path, fmt::format("'{}' is not a task name (letters, digits, _ - .)", t.task));
  return t;
}

void ParseProbes(Reader& probes, SuiteDefinition& s) {
  if (auto r = probes.Object("logits_fingerprint")) {
    FingerprintSpec f;
    f.prompt_tokens = r->Int("prompt_tokens", 1, 4096).value_or(f.prompt_tokens);
    r->Done();
    s.fingerprint = f;
  }
  if (auto r = probes.Object("latency")) {
    LatencySpec l;
    l.n_prompt = r->Int("n_prompt", 1, kMaxTokens).value_or(l.n_prompt);
    l.n_gen = r->Int("n_gen", 1, kMaxTokens).value_or(l.n_gen);
    l.warmup = static_cast<int>(r->Int("warmup", 0, 100).value_or(l.warmup));
    l.repetitions = static_cast<int>(r->Int("repetitions", 1, 1000).value_or(l.repetitions));
    r->Done();
    s.latency = l;
  }
  if (auto r = probes.Object("energy_measured")) {
    EnergyMeasuredSpec e;
    e.n_prompt = r->Int("n_prompt", 1, kMaxTokens).value_or(e.n_prompt);
    e.n_gen = r->Int("n_gen", 1, kMaxTokens).value_or(e.n_gen);
    r->Done();
    s.energy_measured = e;
  }
  if (auto r = probes.Object("energy_estimated")) {
    EnergyEstimatedSpec e;
    e.sequence_tokens = r->Int("sequence_tokens", 1, kMaxTokens).value_or(e.sequence_tokens);
    e.node_nm = static_cast<int>(r->Int("node_nm", 7, 45).value_or(e.node_nm));
    if (e.node_nm != 7 && e.node_nm != 45) r->Fail(r->Path("node_nm"), "expected 7 or 45");
    r->Done();
    s.energy_estimated = e;
  }
  if (auto r = probes.Object("memory")) {
    MemorySpec m;
    m.kv_ctx = r->Int("kv_ctx", 0, kMaxTokens).value_or(m.kv_ctx);
    r->Done();
    s.memory = m;
  }
  if (auto r = probes.Object("bench")) {
    BenchSpec b;
    b.n_prompt = r->IntList("n_prompt", 0, kMaxTokens, b.n_prompt);
    b.n_gen = r->IntList("n_gen", 0, kMaxTokens, b.n_gen);
    b.repetitions = static_cast<int>(r->Int("repetitions", 1, 1000).value_or(b.repetitions));
    r->Done();
    s.bench = b;
  }
  if (auto r = probes.Object("microbench")) {
    MicrobenchSpec m;
    m.executable = r->String("executable", m.executable);
    m.filter = r->String("filter");
    m.min_time = r->Number("min_time", 0.001, 60).value_or(m.min_time);
    m.repetitions = static_cast<int>(r->Int("repetitions", 1, 100).value_or(m.repetitions));
    if (m.executable.empty() || m.executable.find('/') != std::string::npos)
      r->Fail(r->Path("executable"), "expected a file name (looked for beside bitnet-eval)");
    r->Done();
    s.microbench = m;
  }
  probes.Done();
}

BaselinesSpec ParseBaselines(Reader& r, const std::string& source) {
  BaselinesSpec b;
  const json* models = r.Get("models");
  if (!models || !models->is_array() || models->empty())
    r.Fail(r.Path("models"), "expected a non-empty array of {\"name\", \"shape\", \"paper_column\", ...}");
  const std::vector<std::string> columns = reports::PublishedColumns();
  std::set<std::string> names, cols;
  for (size_t i = 0; i < models->size(); ++i) {
    Reader m((*models)[i], source, fmt::format("{}/{}", r.Path("models"), i));
    BaselineModelSpec spec;
    spec.name = m.String("name");
    spec.shape = m.String("shape");
    spec.type = m.String("type", spec.type);
    spec.seed = static_cast<uint64_t>(m.Int("seed", 0, INT64_MAX).value_or(1));
    spec.paper_column = m.String("paper_column");
    m.Done();
    const std::string at = fmt::format("{}/{}", r.Path("models"), i);
    if (spec.name.empty() || spec.shape.empty()) m.Fail(at, "\"name\" and \"shape\" are required");
    if (!names.insert(spec.name).second) m.Fail(at + "/name", fmt::format("'{}' is listed twice", spec.name));
    if (std::find(columns.begin(), columns.end(), spec.paper_column) == columns.end())
      m.Fail(at + "/paper_column", fmt::format("\"{}\" is not a column of the published tables", spec.paper_column));
    if (!cols.insert(spec.paper_column).second)
      m.Fail(at + "/paper_column", fmt::format("\"{}\" is filled twice", spec.paper_column));
    b.models.push_back(std::move(spec));
  }
  if (auto p = r.Object("probes")) {
    SuiteDefinition probes;
    ParseProbes(*p, probes);
    if (probes.fingerprint || probes.bench || probes.microbench)
      r.Fail(r.Path("probes"), "baselines run latency, energy_measured, energy_estimated and memory only");
    b.latency = probes.latency;
    b.energy_measured = probes.energy_measured;
    b.energy_estimated = probes.energy_estimated;
    b.memory = probes.memory;
  }
  b.note = r.String("note");
  r.Done();
  return b;
}

size_t LineOf(const std::string& text, size_t byte, size_t* column) {
  size_t line = 1, start = 0;
  for (size_t i = 0; i < std::min(byte, text.size()); ++i)
    if (text[i] == '\n') ++line, start = i + 1;
  *column = byte >= start ? byte - start + 1 : 1;
  return line;
}

}  // namespace

SuiteDefinition ParseSuite(const json& doc, const std::string& source) {
  SuiteDefinition s;
  s.source = source;
  s.document = doc;
  Reader r(doc, source, "");
  s.name = r.String("suite");
  if (s.name.empty()) r.Fail("/suite", "the suite's name is required");
  s.description = r.String("description");
  if (auto m = r.Object("default_model")) {
    s.default_model.name = m->String("name", s.default_model.name);
    s.default_model.shape = m->String("shape", s.default_model.shape);
    s.default_model.type = m->String("type", s.default_model.type);
    s.default_model.seed = static_cast<uint64_t>(m->Int("seed", 0, INT64_MAX).value_or(1));
    m->Done();
  }
  if (const json* t = r.Get("threads")) {
    if (!t->is_array() || t->empty()) r.Fail("/threads", "expected a non-empty array of thread counts (0: all)");
    s.threads.clear();
    for (size_t i = 0; i < t->size(); ++i)
      s.threads.push_back(static_cast<int>(r.IntValue((*t)[i], fmt::format("/threads/{}", i), 0, 1024)));
  }
  if (auto v = r.Int("accuracy_threads", 0, 1024)) s.accuracy_threads = static_cast<int>(*v);
  s.n_ctx = r.Int("n_ctx", 0, kMaxTokens).value_or(0);
  if (auto v = r.Int("limit", 1, kMaxTokens * 64)) s.limit = static_cast<size_t>(*v);
  if (auto p = r.Object("probes")) ParseProbes(*p, s);
  if (const json* t = r.Get("tasks")) {
    if (!t->is_array()) r.Fail("/tasks", "expected an array of task names or {\"task\": ...} objects");
    std::set<std::string> seen;
    for (size_t i = 0; i < t->size(); ++i) {
      const std::string path = fmt::format("/tasks/{}", i);
      TaskSpec spec = ParseTask((*t)[i], source, path);
      if (!seen.insert(spec.task).second) r.Fail(path, fmt::format("task '{}' is listed twice", spec.task));
      s.tasks.push_back(std::move(spec));
    }
  }
  if (auto b = r.Object("builtin_default")) {
    if (auto v = b->Int("limit", 1, kMaxTokens * 64)) s.synthetic.limit = static_cast<size_t>(*v);
    if (auto v = b->Int("max_gen_toks", 1, kMaxTokens)) s.synthetic.max_gen_toks = *v;
    s.synthetic.samples_shots_fallback = b->Bool("samples_shots_fallback", false);
    s.synthetic.note = b->String("note");
    b->Done();
  }
  if (auto b = r.Object("baselines")) s.baselines = ParseBaselines(*b, source);
  r.Done();
  if (s.tasks.empty() && !s.fingerprint && !s.latency && !s.energy_measured && !s.energy_estimated && !s.memory &&
      !s.bench && !s.microbench)
    r.Fail("", "the suite runs nothing: give \"tasks\" or \"probes\"");
  return s;
}

SuiteDefinition LoadSuiteFile(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path.string(), "suite file", "cannot be opened");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  json doc;
  // Suite files are shallow; a value nested 30000 deep would overflow the stack in the recursive
  // copy of `document` (found by tests/fuzz/suite_fuzz).
  constexpr int kMaxDepth = 64;
  const auto limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxDepth)
      throw InputError(path.string(), "JSON", fmt::format("nested deeper than {} levels", kMaxDepth));
    return true;
  };
  try {
    doc = json::parse(text, limit_depth);
  } catch (const json::parse_error& e) {
    size_t column = 0;
    const size_t line = LineOf(text, e.byte > 0 ? e.byte - 1 : 0, &column);
    std::string what = e.what();
    if (const size_t p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    throw InputError(path.string(), fmt::format("line {}, column {}", line, column), "invalid JSON: " + what);
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw InputError(path.string(), "JSON", std::string("invalid JSON: ") + e.what());
  }
  return ParseSuite(doc, path.string());
}

fs::path BuiltInSuitesDir() {
#ifdef BITNET_SUITES_DIR
  return fs::path(BITNET_SUITES_DIR);
#else
  return fs::path(__FILE__).parent_path() / "suites";
#endif
}

std::vector<std::string> BuiltInSuiteNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(BuiltInSuitesDir(), ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

SuiteDefinition ResolveSuite(const std::string& name) {
  const bool is_path = name.find('/') != std::string::npos ||
                       (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0);
  if (is_path) return LoadSuiteFile(name);
  const fs::path file = BuiltInSuitesDir() / (name + ".json");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    std::string known;
    for (const auto& n : BuiltInSuiteNames()) known += (known.empty() ? "" : ", ") + n;
    throw UsageError(fmt::format("unknown suite '{}' (built in: {}; or a suite file path ending in .json)", name, known));
  }
  SuiteDefinition s = LoadSuiteFile(file);
  if (s.name != name) throw InputError(file.string(), "/suite", fmt::format("expected \"{}\" (the file's name)", name));
  return s;
}

}  // namespace bitnet::suite
