// keywords:existence, keywords:frequency, keywords:forbidden_words, keywords:letter_frequency,
// language:response_language.
#include <algorithm>
#include <memory>
#include <stdexcept>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"
#include "evals/metrics/ifeval/instructions.h"
#include "evals/metrics/ifeval/text.h"

namespace bitnet::evals::ifeval {

namespace {

// IFEval passes keywords to re.search unescaped; a keyword that is not a valid pattern would
// raise in Python, here it is matched literally.
std::shared_ptr<PyRegex> KeywordRegex(const std::string& pattern) {
  try {
    return std::make_shared<PyRegex>(pattern, PyRegex::kIgnoreCase);
  } catch (const std::invalid_argument&) {
    return std::make_shared<PyRegex>(PyRegexEscape(pattern), PyRegex::kIgnoreCase);
  }
}

Checker Existence(const nlohmann::json& kw, const std::string&) {
  std::vector<std::shared_ptr<PyRegex>> res;
  for (const std::string& k : RequireStrings(kw, "keywords")) res.push_back(KeywordRegex(k));
  return [res](const std::string& v) {
    for (const auto& r : res)
      if (!r->Contains(v)) return false;
    return true;
  };
}

Checker Frequency(const nlohmann::json& kw, const std::string&) {
  auto re = KeywordRegex(py::Strip(RequireString(kw, "keyword")));
  const int freq = RequireInt(kw, "frequency");
  const bool less = RequireLessThan(kw, "relation");
  return [re, freq, less](const std::string& v) {
    return Compare(less, static_cast<int>(re->FindIter(v).size()), freq);
  };
}

Checker Forbidden(const nlohmann::json& kw, const std::string&) {
  std::vector<std::string> words = RequireStrings(kw, "forbidden_words");
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::vector<std::shared_ptr<PyRegex>> res;
  for (const std::string& w : words) res.push_back(KeywordRegex("\\b" + w + "\\b"));
  return [res](const std::string& v) {
    for (const auto& r : res)
      if (r->Contains(v)) return false;
    return true;
  };
}

Checker LetterFrequency(const nlohmann::json& kw, const std::string&) {
  std::string letter = RequireString(kw, "letter");
  if (letter.size() != 1 || !std::isalpha(static_cast<unsigned char>(letter[0])))
    throw std::invalid_argument("letter must be one ASCII letter (IFEval would pick a random one)");
  const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(letter[0])));
  const int freq = RequireInt(kw, "let_frequency");
  const bool less = RequireLessThan(kw, "let_relation");
  return [l, freq, less](const std::string& v) {
    const std::string low = py::Lower(v);
    return Compare(less, static_cast<int>(std::count(low.begin(), low.end(), l)), freq);
  };
}

Checker ResponseLanguage(const nlohmann::json& kw, const std::string&) {
  const std::string lang = RequireString(kw, "language");
  return [lang](const std::string& v) {
    const auto detected = DetectLanguage(v);
    return !detected || *detected == lang;  // LangDetectException counts as followed
  };
}

}  // namespace

void AddKeywordInstructions(std::vector<InstructionDef>& out) {
  out.push_back({"keywords:existence", Existence, "exact"});
  out.push_back({"keywords:frequency", Frequency, "exact"});
  out.push_back({"keywords:forbidden_words", Forbidden, "exact"});
  out.push_back({"keywords:letter_frequency", LetterFrequency, "exact"});
  out.push_back({"language:response_language", ResponseLanguage,
                 "approximation: script/stop-word language identification instead of langdetect"});
}

}  // namespace bitnet::evals::ifeval
