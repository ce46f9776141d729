#include "evals/core/task_config.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "evals/hooks/registry.h"

namespace bitnet::evals {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Task files are small and shallow; these bounds keep a hostile one (an include of /dev/zero, a
// value nested 100000 deep, which the recursive JSON copies and merges below would overflow the
// stack on) an InputError.
constexpr std::uintmax_t kMaxTaskFileBytes = 16u << 20;
constexpr int kMaxJsonDepth = 64;

json ParseFile(const fs::path& path) {
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    throw InputError(path.string(), "open", "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "open", "cannot read the task file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxTaskFileBytes)
    throw InputError(path.string(), "size", std::to_string(size) + " bytes; a task file is at most " +
                                                std::to_string(kMaxTaskFileBytes));
  std::stringstream ss;
  ss << in.rdbuf();
  const auto limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth)
      throw InputError(path.string(), "JSON", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  try {
    return json::parse(ss.str(), limit_depth);
  } catch (const json::parse_error& e) {
    throw InputError(path.string(), "byte " + std::to_string(e.byte), std::string("invalid JSON: ") + e.what());
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw InputError(path.string(), "JSON", std::string("invalid JSON: ") + e.what());
  }
}

void DeepMerge(json& base, const json& over) {
  for (auto it = over.begin(); it != over.end(); ++it) {
    if (base.contains(it.key()) && base[it.key()].is_object() && it->is_object()) {
      DeepMerge(base[it.key()], *it);
    } else {
      base[it.key()] = *it;
    }
  }
}

// Loads `path` with its chain of includes; `origin` records which file set each top-level key.
json LoadMerged(const fs::path& path, std::vector<fs::path>& stack, std::map<std::string, std::string>& origin) {
  if (std::find(stack.begin(), stack.end(), path) != stack.end()) {
    throw InputError(stack.front().string(), "/include", "include cycle through " + path.string());
  }
  if (stack.size() > 8) throw InputError(stack.front().string(), "/include", "includes nested too deeply");
  json j = ParseFile(path);
  if (!j.is_object()) throw InputError(path.string(), "/", "a task file is a JSON object");
  json merged = json::object();
  if (j.contains("include")) {
    if (!j["include"].is_string()) throw InputError(path.string(), "/include", "expected a file name (string)");
    stack.push_back(path);
    merged = LoadMerged(path.parent_path() / j["include"].get<std::string>(), stack, origin);
    stack.pop_back();
    j.erase("include");
  }
  for (auto it = j.begin(); it != j.end(); ++it) origin[it.key()] = path.string();
  DeepMerge(merged, j);
  return merged;
}

// Reads one JSON object, remembering which keys were used so unknown keys are errors.
class Reader {
 public:
  Reader(const json& j, std::string file, std::string path, const std::map<std::string, std::string>* origin)
      : j_(j), file_(std::move(file)), path_(std::move(path)), origin_(origin) {
    if (!j_.is_object()) Fail(path_.empty() ? "/" : path_, "expected an object");
  }

  [[noreturn]] void Fail(const std::string& where, const std::string& what) const {
    std::string w = where;
    if (origin_) {
      std::string top = where.substr(1, where.find('/', 1) == std::string::npos ? std::string::npos : where.find('/', 1) - 1);
      auto it = origin_->find(top);
      if (it != origin_->end() && it->second != file_) w += " (set in " + it->second + ")";
    }
    throw InputError(file_, w, what);
  }
  std::string At(const std::string& key) const { return path_ + "/" + key; }
  bool Has(const std::string& key) {
    used_.insert(key);
    return j_.contains(key) && !j_[key].is_null();
  }
  const json& Get(const std::string& key) {
    used_.insert(key);
    return j_.at(key);
  }
  std::string String(const std::string& key, const std::string& def = "", bool required = false) {
    if (!Has(key)) {
      if (required) Fail(At(key), "required field is missing");
      return def;
    }
    if (!j_[key].is_string()) Fail(At(key), "expected a string");
    return j_[key].get<std::string>();
  }
  std::optional<std::string> OptString(const std::string& key) {
    if (!Has(key)) return std::nullopt;
    return String(key);
  }
  bool Bool(const std::string& key, bool def) {
    if (!Has(key)) return def;
    if (!j_[key].is_boolean()) Fail(At(key), "expected true or false");
    return j_[key].get<bool>();
  }
  int64_t Int(const std::string& key, int64_t def, int64_t lo, int64_t hi) {
    if (!Has(key)) return def;
    if (!j_[key].is_number_integer()) Fail(At(key), "expected an integer");
    int64_t v = j_[key].get<int64_t>();
    if (v < lo || v > hi) Fail(At(key), "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
  }
  double Number(const std::string& key, double def) {
    if (!Has(key)) return def;
    if (!j_[key].is_number()) Fail(At(key), "expected a number");
    return j_[key].get<double>();
  }
  std::vector<std::string> Strings(const std::string& key) {
    std::vector<std::string> out;
    if (!Has(key)) return out;
    if (!j_[key].is_array()) Fail(At(key), "expected a list of strings");
    for (size_t i = 0; i < j_[key].size(); ++i) {
      if (!j_[key][i].is_string()) Fail(At(key) + "/" + std::to_string(i), "expected a string");
      out.push_back(j_[key][i].get<std::string>());
    }
    return out;
  }
  Reader Object(const std::string& key) {
    used_.insert(key);
    return Reader(j_.at(key), file_, At(key), origin_);
  }
  void CheckNoUnknown(const std::set<std::string>& extra_allowed = {}) const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (!used_.count(it.key()) && !extra_allowed.count(it.key())) Fail(At(it.key()), "unknown field");
    }
  }
  const json& raw() const { return j_; }
  const std::string& file() const { return file_; }

 private:
  const json& j_;
  std::string file_, path_;
  const std::map<std::string, std::string>* origin_;
  std::set<std::string> used_;
};

void ReadDataset(Reader r, TaskConfig& c) {
  c.dataset_source = r.String("source");
  c.loader_hook = r.String("loader");
  if (!c.loader_hook.empty() && !FindLoaderHook(c.loader_hook)) {
    r.Fail(r.At("loader"), "no loader hook named '" + c.loader_hook + "'");
  }
  const std::vector<std::string> csv_columns = r.Strings("csv_columns");  // default for every split
  if (!r.Has("splits")) r.Fail(r.At("splits"), "required field is missing");
  Reader splits = r.Object("splits");
  for (auto it = splits.raw().begin(); it != splits.raw().end(); ++it) {
    SplitSource s;
    s.csv_columns = csv_columns;
    if (it->is_string()) {
      s.path = it->get<std::string>();
      splits.Has(it.key());
    } else {
      Reader sr = splits.Object(it.key());
      s.path = sr.String("path", "", true);
      if (sr.Has("csv_columns")) s.csv_columns = sr.Strings("csv_columns");
      if (sr.Has("line_fields")) {
        const json& lf = sr.Get("line_fields");
        if (!lf.is_array()) sr.Fail(sr.At("line_fields"), "expected a list of {\"field\", \"path\"}");
        for (size_t i = 0; i < lf.size(); ++i) {
          Reader l(lf[i], r.file(), sr.At("line_fields") + "/" + std::to_string(i), nullptr);
          SplitSource::LineField f;
          f.field = l.String("field", "", true);
          f.path = l.String("path", "", true);
          l.CheckNoUnknown();
          s.line_fields.push_back(f);
        }
      }
      sr.CheckNoUnknown();
    }
    if (s.path.empty()) splits.Fail(splits.At(it.key()), "empty path");
    c.splits[it.key()] = s;
  }
  r.CheckNoUnknown();
}

Template ParseTemplate(Reader& r, const std::string& key, bool required) {
  std::string s = r.String(key, "", required);
  return Template::Parse(s, r.file(), r.At(key));
}

void ReadChoices(Reader& r, TaskConfig& c) {
  if (!r.Has("doc_to_choice")) return;
  const json& v = r.Get("doc_to_choice");
  if (v.is_string()) {
    Template t = Template::Parse(v.get<std::string>(), r.file(), r.At("doc_to_choice"));
    if (!t.single_expression()) {
      r.Fail(r.At("doc_to_choice"), "a string doc_to_choice must be one expression giving a list, e.g. \"{{choices}}\"");
    }
    c.doc_to_choice = t;
  } else if (v.is_array() && !v.empty()) {
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string at = r.At("doc_to_choice") + "/" + std::to_string(i);
      if (!v[i].is_string()) r.Fail(at, "expected a string (a template)");
      c.doc_to_choice_list.push_back(Template::Parse(v[i].get<std::string>(), r.file(), at));
    }
  } else {
    r.Fail(r.At("doc_to_choice"), "expected \"{{field}}\" or a non-empty list of templates");
  }
}

