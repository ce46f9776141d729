#include "evals/core/template.h"

#include <cctype>

#include "common/error.h"

namespace bitnet::evals {
namespace {

bool IsPySpace(uint32_t c) {
  return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
         c == 0x3000;
}

// Decodes the code point starting at s[i]; returns its length (1 for invalid bytes, value 0xFFFD).
size_t DecodeAt(const std::string& s, size_t i, uint32_t* cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    *cp = 0xfffd;
    return 1;
  }
  uint32_t c = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
  for (size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  *cp = c;
  return len;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string ToString(const nlohmann::json& v, bool* ok) {
  *ok = true;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  *ok = false;
  return {};
}

}  // namespace

std::string PyStrip(const std::string& s, bool left, bool right) {
  size_t begin = 0, end = s.size();
  if (left) {
    while (begin < end) {
      uint32_t cp;
      size_t n = DecodeAt(s, begin, &cp);
      if (!IsPySpace(cp)) break;
      begin += n;
    }
  }
  if (right) {
    while (end > begin) {
      size_t start = end - 1;  // back up to the lead byte
      while (start > begin && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) --start;
      uint32_t cp;
      size_t n = DecodeAt(s, start, &cp);
      if (start + n != end || !IsPySpace(cp)) break;
      end = start;
    }
  }
  return s.substr(begin, end - begin);
}

void Template::Fail(const std::string& what) const {
  throw InputError(file_, where_, "template \"" + source_ + "\": " + what);
}

Template Template::Parse(const std::string& source, const std::string& file, const std::string& where) {
  Template t;
  t.source_ = source;
  t.file_ = file;
  t.where_ = where;
  size_t i = 0;
  std::string text;
  while (i < source.size()) {
    if (source.compare(i, 2, "{{") != 0) {
      if (source.compare(i, 2, "}}") == 0) t.Fail("unmatched '}}' at offset " + std::to_string(i));
      if (source.compare(i, 2, "{%") == 0) t.Fail("'{%' statements are not part of the grammar; use a hook");
      text.push_back(source[i++]);
      continue;
    }
    size_t close = source.find("}}", i + 2);
    if (close == std::string::npos) t.Fail("unclosed '{{' at offset " + std::to_string(i));
    if (!text.empty()) t.parts_.push_back({false, std::move(text), {}, {}});
    text.clear();
    TemplatePart part;
    part.is_expr = true;
    part.text = source.substr(i + 2, close - i - 2);
    const std::string& e = part.text;
    size_t p = 0;
    auto skip_ws = [&] { while (p < e.size() && e[p] == ' ') ++p; };
    auto fail_at = [&](const std::string& what) {
      t.Fail(what + " in '{{" + e + "}}' at column " + std::to_string(p));
    };
    auto ident = [&] {
      size_t s = p;
      while (p < e.size() && IsIdentChar(e[p])) ++p;
      if (s == p) fail_at("expected a name");
      return e.substr(s, p - s);
    };
    skip_ws();
    part.path.push_back(ident());
    while (p < e.size() && (e[p] == '.' || e[p] == '[')) {
      if (e[p] == '.') {
        ++p;
        part.path.push_back(ident());
      } else {
        size_t s = ++p;
        while (p < e.size() && std::isdigit(static_cast<unsigned char>(e[p]))) ++p;
        if (s == p || p >= e.size() || e[p] != ']') fail_at("expected a non-negative integer index and ']'");
        part.path.push_back("[" + e.substr(s, p - s) + "]");
        ++p;
      }
    }
    skip_ws();
    while (p < e.size() && e[p] == '|') {
      ++p;
      skip_ws();
      std::string name = ident();
      TemplateFilter f{TemplateFilter::Kind::kStrip, {}};
      if (name == "strip") f.kind = TemplateFilter::Kind::kStrip;
      else if (name == "lstrip") f.kind = TemplateFilter::Kind::kLstrip;
      else if (name == "rstrip") f.kind = TemplateFilter::Kind::kRstrip;
      else if (name == "lower") f.kind = TemplateFilter::Kind::kLower;
      else if (name == "upper") f.kind = TemplateFilter::Kind::kUpper;
      else if (name == "join") f.kind = TemplateFilter::Kind::kJoin;
      else fail_at("unknown filter '" + name + "' (strip, lstrip, rstrip, lower, upper, join)");
      skip_ws();
      if (f.kind == TemplateFilter::Kind::kJoin) {
        if (p >= e.size() || e[p] != '(') fail_at("join needs a quoted separator: join(\", \")");
        ++p;
        skip_ws();
        if (p >= e.size() || (e[p] != '"' && e[p] != '\'')) fail_at("join needs a quoted separator");
        const char quote = e[p++];
        while (p < e.size() && e[p] != quote) {
          char c = e[p++];
          if (c == '\\' && p < e.size()) {
            char n = e[p++];
            c = n == 'n' ? '\n' : n == 't' ? '\t' : n;
          }
          f.arg.push_back(c);
        }
        if (p >= e.size()) fail_at("unterminated string");
        ++p;
        skip_ws();
        if (p >= e.size() || e[p] != ')') fail_at("expected ')'");
        ++p;
        skip_ws();
      }
      part.filters.push_back(std::move(f));
    }
    if (p != e.size()) fail_at("unexpected '" + e.substr(p) + "'");
    t.parts_.push_back(std::move(part));
    i = close + 2;
  }
  if (!text.empty()) t.parts_.push_back({false, std::move(text), {}, {}});
  return t;
}

nlohmann::json Template::Eval(const TemplatePart& part, const nlohmann::json& doc) const {
  const nlohmann::json* v = &doc;
  std::string walked;
  for (const std::string& step : part.path) {
    if (step[0] == '[') {
      size_t idx = std::stoul(step.substr(1, step.size() - 2));
      if (!v->is_array()) Fail("'" + walked + "' is not a list");
      if (idx >= v->size()) {
        Fail("index " + std::to_string(idx) + " out of range for '" + walked + "' (size " + std::to_string(v->size()) + ")");
      }
      v = &(*v)[idx];
      walked += step;
    } else {
      if (!v->is_object()) Fail("'" + walked + "' is not an object");
      auto it = v->find(step);
      walked += (walked.empty() ? "" : ".") + step;
      if (it == v->end()) Fail("the document has no field '" + walked + "'");
      v = &*it;
    }
  }
  nlohmann::json value = *v;
  for (const TemplateFilter& f : part.filters) {
    if (f.kind == TemplateFilter::Kind::kJoin) {
      if (!value.is_array()) Fail("join needs a list, '" + walked + "' is " + value.type_name());
      std::string out;
      for (size_t k = 0; k < value.size(); ++k) {
        bool ok;
        std::string s = ToString(value[k], &ok);
        if (!ok) Fail("join: element " + std::to_string(k) + " of '" + walked + "' is not a string");
        if (k) out += f.arg;
        out += s;
      }
      value = out;
      continue;
    }
    if (!value.is_string()) Fail("filter needs a string, '" + walked + "' is " + value.type_name());
    std::string s = value.get<std::string>();
    switch (f.kind) {
      case TemplateFilter::Kind::kStrip: s = PyStrip(s); break;
      case TemplateFilter::Kind::kLstrip: s = PyStrip(s, true, false); break;
      case TemplateFilter::Kind::kRstrip: s = PyStrip(s, false, true); break;
      case TemplateFilter::Kind::kLower:
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        break;
      case TemplateFilter::Kind::kUpper:
        for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        break;
      case TemplateFilter::Kind::kJoin: break;
    }
    value = s;
  }
  return value;
}

std::string Template::Render(const nlohmann::json& doc) const {
  std::string out;
  for (const TemplatePart& part : parts_) {
    if (!part.is_expr) {
      out += part.text;
      continue;
    }
    nlohmann::json v = Eval(part, doc);
    bool ok;
    std::string s = ToString(v, &ok);
    if (!ok) Fail("'{{" + part.text + "}}' is " + std::string(v.type_name()) + ", not a string or an integer");
    out += s;
  }
  return out;
}

nlohmann::json Template::RenderValue(const nlohmann::json& doc) const {
  if (single_expression()) return Eval(parts_[0], doc);
  return Render(doc);
}

}  // namespace bitnet::evals
