#include "evals/core/requests.h"

#include <algorithm>

#include "common/error.h"
#include "evals/core/fewshot.h"
#include "evals/core/sha256.h"

namespace bitnet::evals {
using nlohmann::json;

namespace {

bool IsDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Stringify(const json& v, const TaskConfig& task, const char* what) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  throw InputError(task.file, what, std::string("expected a string or an integer, got ") + v.type_name());
}

// doc_to_target as lm-eval sees it: a digit string becomes an index when the task has choices.
json TargetValue(const TaskConfig& task, const json& doc) {
  json v = task.doc_to_target.RenderValue(doc);
  if (v.is_string() && task.has_choices() && IsDigits(v.get<std::string>())) {
    return json(std::stoll(v.get<std::string>()));
  }
  return v;
}

int64_t ChoiceIndex(const TaskConfig& task, const json& v, const std::vector<std::string>& choices, const char* field) {
  int64_t idx = -1;
  if (v.is_number_integer()) {
    idx = v.get<int64_t>();
  } else if (v.is_string()) {
    auto it = std::find(choices.begin(), choices.end(), v.get<std::string>());
    if (it == choices.end()) throw InputError(task.file, field, "target '" + v.get<std::string>() + "' is not a choice");
    idx = it - choices.begin();
  } else {
    throw InputError(task.file, field, std::string("expected an index or a choice, got ") + v.type_name());
  }
  if (idx < 0 || idx >= static_cast<int64_t>(choices.size())) {
    throw InputError(task.file, field, "index " + std::to_string(idx) + " out of range for " +
                                           std::to_string(choices.size()) + " choices");
  }
  return idx;
}

// multiple_input: doc_to_text renders the gold index.
int64_t MultipleInputGold(const TaskConfig& task, const json& doc, const std::vector<std::string>& choices) {
  json v = task.doc_to_text.RenderValue(doc);
  if (v.is_string() && IsDigits(v.get<std::string>())) v = json(std::stoll(v.get<std::string>()));
  if (!v.is_number_integer()) throw InputError(task.file, "/doc_to_text", "multiple_input needs an integer gold index");
  return ChoiceIndex(task, v, choices, "/doc_to_text");
}

std::string AnswerText(const TaskConfig& task, const json& doc) {
  json t = TargetValue(task, doc);
  if (task.multiple_input) return Stringify(t, task, "/doc_to_target");
  if (t.is_array()) {
    if (t.empty()) throw InputError(task.file, "/doc_to_target", "empty list of targets");
    return Stringify(t[0], task, "/doc_to_target");
  }
  if (t.is_number_integer() && task.has_choices()) {
    std::vector<std::string> choices = DocChoices(task, doc);
    return choices[ChoiceIndex(task, t, choices, "/doc_to_target")];
  }
  return Stringify(t, task, "/doc_to_target");
}

std::string Context(const TaskConfig& task, const json& doc, const std::vector<json>& pool,
                    const std::vector<size_t>& fewshot) {
  std::string ctx = task.description.Render(doc);
  for (size_t i : fewshot) ctx += FewshotExample(task, pool[i]);
  if (!task.multiple_input) ctx += DocText(task, doc);
  return ctx;
}

// The temperature of a generate_until request (task-wide, or picked by a document field) and, when
// it samples, top_k / top_p and the request's own seed.
void SetSampling(const TaskConfig& task, const json& doc, Request& r) {
  const GenerationKwargs& g = task.generation;
  double t = g.do_sample ? g.temperature : 0.0;
  if (g.temperature_by) {
    const auto& tb = *g.temperature_by;
    if (!doc.contains(tb.field) || !doc[tb.field].is_string())
      throw InputError(task.file, "/generation_kwargs/temperature_by/field",
                       "document " + std::to_string(r.doc_index) + " has no string field \"" + tb.field + "\"");
    const auto it = tb.values.find(doc[tb.field].get<std::string>());
    t = it != tb.values.end() ? it->second : tb.fallback;
  }
  if (t < kGreedyBelowTemperature) return;
  r.temperature = t;
  r.top_k = g.top_k;
  r.top_p = g.top_p;
  r.seed = RequestSeed(g.seed, r.doc_index, r.index);
}

DocRequests BuildOne(const TaskConfig& task, const json& doc, size_t doc_index, const std::vector<json>& pool,
                     const std::vector<size_t>& fewshot) {
  DocRequests d;
  d.doc_index = doc_index;
  d.fewshot = fewshot;
  const std::string ctx = Context(task, doc, pool, fewshot);
  auto add = [&](RequestType type, std::string context, std::string continuation) {
    Request r;
    r.type = type;
    r.doc_index = doc_index;
    r.index = d.requests.size();
    r.context = std::move(context);
    r.continuation = std::move(continuation);
    d.requests.push_back(std::move(r));
  };
  switch (task.output_type) {
    case OutputType::kMultipleChoice: {
      d.choices = DocChoices(task, doc);
      if (task.multiple_input) {
        d.gold = MultipleInputGold(task, doc, d.choices);
        const std::string cont = task.target_delimiter + AnswerText(task, doc);
        for (const std::string& c : d.choices) add(RequestType::kLoglikelihood, ctx + c, cont);
      } else {
        d.gold = ChoiceIndex(task, TargetValue(task, doc), d.choices, "/doc_to_target");
        for (const std::string& c : d.choices) add(RequestType::kLoglikelihood, ctx, task.target_delimiter + c);
      }
      break;
    }
    case OutputType::kLoglikelihood:
      d.targets = {AnswerText(task, doc)};
      add(RequestType::kLoglikelihood, ctx, task.target_delimiter + d.targets[0]);
      break;
    case OutputType::kLoglikelihoodRolling:
      d.targets = {AnswerText(task, doc)};
      add(RequestType::kLoglikelihoodRolling, "", d.targets[0]);
      break;
    case OutputType::kGenerateUntil: {
      if (!task.doc_to_target.empty()) {
        json t = task.doc_to_target.RenderValue(doc);
        if (t.is_array()) {
          for (const json& e : t) d.targets.push_back(Stringify(e, task, "/doc_to_target"));
        } else {
          d.targets.push_back(Stringify(t, task, "/doc_to_target"));
        }
      }
      add(RequestType::kGenerateUntil, ctx, "");
      Request& r = d.requests.back();
      r.until = task.generation.until ? *task.generation.until : std::vector<std::string>{task.fewshot_delimiter};
      r.max_gen_toks = task.generation.max_gen_toks;
      SetSampling(task, doc, r);
      break;
    }
  }
  return d;
}

}  // namespace