void ReadGeneration(Reader& r, TaskConfig& c) {
  if (!r.Has("generation_kwargs")) return;
  Reader g = r.Object("generation_kwargs");
  if (g.Has("until")) c.generation.until = g.Strings("until");
  c.generation.max_gen_toks = g.Int("max_gen_toks", 256, 1, 1 << 20);
  c.generation.do_sample = g.Bool("do_sample", false);
  c.generation.temperature = g.Number("temperature", 0.0);
  if (c.generation.temperature < 0 || c.generation.temperature > 100)
    g.Fail(g.At("temperature"), "must be in [0, 100]");
  if (c.generation.do_sample && c.generation.temperature <= 0)
    g.Fail(g.At("do_sample"), "do_sample needs a temperature > 0 (0 is greedy decoding)");
  if (g.Has("temperature_by")) {
    Reader t = g.Object("temperature_by");
    TemperatureByField tb;
    tb.field = t.String("field", "", true);
    tb.fallback = t.Number("default", 0.0);
    if (!t.Has("values") || !t.Get("values").is_object()) t.Fail(t.At("values"), "expected an object {value: temperature}");
    for (const auto& [k, v] : t.Get("values").items()) {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100)
        t.Fail(t.At("values") + "/" + k, "expected a temperature in [0, 100]");
      tb.values[k] = v.get<double>();
    }
    t.CheckNoUnknown();
    if (c.generation.do_sample) g.Fail(g.At("temperature_by"), "use either do_sample + temperature or temperature_by");
    c.generation.temperature_by = std::move(tb);
  }
  c.generation.top_k = g.Int("top_k", 0, 0, 1 << 24);
  c.generation.top_p = g.Number("top_p", 1.0);
  if (!(c.generation.top_p > 0 && c.generation.top_p <= 1)) g.Fail(g.At("top_p"), "must be in (0, 1]");
  c.generation.seed = g.Int("seed", 1234, 0, INT64_MAX);
  g.CheckNoUnknown();
}

