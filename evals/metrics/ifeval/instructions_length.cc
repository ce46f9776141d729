// length_constraints:number_sentences, number_paragraphs, number_words, nth_paragraph_first_word.
#include <memory>
#include <set>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"
#include "evals/metrics/ifeval/instructions.h"
#include "evals/metrics/ifeval/text.h"

namespace bitnet::evals::ifeval {

namespace {

Checker Sentences(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "num_sentences");
  const bool less = RequireLessThan(kw, "relation");
  return [n, less](const std::string& v) { return Compare(less, CountSentences(v), n); };
}

Checker Paragraphs(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "num_paragraphs");
  return [n](const std::string& v) {
    static const PyRegex sep("\\s?\\*\\*\\*\\s?");
    const std::vector<std::string> parts = sep.Split(v);
    int count = static_cast<int>(parts.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      if (py::Strip(parts[i]).empty()) {
        if (i == 0 || i + 1 == parts.size()) {
          --count;
        } else {
          return false;
        }
      }
    }
    return count == n;
  };
}

Checker Words(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "num_words");
  const bool less = RequireLessThan(kw, "relation");
  return [n, less](const std::string& v) { return Compare(less, CountWords(v), n); };
}

Checker NthParagraphFirstWord(const nlohmann::json& kw, const std::string&) {
  const int num = RequireInt(kw, "num_paragraphs");
  const int nth = RequireInt(kw, "nth_paragraph");
  if (nth <= 0 || nth > num)
    throw std::invalid_argument("nth_paragraph out of range (IFEval would pick a random one)");
  const std::string first_word = py::Lower(RequireString(kw, "first_word"));
  return [num, nth, first_word](const std::string& v) {
    const std::vector<std::string> paragraphs = py::Split(v, "\n\n");
    int count = static_cast<int>(paragraphs.size());
    for (const std::string& p : paragraphs)
      if (py::Strip(p).empty()) --count;
    if (nth > count) return false;
    const std::string paragraph = py::Strip(paragraphs[nth - 1]);
    if (paragraph.empty()) return false;
    std::string word = py::Strip(py::SplitWhitespace(paragraph)[0]);
    word = py::LStrip(word, "'");
    word = py::LStrip(word, "\"");
    static const std::set<char32_t> kPunct = {'.', ',', '?', '!', '\'', '"'};
    std::string got;
    for (char32_t c : py::Decode(word)) {
      if (kPunct.count(c)) break;
      py::AppendUtf8(got, py::ToLower(c));
    }
    return count == num && got == first_word;
  };
}

}  // namespace

void AddLengthInstructions(std::vector<InstructionDef>& out) {
  out.push_back({"length_constraints:number_sentences", Sentences,
                 "approximation: punkt sentence splitting approximated (text.h)"});
  out.push_back({"length_constraints:number_paragraphs", Paragraphs, "exact"});
  out.push_back({"length_constraints:number_words", Words, "exact"});
  out.push_back({"length_constraints:nth_paragraph_first_word", NthParagraphFirstWord, "exact"});
}

}  // namespace bitnet::evals::ifeval
