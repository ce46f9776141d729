#include <stdexcept>

#include "evals/filters/py_text.h"
#include "evals/metrics/ifeval/ifeval.h"
#include "evals/metrics/ifeval/instructions.h"

namespace bitnet::evals::ifeval {

namespace {

const std::vector<InstructionDef>& Registry() {
  static const std::vector<InstructionDef> kDefs = [] {
    std::vector<InstructionDef> v;
    AddKeywordInstructions(v);
    AddLengthInstructions(v);
    AddFormatInstructions(v);
    AddMiscInstructions(v);
    return v;
  }();
  return kDefs;
}

const InstructionDef* Find(const std::string& id) {
  for (const InstructionDef& d : Registry())
    if (id == d.id) return &d;
  return nullptr;
}

bool Falsy(const nlohmann::json& v) {
  if (v.is_null()) return true;
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_number()) return v.get<double>() == 0.0;
  if (v.is_string()) return v.get<std::string>().empty();
  if (v.is_array() || v.is_object()) return v.empty();
  return false;
}

// lm-eval: {k: v for k, v in kwargs.items() if v}
nlohmann::json DropFalsy(const nlohmann::json& kw) {
  nlohmann::json out = nlohmann::json::object();
  if (!kw.is_object()) return out;
  for (auto it = kw.begin(); it != kw.end(); ++it)
    if (!Falsy(it.value())) out[it.key()] = it.value();
  return out;
}

Checker Build(const std::string& id, const nlohmann::json& kwargs, const std::string& prompt) {
  const InstructionDef* d = Find(id);
  if (!d) throw std::invalid_argument("unknown IFEval instruction '" + id + "'");
  return d->make(DropFalsy(kwargs), prompt);
}

std::vector<std::string> LooseVariants(const std::string& response) {
  const std::vector<std::string> lines = py::Split(response, "\n");
  auto join = [&](size_t b, size_t e) {  // lines[b:e] in Python slice semantics
    std::vector<std::string> part;
    for (size_t i = b; i < e && i < lines.size(); ++i) part.push_back(lines[i]);
    return py::Strip(py::Join(part, "\n"));
  };
  const size_t n = lines.size();
  const std::string remove_first = join(1, n);
  const std::string remove_last = join(0, n == 0 ? 0 : n - 1);
  const std::string remove_both = join(1, n == 0 ? 0 : n - 1);
  auto nostar = [](const std::string& s) { return py::ReplaceAll(s, "*", ""); };
  return {response,         nostar(response),         remove_first,         remove_last,
          remove_both,      nostar(remove_first),     nostar(remove_last),  nostar(remove_both)};
}

}  // namespace

int RequireInt(const nlohmann::json& kw, const char* key) {
  if (!kw.contains(key) || !kw[key].is_number())
    throw std::invalid_argument(std::string("missing integer kwarg '") + key + "'");
  const int v = kw[key].get<int>();
  if (v < 0) throw std::invalid_argument(std::string("negative kwarg '") + key + "'");
  return v;
}

std::string RequireString(const nlohmann::json& kw, const char* key) {
  if (!kw.contains(key) || !kw[key].is_string())
    throw std::invalid_argument(std::string("missing string kwarg '") + key + "'");
  return kw[key].get<std::string>();
}

std::vector<std::string> RequireStrings(const nlohmann::json& kw, const char* key) {
  if (!kw.contains(key) || !kw[key].is_array())
    throw std::invalid_argument(std::string("missing list kwarg '") + key + "'");
  return kw[key].get<std::vector<std::string>>();
}

bool RequireLessThan(const nlohmann::json& kw, const char* key) {
  const std::string r = RequireString(kw, key);
  if (r == "less than") return true;
  if (r == "at least") return false;
  throw std::invalid_argument("relation must be 'less than' or 'at least', got '" + r + "'");
}

Prompt Prompt::FromJson(const nlohmann::json& j) {
  Prompt p;
  p.key = j.value("key", 0);
  p.prompt = j.at("prompt").get<std::string>();
  p.instruction_ids = j.at("instruction_id_list").get<std::vector<std::string>>();
  for (const auto& k : j.at("kwargs")) p.kwargs.push_back(k);
  if (p.kwargs.size() != p.instruction_ids.size())
    throw std::invalid_argument("IFEval row: kwargs and instruction_id_list differ in length");
  return p;
}

Result Evaluate(const Prompt& prompt, const std::string& response) {
  Result r;
  const std::vector<std::string> variants = LooseVariants(response);
  for (size_t i = 0; i < prompt.instruction_ids.size(); ++i) {
    Checker check;
    try {
      check = Build(prompt.instruction_ids[i], prompt.kwargs.at(i), prompt.prompt);
    } catch (const std::exception& e) {
      r.errors.push_back(prompt.instruction_ids[i] + ": " + e.what());
      r.strict.push_back(false);
      r.loose.push_back(false);
      continue;
    }
    r.strict.push_back(!py::Strip(response).empty() && check(response));
    bool loose = false;
    for (const std::string& v : variants) {
      if (!py::Strip(v).empty() && check(v)) {
        loose = true;
        break;
      }
    }
    r.loose.push_back(loose);
  }
  r.prompt_strict = r.prompt_loose = true;
  for (bool b : r.strict) r.prompt_strict = r.prompt_strict && b;
  for (bool b : r.loose) r.prompt_loose = r.prompt_loose && b;
  return r;
}

bool CheckInstruction(const std::string& instruction_id, const nlohmann::json& kwargs,
                      const std::string& prompt, const std::string& response) {
  return Build(instruction_id, kwargs, prompt)(response);
}

std::vector<std::string> KnownInstructionIds() {
  std::vector<std::string> out;
  for (const InstructionDef& d : Registry()) out.push_back(d.id);
  return out;
}

bool IsKnownInstruction(const std::string& id) { return Find(id) != nullptr; }

std::string InstructionFidelity(const std::string& id) {
  const InstructionDef* d = Find(id);
  return d ? d->fidelity : "unknown instruction";
}

std::vector<std::pair<std::string, std::vector<Item>>> MetricItems(const std::vector<Result>& results) {
  std::vector<Item> ps, is, pl, il;
  for (const Result& r : results) {
    ps.push_back({r.prompt_strict ? 1.0 : 0.0, 1});
    pl.push_back({r.prompt_loose ? 1.0 : 0.0, 1});
    double s = 0, l = 0;
    for (bool b : r.strict) s += b ? 1 : 0;
    for (bool b : r.loose) l += b ? 1 : 0;
    is.push_back({s, static_cast<double>(r.strict.size())});
    il.push_back({l, static_cast<double>(r.loose.size())});
  }
  return {{"prompt_level_strict_acc", ps},
          {"inst_level_strict_acc", is},
          {"prompt_level_loose_acc", pl},
          {"inst_level_loose_acc", il}};
}

}  // namespace bitnet::evals::ifeval