void ReadMetricsAndFilters(Reader& r, TaskConfig& c) {
  if (!r.Has("metric_list")) r.Fail(r.At("metric_list"), "required field is missing");
  const json& ml = r.Get("metric_list");
  if (!ml.is_array() || ml.empty()) r.Fail(r.At("metric_list"), "expected a non-empty list of {\"metric\": name, ...}");
  for (size_t i = 0; i < ml.size(); ++i) {
    Reader m(ml[i], r.file(), r.At("metric_list") + "/" + std::to_string(i), nullptr);
    MetricSpec spec;
    spec.metric = m.String("metric", "", true);
    spec.args = ml[i];
    spec.args.erase("metric");
    c.metrics.push_back(spec);
  }
  if (!r.Has("filter_list")) return;
  const json& fl = r.Get("filter_list");
  if (!fl.is_array()) r.Fail(r.At("filter_list"), "expected a list of {\"name\", \"filter\": [...]}");
  for (size_t i = 0; i < fl.size(); ++i) {
    const std::string at = r.At("filter_list") + "/" + std::to_string(i);
    Reader f(fl[i], r.file(), at, nullptr);
    FilterPipelineSpec p;
    p.name = f.String("name", "", true);
    if (!f.Has("filter") || !f.Get("filter").is_array() || f.Get("filter").empty()) {
      f.Fail(at + "/filter", "expected a non-empty list of {\"function\": name, ...}");
    }
    const json& steps = f.Get("filter");
    for (size_t k = 0; k < steps.size(); ++k) {
      Reader s(steps[k], r.file(), at + "/filter/" + std::to_string(k), nullptr);
      FilterStep step;
      step.function = s.String("function", "", true);
      step.args = steps[k];
      step.args.erase("function");
      p.steps.push_back(step);
    }
    f.CheckNoUnknown();
    c.filters.push_back(p);
  }
}

