#include "evals/filters/py_text.h"

#include <algorithm>

namespace bitnet::evals::py {

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int n = 0;
    char32_t cp = 0;
    if (c < 0x80) { out.push_back(c); ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else { out.push_back(0xFFFD); ++i; continue; }
    bool ok = i + n < s.size();
    for (int k = 1; ok && k <= n; ++k) {
      if (i + k >= s.size()) { ok = false; break; }
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) { ok = false; break; }
      cp = (cp << 6) | (d & 0x3F);
    }
    if (!ok) { out.push_back(0xFFFD); ++i; continue; }
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Encode(const std::vector<char32_t>& cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) AppendUtf8(out, c);
  return out;
}

size_t Len(std::string_view s) { return Decode(s).size(); }

bool IsSpace(char32_t c) {
  if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) return true;
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

namespace {

template <typename Pred>
std::string StripImpl(std::string_view s, bool left, bool right, Pred is_strip) {
  std::vector<char32_t> cps = Decode(s);
  size_t b = 0, e = cps.size();
  if (left) while (b < e && is_strip(cps[b])) ++b;
  if (right) while (e > b && is_strip(cps[e - 1])) --e;
  return Encode(std::vector<char32_t>(cps.begin() + b, cps.begin() + e));
}

struct InSet {
  std::vector<char32_t> set;
  bool operator()(char32_t c) const { return std::find(set.begin(), set.end(), c) != set.end(); }
};

}  // namespace

std::string Strip(std::string_view s) { return StripImpl(s, true, true, IsSpace); }
std::string LStrip(std::string_view s) { return StripImpl(s, true, false, IsSpace); }
std::string RStrip(std::string_view s) { return StripImpl(s, false, true, IsSpace); }
std::string Strip(std::string_view s, std::string_view chars) {
  return StripImpl(s, true, true, InSet{Decode(chars)});
}
std::string LStrip(std::string_view s, std::string_view chars) {
  return StripImpl(s, true, false, InSet{Decode(chars)});
}
std::string RStrip(std::string_view s, std::string_view chars) {
  return StripImpl(s, false, true, InSet{Decode(chars)});
}

// Simple case pairs: returns +1 if `c` is the upper member of a pair, -1 if lower, 0 if uncased,
// and sets *other to its counterpart.
static int CasePair(char32_t c, char32_t* other) {
  auto pair_even_upper = [&](char32_t base_lo, char32_t base_hi) -> int {
    if (c < base_lo || c > base_hi) return 2;
    const bool even = ((c - base_lo) % 2) == 0;
    *other = even ? c + 1 : c - 1;
    return even ? 1 : -1;
  };
  if (c >= 'A' && c <= 'Z') { *other = c + 32; return 1; }
  if (c >= 'a' && c <= 'z') { *other = c - 32; return -1; }
  if (c < 0x80) return 0;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) { *other = c + 0x20; return 1; }
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) { *other = c - 0x20; return -1; }
  if (c == 0xDF || c == 0xB5 || c == 0xAA || c == 0xBA) { *other = c; return -1; }
  if (c == 0xFF) { *other = 0x178; return -1; }
  if (c == 0x178) { *other = 0xFF; return 1; }
  if (c == 0x138 || c == 0x149 || c == 0x17F) { *other = c; return -1; }
  int r;
  if ((r = pair_even_upper(0x100, 0x137)) != 2) return r;
  if (c >= 0x139 && c <= 0x148) {  // odd upper
    const bool odd = (c % 2) == 1;
    *other = odd ? c + 1 : c - 1;
    return odd ? 1 : -1;
  }
  if ((r = pair_even_upper(0x14A, 0x177)) != 2) return r;
  if (c >= 0x179 && c <= 0x17E) {
    const bool odd = (c % 2) == 1;
    *other = odd ? c + 1 : c - 1;
    return odd ? 1 : -1;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) { *other = c + 0x20; return 1; }
  if (c >= 0x3B1 && c <= 0x3C9) { *other = c == 0x3C2 ? 0x3A3 : c - 0x20; return -1; }
  if (c >= 0x3AC && c <= 0x3CE) { *other = c; return -1; }  // accented lower Greek
  if (c >= 0x400 && c <= 0x40F) { *other = c + 0x50; return 1; }
  if (c >= 0x410 && c <= 0x42F) { *other = c + 0x20; return 1; }
  if (c >= 0x430 && c <= 0x44F) { *other = c - 0x20; return -1; }
  if (c >= 0x450 && c <= 0x45F) { *other = c - 0x50; return -1; }
  if ((r = pair_even_upper(0x460, 0x481)) != 2) return r;
  if ((r = pair_even_upper(0x48A, 0x4BF)) != 2) return r;
  if ((r = pair_even_upper(0x4D0, 0x52F)) != 2) return r;
  if ((r = pair_even_upper(0x1E00, 0x1E95)) != 2) return r;
  if ((r = pair_even_upper(0x1EA0, 0x1EFF)) != 2) return r;
  if (c >= 0x0250 && c <= 0x02AF) { *other = c; return -1; }  // IPA: lower-case letters
  return 0;
}

char32_t ToLower(char32_t c) {
  char32_t o = c;
  return CasePair(c, &o) == 1 ? o : c;
}
char32_t ToUpper(char32_t c) {
  char32_t o = c;
  const int r = CasePair(c, &o);
  return (r == -1 && o != c) ? o : c;
}
bool IsCasedUpper(char32_t c) { char32_t o; return CasePair(c, &o) == 1; }
bool IsCasedLower(char32_t c) { char32_t o; return CasePair(c, &o) == -1; }

std::string Lower(std::string_view s) {
  std::vector<char32_t> cps = Decode(s);
  for (char32_t& c : cps) c = ToLower(c);
  return Encode(cps);
}
std::string Upper(std::string_view s) {
  std::vector<char32_t> cps = Decode(s);
  for (char32_t& c : cps) c = ToUpper(c);
  return Encode(cps);
}

bool IsUpper(std::string_view s) {
  bool cased = false;
  for (char32_t c : Decode(s)) {
    if (IsCasedLower(c)) return false;
    if (IsCasedUpper(c)) cased = true;
  }
  return cased;
}
bool IsLower(std::string_view s) {
  bool cased = false;
  for (char32_t c : Decode(s)) {
    if (IsCasedUpper(c)) return false;
    if (IsCasedLower(c)) cased = true;
  }
  return cased;
}

std::vector<std::string> SplitWhitespace(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool in = false;
  for (char32_t c : Decode(s)) {
    if (IsSpace(c)) {
      if (in) out.push_back(cur);
      cur.clear();
      in = false;
    } else {
      AppendUtf8(cur, c);
      in = true;
    }
  }
  if (in) out.push_back(cur);
  return out;
}

std::vector<std::string> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t f = s.find(sep, pos);
    if (f == std::string_view::npos || sep.empty()) {
      out.emplace_back(s.substr(pos));
      return out;
    }
    out.emplace_back(s.substr(pos, f - pos));
    pos = f + sep.size();
  }
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to) {
  if (from.empty()) return std::string(s);
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t f = s.find(from, pos);
    if (f == std::string_view::npos) break;
    out.append(s.substr(pos, f - pos));
    out.append(to);
    pos = f + from.size();
  }
  out.append(s.substr(pos));
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace bitnet::evals::py
