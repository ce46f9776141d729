// process_docs hooks: HellaSwag's cleaning (lm_eval/tasks/hellaswag/utils.py, EVALS.md §1.3), the
// llm-foundry BoolQ copy back to passage/question, WinoGrande's original sentence format to the
// partial-scoring fields.
#include <cctype>
#include <string>

#include "common/error.h"
#include "evals/core/template.h"
#include "evals/hooks/registry.h"

namespace bitnet::evals {
namespace {

const std::string& StringField(const nlohmann::json& doc, const char* key, const std::string& source, size_t i) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) {
    throw InputError(source, "record " + std::to_string(i + 1), std::string("missing string field '") + key + "'");
  }
  return it->get_ref<const std::string&>();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out += to;
  }
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

}  // namespace

std::string PyCapitalizeAscii(const std::string& s) {
  std::string out = s;
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    out[i] = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
  }
  return out;
}

std::string HellaswagClean(const std::string& text) {
  std::string s = PyStrip(text);
  ReplaceAll(s, " [title]", ". ");
  // re.sub("\\[.*?\\]", "", s): '.' does not match a newline.
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '[') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != ']' && s[j] != '\n') ++j;
      if (j < s.size() && s[j] == ']') {
        i = j + 1;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  ReplaceAll(out, "  ", " ");
  return out;
}

Docs HellaswagPreprocess(const Docs& docs, const std::string& source) {
  Docs out;
  out.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const nlohmann::json& d = docs[i];
    std::string ctx = StringField(d, "ctx_a", source, i) + " " + PyCapitalizeAscii(StringField(d, "ctx_b", source, i));
    nlohmann::json o = d;
    o["query"] = HellaswagClean(StringField(d, "activity_label", source, i) + ": " + ctx);
    auto endings = d.find("endings");
    if (endings == d.end() || !endings->is_array()) {
      throw InputError(source, "record " + std::to_string(i + 1), "missing list field 'endings'");
    }
    o["choices"] = nlohmann::json::array();
    for (const auto& e : *endings) {
      if (!e.is_string()) throw InputError(source, "record " + std::to_string(i + 1), "non-string ending");
      o["choices"].push_back(HellaswagClean(e.get<std::string>()));
    }
    auto label = d.find("label");
    if (label != d.end() && label->is_number_integer()) {
      o["gold"] = label->get<int64_t>();
    } else if (label != d.end() && label->is_string() && !label->get_ref<const std::string&>().empty()) {
      o["gold"] = std::stoll(label->get<std::string>());
    } else {
      throw InputError(source, "record " + std::to_string(i + 1), "missing label");
    }
    out.push_back(std::move(o));
  }
  return out;
}

// llm-foundry's BoolQ: {"query": "Passage: <passage>\nQuestion: <question>?", "choices": ["no","yes"],
// "gold": 0|1}. Recovers lm-eval's fields passage/question/label. The conversion also turned
// " question" inside 22 passages into "\nQuestion" (e.g. "answer general knowledge\nQuestions");
// those are turned back into " question" (lower case: the original case is lost, so a title such
// as "Snakes in Question" comes back as "Snakes in question").
Docs BoolqFromLlmFoundry(const Docs& docs, const std::string& source) {
  static const std::string kPrefix = "Passage: ", kSep = "\nQuestion: ";
  Docs out;
  out.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string& q = StringField(docs[i], "query", source, i);
    const size_t sep = q.rfind(kSep);
    if (q.compare(0, kPrefix.size(), kPrefix) != 0 || sep == std::string::npos || sep < kPrefix.size() ||
        q.empty() || q.back() != '?') {
      throw InputError(source, "record " + std::to_string(i + 1),
                       "query is not \"Passage: ...\\nQuestion: ...?\" (llm-foundry BoolQ format)");
    }
    std::string passage = q.substr(kPrefix.size(), sep - kPrefix.size());
    ReplaceAll(passage, "\nQuestion", " question");
    nlohmann::json o = docs[i];
    o["passage"] = passage;
    o["question"] = q.substr(sep + kSep.size(), q.size() - 1 - (sep + kSep.size()));
    if (!docs[i].contains("gold") || !docs[i]["gold"].is_number_integer()) {
      throw InputError(source, "record " + std::to_string(i + 1), "missing integer field 'gold'");
    }
    o["label"] = docs[i]["gold"];
    out.push_back(std::move(o));
  }
  return out;
}

// WinoGrande's original {"sentence", "option1", "option2", "answer": "1"|"2"} to the fields the
// task file uses: context_options[i] = sentence[:idx] + option_i, continuation =
// sentence[idx+1:].strip(), gold = answer - 1 (lm_eval/tasks/winogrande/preprocess_winogrande.py).
Docs WinograndeFromSentence(const Docs& docs, const std::string& source) {
  Docs out;
  out.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string& s = StringField(docs[i], "sentence", source, i);
    const size_t idx = s.find('_');
    if (idx == std::string::npos) throw InputError(source, "record " + std::to_string(i + 1), "no '_' in sentence");
    const std::string& answer = StringField(docs[i], "answer", source, i);
    if (answer != "1" && answer != "2") {
      throw InputError(source, "record " + std::to_string(i + 1), "answer must be \"1\" or \"2\"");
    }
    nlohmann::json o = docs[i];
    o["context_options"] = {s.substr(0, idx) + StringField(docs[i], "option1", source, i),
                            s.substr(0, idx) + StringField(docs[i], "option2", source, i)};
    o["continuation"] = PyStrip(s.substr(idx + 1));
    o["gold"] = answer == "1" ? 0 : 1;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace bitnet::evals
