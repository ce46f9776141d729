#pragma once
// Python str semantics that the metrics and filters depend on, for UTF-8 std::string.
//
// lm-eval and IFEval are Python: len(s) counts code points, s.strip() strips Unicode whitespace,
// s.lower()/isupper()/islower() are Unicode-aware. These helpers reproduce that for the scripts
// that occur in the benchmarks. Case mapping covers ASCII, Latin-1, Latin Extended-A/Additional,
// Greek and Cyrillic (simple 1:1 mappings); other code points are treated as uncased (CJK, Indic,
// Arabic... are uncased in Python too). Invalid UTF-8 bytes are treated as single uncased code
// points (U+FFFD-like), never as errors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet::evals::py {

// Decode to code points (invalid bytes become 0xFFFD, one per byte).
std::vector<char32_t> Decode(std::string_view s);
std::string Encode(const std::vector<char32_t>& cps);
void AppendUtf8(std::string& out, char32_t cp);

// len(s) in Python: the number of code points.
size_t Len(std::string_view s);

// str.isspace() for one code point.
bool IsSpace(char32_t c);

// s.strip() / lstrip() / rstrip() with no argument (Unicode whitespace).
std::string Strip(std::string_view s);
std::string LStrip(std::string_view s);
std::string RStrip(std::string_view s);
// s.strip(chars) etc. with an explicit set of characters (code points).
std::string Strip(std::string_view s, std::string_view chars);
std::string LStrip(std::string_view s, std::string_view chars);
std::string RStrip(std::string_view s, std::string_view chars);

char32_t ToLower(char32_t c);
char32_t ToUpper(char32_t c);
bool IsCasedUpper(char32_t c);
bool IsCasedLower(char32_t c);
std::string Lower(std::string_view s);
std::string Upper(std::string_view s);
// str.isupper(): at least one cased character and no lower-case cased character.
bool IsUpper(std::string_view s);
// str.islower(): at least one cased character and no upper-case cased character.
bool IsLower(std::string_view s);

// s.split() with no argument: runs of whitespace, no empty strings.
std::vector<std::string> SplitWhitespace(std::string_view s);
// s.split(sep) with a literal, non-empty separator (empty strings kept).
std::vector<std::string> Split(std::string_view s, std::string_view sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);

// string.punctuation (ASCII only, as in Python).
inline constexpr std::string_view kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

}  // namespace bitnet::evals::py
