#pragma once
// A PCRE2 (libpcre2-8) regex with Python `re` semantics for the operations lm-eval and IFEval use:
// search, findall, sub, split.
//
// Differences handled (Python 3.7+ `re` on str patterns vs PCRE2 defaults):
//  - Unicode classes: Python's \d \w \s \b are Unicode-aware for str; compiled with PCRE2_UTF |
//    PCRE2_UCP. Invalid UTF-8 in subjects is tolerated (PCRE2_MATCH_INVALID_UTF).
//  - \Z in Python is the absolute end (PCRE2 \z); translated. Python's $ (end or before a final
//    "\n") is PCRE2's default $.
//  - Empty matches: findall/sub/split follow Python 3.7: an empty match may follow a non-empty
//    one, and after an empty match the next match may not be empty at the same position
//    (PCRE2_NOTEMPTY_ATSTART); "x*" on "abxd" substitutes to "-a-b--d-" as in Python.
//  - findall returns, per match, the whole match when the pattern has no groups, else every
//    group with unmatched groups as "" (Python's tuple/str result shape is kept by group_count()).
//  - sub templates: \1..\99, \g<n>, \g<name>, \n \t \\ ; unmatched groups expand to "".
// Not handled (documented): Python-only syntax such as {,n} quantifiers, (?L)/(?a) flags,
// possessive/atomic groups behave the PCRE2 way (Python < 3.11 rejected them anyway).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet::evals {

struct PyMatch {
  size_t start = 0, end = 0;                     // byte offsets of group 0
  std::vector<std::optional<std::string>> groups;  // [0] = whole match
};

class PyRegex {
 public:
  enum Flags : int { kNone = 0, kIgnoreCase = 1, kMultiline = 2, kDotAll = 4 };

  // Throws std::invalid_argument with the PCRE2 message and offset when the pattern is invalid.
  explicit PyRegex(std::string_view pattern, int flags = kNone);
  ~PyRegex();
  PyRegex(PyRegex&&) noexcept;
  PyRegex& operator=(PyRegex&&) noexcept;
  PyRegex(const PyRegex&) = delete;
  PyRegex& operator=(const PyRegex&) = delete;

  const std::string& pattern() const { return pattern_; }
  int group_count() const { return groups_; }

  // re.search: first match at or after byte offset `pos`.
  std::optional<PyMatch> Search(std::string_view s, size_t pos = 0) const;
  bool Contains(std::string_view s) const { return Search(s).has_value(); }
  // re.finditer
  std::vector<PyMatch> FindIter(std::string_view s) const;
  // re.findall: one entry per match; entry = {whole} if no groups, else {g1, ..., gN}.
  std::vector<std::vector<std::string>> FindAll(std::string_view s) const;
  // re.sub(pattern, repl, s) with a Python replacement template.
  std::string Sub(std::string_view s, std::string_view repl) const;
  // re.split (captured groups are included in the result, unmatched ones as "").
  std::vector<std::string> Split(std::string_view s) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string pattern_;
  int groups_ = 0;
};

// Python re.escape for building literal patterns.
std::string PyRegexEscape(std::string_view s);

}  // namespace bitnet::evals