void CheckSplits(Reader& r, const TaskConfig& c) {
  auto check = [&](const char* key, const std::optional<std::string>& s) {
    if (s && !c.splits.count(*s)) r.Fail(r.At(key), "split '" + *s + "' is not in dataset.splits");
  };
  check("training_split", c.training_split);
  check("validation_split", c.validation_split);
  check("test_split", c.test_split);
  check("fewshot_split", c.fewshot_split);
  if (!c.test_split && !c.validation_split) r.Fail(r.At("test_split"), "set test_split or validation_split");
  if (c.num_fewshot > 0 && !c.fewshot_pool_split()) r.Fail(r.At("num_fewshot"), "few-shot needs a split to draw from");
}

}  // namespace

const char* OutputTypeName(OutputType t) {
  switch (t) {
    case OutputType::kLoglikelihood: return "loglikelihood";
    case OutputType::kLoglikelihoodRolling: return "loglikelihood_rolling";
    case OutputType::kGenerateUntil: return "generate_until";
    case OutputType::kMultipleChoice: return "multiple_choice";
  }
  return "?";
}

const std::string& TaskConfig::eval_split() const { return test_split ? *test_split : *validation_split; }

std::optional<std::string> TaskConfig::fewshot_pool_split() const {
  if (fewshot_split) return fewshot_split;
  if (training_split) return training_split;
  if (validation_split) return validation_split;
  return test_split;
}