const char* RequestTypeName(RequestType t) {
  switch (t) {
    case RequestType::kLoglikelihood: return "loglikelihood";
    case RequestType::kLoglikelihoodRolling: return "loglikelihood_rolling";
    case RequestType::kGenerateUntil: return "generate_until";
  }
  return "?";
}

std::vector<std::string> DocChoices(const TaskConfig& task, const json& doc) {
  std::vector<std::string> out;
  if (task.doc_to_choice) {
    json v = task.doc_to_choice->RenderValue(doc);
    if (!v.is_array()) throw InputError(task.file, "/doc_to_choice", std::string("expected a list, got ") + v.type_name());
    for (const json& e : v) out.push_back(Stringify(e, task, "/doc_to_choice"));
  } else {
    for (const Template& t : task.doc_to_choice_list) out.push_back(t.Render(doc));
  }
  return out;
}

std::string DocText(const TaskConfig& task, const json& doc) {
  if (task.multiple_input) {
    std::vector<std::string> choices = DocChoices(task, doc);
    return choices[MultipleInputGold(task, doc, choices)];
  }
  return task.doc_to_text.Render(doc);
}

std::string FewshotExample(const TaskConfig& task, const json& doc) {
  std::string s = DocText(task, doc);
  const std::string answer = AnswerText(task, doc);
  if (!answer.empty()) s += task.target_delimiter + answer + task.fewshot_delimiter;
  return s;
}

std::vector<DocRequests> BuildRequests(const TaskConfig& task, const std::vector<json>& eval_docs,
                                       const std::vector<json>& fewshot_docs, const BuildOptions& opts) {
  const int n = opts.num_fewshot.value_or(task.num_fewshot);
  const size_t count = std::min(eval_docs.size(), opts.limit.value_or(eval_docs.size()));
  FewshotSampler sampler(task, opts.fewshot_seed);
  std::vector<DocRequests> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    try {
      std::vector<size_t> fs = sampler.Select(eval_docs[i], fewshot_docs, n);
      out.push_back(BuildOne(task, eval_docs[i], i, fewshot_docs, fs));
    } catch (const InputError& e) {
      throw InputError(e.file(), e.where() + " (eval document " + std::to_string(i) + ")", e.reason());
    }
  }
  return out;
}

uint64_t RequestSeed(int64_t task_seed, size_t doc, size_t index) {
  auto mix = [](uint64_t z) {  // splitmix64's finalizer
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  return mix(mix(mix(static_cast<uint64_t>(task_seed)) ^ doc) ^ index);
}

std::string CanonicalRequest(const Request& r) {
  json j;
  j["type"] = RequestTypeName(r.type);
  j["doc"] = r.doc_index;
  j["idx"] = r.index;
  switch (r.type) {
    case RequestType::kLoglikelihood: j["args"] = json::array({r.context, r.continuation}); break;
    case RequestType::kLoglikelihoodRolling: j["args"] = json::array({r.continuation}); break;
    case RequestType::kGenerateUntil:
      j["args"] = json::array({json(r.context), json{{"until", r.until}, {"max_gen_toks", r.max_gen_toks}}});
      if (r.temperature > 0) {  // greedy requests keep their earlier canonical form (and hashes)
        j["args"][1]["do_sample"] = true;
        j["args"][1]["temperature"] = r.temperature;
        j["args"][1]["top_k"] = r.top_k;
        j["args"][1]["top_p"] = r.top_p;
        j["args"][1]["seed"] = r.seed;
      }
      break;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string RequestStreamHash(const std::vector<DocRequests>& docs) {
  Sha256 h;
  for (const DocRequests& d : docs) {
    for (const Request& r : d.requests) {
      h.Update(CanonicalRequest(r));
      h.Update("\n");
    }
  }
  return h.HexFinal();
}

}  // namespace bitnet::evals
