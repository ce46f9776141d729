// combination:two_responses, combination:repeat_prompt, startend:end_checker, startend:quotation,
// change_case:capital_word_frequency, english_capital, english_lowercase, punctuation:no_comma.
#include "evals/filters/py_text.h"
#include "evals/metrics/ifeval/instructions.h"
#include "evals/metrics/ifeval/text.h"

namespace bitnet::evals::ifeval {

namespace {

Checker TwoResponses(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    const std::vector<std::string> parts = py::Split(v, "******");
    std::vector<std::string> valid;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (py::Strip(parts[i]).empty()) {
        if (i != 0 && i + 1 != parts.size()) return false;
      } else {
        valid.push_back(parts[i]);
      }
    }
    return valid.size() == 2 && py::Strip(valid[0]) != py::Strip(valid[1]);
  };
}

Checker RepeatPrompt(const nlohmann::json& kw, const std::string&) {
  const std::string want = py::Lower(py::Strip(RequireString(kw, "prompt_to_repeat")));
  return [want](const std::string& v) { return py::StartsWith(py::Lower(py::Strip(v)), want); };
}

Checker EndChecker(const nlohmann::json& kw, const std::string&) {
  const std::string phrase = py::Lower(py::Strip(RequireString(kw, "end_phrase")));
  return [phrase](const std::string& v) {
    return py::EndsWith(py::Lower(py::Strip(py::Strip(v), "\"")), phrase);
  };
}

Checker Quotation(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    const std::string s = py::Strip(v);
    return py::Len(s) > 1 && s.front() == '"' && s.back() == '"';
  };
}

Checker CapitalWordFrequency(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "capital_frequency");
  const bool less = RequireLessThan(kw, "capital_relation");
  return [n, less](const std::string& v) {
    int count = 0;
    for (const std::string& w : WordTokenize(v)) count += py::IsUpper(w) ? 1 : 0;
    return Compare(less, count, n);
  };
}

Checker EnglishCapital(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    const auto lang = DetectLanguage(v);
    if (!lang) return true;  // LangDetectException counts as followed
    return py::IsUpper(v) && *lang == "en";
  };
}

Checker EnglishLowercase(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    const auto lang = DetectLanguage(v);
    if (!lang) return true;
    return py::IsLower(v) && *lang == "en";
  };
}

Checker NoComma(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) { return v.find(',') == std::string::npos; };
}

}  // namespace

void AddMiscInstructions(std::vector<InstructionDef>& out) {
  out.push_back({"combination:two_responses", TwoResponses, "exact"});
  out.push_back({"combination:repeat_prompt", RepeatPrompt, "exact"});
  out.push_back({"startend:end_checker", EndChecker, "exact"});
  out.push_back({"startend:quotation", Quotation, "exact"});
  out.push_back({"change_case:capital_word_frequency", CapitalWordFrequency,
                 "approximation: nltk word_tokenize approximated (text.h)"});
  out.push_back({"change_case:english_capital", EnglishCapital,
                 "approximation: langdetect approximated; isupper exact for Latin/Greek/Cyrillic"});
  out.push_back({"change_case:english_lowercase", EnglishLowercase,
                 "approximation: langdetect approximated; islower exact for Latin/Greek/Cyrillic"});
  out.push_back({"punctuation:no_comma", NoComma, "exact"});
}

}  // namespace bitnet::evals::ifeval