namespace {

TaskConfig ParseResolved(json resolved, const std::string& label, const std::map<std::string, std::string>& origin) {
  TaskConfig c;
  c.file = label;
  c.resolved = std::move(resolved);
  Reader r(c.resolved, c.file, "", &origin);

  c.task = r.String("task", "", true);
  c.group = r.String("group");
  if (!r.Has("dataset")) r.Fail("/dataset", "required field is missing");
  ReadDataset(r.Object("dataset"), c);
  c.training_split = r.OptString("training_split");
  c.validation_split = r.OptString("validation_split");
  c.test_split = r.OptString("test_split");
  c.fewshot_split = r.OptString("fewshot_split");
  c.process_docs_hook = r.String("process_docs");
  if (!c.process_docs_hook.empty() && !FindProcessDocsHook(c.process_docs_hook)) {
    r.Fail("/process_docs", "no process_docs hook named '" + c.process_docs_hook + "'");
  }

  const std::string ot = r.String("output_type", "", true);
  if (ot == "loglikelihood") c.output_type = OutputType::kLoglikelihood;
  else if (ot == "loglikelihood_rolling") c.output_type = OutputType::kLoglikelihoodRolling;
  else if (ot == "generate_until") c.output_type = OutputType::kGenerateUntil;
  else if (ot == "multiple_choice") c.output_type = OutputType::kMultipleChoice;
  else r.Fail("/output_type", "expected loglikelihood, loglikelihood_rolling, generate_until or multiple_choice");
  c.multiple_input = r.Bool("multiple_input", false);

  const bool rolling = c.output_type == OutputType::kLoglikelihoodRolling;
  c.doc_to_text = ParseTemplate(r, "doc_to_text", !rolling);
  c.doc_to_target = ParseTemplate(r, "doc_to_target", c.output_type != OutputType::kGenerateUntil);
  c.description = ParseTemplate(r, "description", false);
  ReadChoices(r, c);
  if (c.output_type == OutputType::kMultipleChoice && !c.has_choices()) {
    r.Fail("/doc_to_choice", "multiple_choice needs doc_to_choice");
  }
  if (c.multiple_input && c.output_type != OutputType::kMultipleChoice) {
    r.Fail("/multiple_input", "only multiple_choice tasks can have multiple inputs");
  }
  c.target_delimiter = r.String("target_delimiter", " ");
  c.fewshot_delimiter = r.String("fewshot_delimiter", "\n\n");
  c.num_fewshot = static_cast<int>(r.Int("num_fewshot", 0, 0, 1000));
  if (r.Has("fewshot_config")) {
    Reader f = r.Object("fewshot_config");
    c.fewshot_sampler = f.String("sampler", "default");
    if (c.fewshot_sampler != "default" && c.fewshot_sampler != "first_n") {
      f.Fail(f.At("sampler"), "expected \"default\" or \"first_n\"");
    }
    f.CheckNoUnknown();
  }
  ReadGeneration(r, c);
  if (c.output_type != OutputType::kGenerateUntil && r.raw().contains("generation_kwargs")) {
    r.Fail("/generation_kwargs", "only generate_until tasks have generation_kwargs");
  }
  c.apply_chat_template = r.Bool("apply_chat_template", false);
  c.gen_prefix = r.String("gen_prefix");
  ReadMetricsAndFilters(r, c);
  c.process_results = r.String("process_results");
  c.unsafe_code = r.Bool("unsafe_code", false);
  if (!r.Has("metadata")) r.Fail("/metadata", "required field is missing (metadata.version)");
  Reader m = r.Object("metadata");
  if (!m.Has("version")) m.Fail("/metadata/version", "required field is missing");
  c.version = m.Number("version", 0.0);
  c.metadata = r.raw()["metadata"];
  CheckSplits(r, c);
  r.CheckNoUnknown();
  return c;
}

}  // namespace

TaskConfig LoadTaskConfig(const fs::path& file) {
  std::vector<fs::path> stack;
  std::map<std::string, std::string> origin;
  json merged = LoadMerged(file, stack, origin);
  return ParseResolved(std::move(merged), file.string(), origin);
}

TaskConfig TaskConfigFromResolved(const json& resolved, const std::string& label) {
  if (!resolved.is_object()) throw InputError(label, "", "a task configuration must be a JSON object");
  if (resolved.contains("include")) throw InputError(label, "/include", "a resolved configuration has no include");
  return ParseResolved(resolved, label, {});
}

std::vector<fs::path> ListTaskFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) throw InputError(dir.string(), "tasks", "not a directory");
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    if (e.path().filename().string().rfind('_', 0) == 0) continue;
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TaskConfig FindTask(const std::string& name, const fs::path& dir) {
  std::vector<std::string> names;
  for (const fs::path& p : ListTaskFiles(dir)) {
    TaskConfig c = LoadTaskConfig(p);
    if (c.task == name) return c;
    names.push_back(c.task);
  }
  std::string close;
  for (const std::string& n : names) {
    if (n.find(name) != std::string::npos || name.find(n) != std::string::npos) close += " " + n;
  }
  throw InputError(dir.string(), "task " + name, "no such task" + (close.empty() ? "" : "; similar:" + close));
}

fs::path DefaultTasksDir() {
#ifdef BITNET_TASKS_DIR
  return fs::path(BITNET_TASKS_DIR);
#else
  return fs::path("evals/tasks");
#endif
}

}  // namespace bitnet::evals
