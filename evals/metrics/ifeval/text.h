#pragma once
// Text measures used by the IFEval checkers, as approximations of the Python libraries that
// google-research instruction_following_eval (and lm-eval's port) call:
//
//  CountWords      nltk RegexpTokenizer(r"\w+") — exact (Unicode \w via PCRE2 UCP).
//  CountSentences  nltk punkt english.pickle — APPROXIMATION: a boundary is a run of . ? !
//                  (plus closing quotes/brackets) followed by whitespace and more text, unless the
//                  word before the period is a common English abbreviation (Mr, Dr, e.g., i.e.,
//                  U.S., etc.) or a single-letter initial. Newlines alone do not end a sentence
//                  (as in punkt). Punkt's learned collocations/orthographic heuristics are not
//                  reproduced.
//  WordTokenize    nltk word_tokenize (Treebank) — APPROXIMATION: whitespace split, leading and
//                  trailing punctuation split off, clitics n't 's 're 've 'll 'd 'm split off.
//                  Only used to count all-capital words, which this preserves in typical text.
//  DetectLanguage  langdetect.detect — APPROXIMATION (langdetect is a Naive Bayes n-gram model
//                  and is itself non-deterministic unless seeded, which IFEval does not do):
//                  the dominant Unicode script decides for scripts used by one language (ko, ja,
//                  zh-cn, th, bn, pa, gu, ta, te, kn, ml, he, el); markers split ar/fa/ur,
//                  ru/uk/bg, and stop words hi/mr/ne; Latin-script text is vi when Vietnamese
//                  letters are frequent, else the best stop-word match among en, de, es, pt, fr,
//                  it, nl, fi, sw, pl, tr, id, with "en" when nothing matches. Returns nullopt
//                  where langdetect raises LangDetectException (no letters at all), which IFEval
//                  counts as FOLLOWED.
#include <optional>
#include <string>
#include <vector>

namespace bitnet::evals::ifeval {

int CountWords(const std::string& text);
int CountSentences(const std::string& text);
std::vector<std::string> WordTokenize(const std::string& text);
std::optional<std::string> DetectLanguage(const std::string& text);

}  // namespace bitnet::evals::ifeval
