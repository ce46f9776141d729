#include "evals/filters/py_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>
#include <stdexcept>

namespace bitnet::evals {

namespace {

// Python-only escapes rewritten for PCRE2: \Z -> \z.
std::string TranslatePattern(std::string_view p) {
  std::string out;
  out.reserve(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      const char n = p[i + 1];
      out.push_back('\\');
      out.push_back(n == 'Z' ? 'z' : n);
      ++i;
    } else {
      out.push_back(p[i]);
    }
  }
  return out;
}

}  // namespace

struct PyRegex::Impl {
  pcre2_code* code = nullptr;
  std::vector<std::string> names;  // index = group number ("" if unnamed)
  ~Impl() {
    if (code) pcre2_code_free(code);
  }
};

PyRegex::PyRegex(std::string_view pattern, int flags) : impl_(std::make_unique<Impl>()), pattern_(pattern) {
  const std::string translated = TranslatePattern(pattern);
  uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  if (flags & kIgnoreCase) options |= PCRE2_CASELESS;
  if (flags & kMultiline) options |= PCRE2_MULTILINE;
  if (flags & kDotAll) options |= PCRE2_DOTALL;
  int err = 0;
  PCRE2_SIZE off = 0;
  impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                              options, &err, &off, nullptr);
  if (!impl_->code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof(buf));
    throw std::invalid_argument("regex '" + std::string(pattern) + "': " +
                                reinterpret_cast<const char*>(buf) + " at offset " +
                                std::to_string(off));
  }
  uint32_t count = 0;
  pcre2_pattern_info(impl_->code, PCRE2_INFO_CAPTURECOUNT, &count);
  groups_ = static_cast<int>(count);
  impl_->names.assign(count + 1, "");
  uint32_t name_count = 0, entry_size = 0;
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(impl_->code, PCRE2_INFO_NAMECOUNT, &name_count);
  pcre2_pattern_info(impl_->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(impl_->code, PCRE2_INFO_NAMETABLE, &table);
  for (uint32_t i = 0; i < name_count; ++i) {
    const PCRE2_SPTR e = table + i * entry_size;
    const int n = (e[0] << 8) | e[1];
    if (n >= 0 && n <= groups_) impl_->names[n] = reinterpret_cast<const char*>(e + 2);
  }
}

PyRegex::~PyRegex() = default;
PyRegex::PyRegex(PyRegex&&) noexcept = default;
PyRegex& PyRegex::operator=(PyRegex&&) noexcept = default;

namespace {

std::optional<PyMatch> MatchAt(pcre2_code* code, int groups, std::string_view s, size_t pos,
                               uint32_t opts) {
  if (pos > s.size()) return std::nullopt;
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos, opts,
                             md, nullptr);
  std::optional<PyMatch> out;
  if (rc > 0) {
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    PyMatch m;
    m.start = ov[0];
    m.end = ov[1];
    m.groups.resize(groups + 1);
    for (int g = 0; g <= groups; ++g) {
      if (g < rc && ov[2 * g] != PCRE2_UNSET)
        m.groups[g] = std::string(s.substr(ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    }
    out = std::move(m);
  } else if (rc != PCRE2_ERROR_NOMATCH) {
    pcre2_match_data_free(md);
    throw std::runtime_error("pcre2_match error " + std::to_string(rc));
  }
  pcre2_match_data_free(md);
  return out;
}

}  // namespace

std::optional<PyMatch> PyRegex::Search(std::string_view s, size_t pos) const {
  return MatchAt(impl_->code, groups_, s, pos, 0);
}

std::vector<PyMatch> PyRegex::FindIter(std::string_view s) const {
  std::vector<PyMatch> out;
  size_t pos = 0;
  bool last_empty = false;
  while (pos <= s.size()) {
    auto m = MatchAt(impl_->code, groups_, s, pos, last_empty ? PCRE2_NOTEMPTY_ATSTART : 0);
    if (!m) break;
    last_empty = m->end <= m->start;
    pos = std::max(m->end, m->start);
    out.push_back(std::move(*m));
  }
  return out;
}

std::vector<std::vector<std::string>> PyRegex::FindAll(std::string_view s) const {
  std::vector<std::vector<std::string>> out;
  for (const PyMatch& m : FindIter(s)) {
    std::vector<std::string> e;
    if (groups_ == 0) {
      e.push_back(m.groups[0].value_or(""));
    } else {
      for (int g = 1; g <= groups_; ++g) e.push_back(m.groups[g].value_or(""));
    }
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

std::string Expand(const PyMatch& m, std::string_view repl, const std::vector<std::string>& names) {
  std::string out;
  auto group = [&](int g) {
    if (g < 0 || g >= static_cast<int>(m.groups.size()))
      throw std::invalid_argument("invalid group reference " + std::to_string(g));
    if (m.groups[g]) out += *m.groups[g];
  };
  for (size_t i = 0; i < repl.size(); ++i) {
    const char c = repl[i];
    if (c != '\\' || i + 1 >= repl.size()) {
      out.push_back(c);
      continue;
    }
    const char n = repl[++i];
    if (std::isdigit(static_cast<unsigned char>(n))) {
      int g = n - '0';
      if (i + 1 < repl.size() && std::isdigit(static_cast<unsigned char>(repl[i + 1]))) {
        g = g * 10 + (repl[++i] - '0');
      }
      group(g);
    } else if (n == 'g' && i + 1 < repl.size() && repl[i + 1] == '<') {
      const size_t close = repl.find('>', i + 2);
      if (close == std::string_view::npos) throw std::invalid_argument("bad \\g<...> in template");
      const std::string name(repl.substr(i + 2, close - i - 2));
      i = close;
      if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) {
        group(std::stoi(name));
      } else {
        int found = -1;
        for (size_t k = 0; k < names.size(); ++k)
          if (names[k] == name) found = static_cast<int>(k);
        group(found);
      }
    } else if (n == 'n') {
      out.push_back('\n');
    } else if (n == 't') {
      out.push_back('\t');
    } else if (n == '\\') {
      out.push_back('\\');
    } else {
      out.push_back('\\');  // Python keeps unknown ASCII-letter escapes as errors; we keep them.
      out.push_back(n);
    }
  }
  return out;
}

}  // namespace

std::string PyRegex::Sub(std::string_view s, std::string_view repl) const {
  std::string out;
  size_t last = 0;
  for (const PyMatch& m : FindIter(s)) {
    out.append(s.substr(last, m.start - last));
    out += Expand(m, repl, impl_->names);
    last = m.end;
  }
  out.append(s.substr(last));
  return out;
}

std::vector<std::string> PyRegex::Split(std::string_view s) const {
  std::vector<std::string> out;
  size_t last = 0;
  for (const PyMatch& m : FindIter(s)) {
    out.emplace_back(s.substr(last, m.start - last));
    for (int g = 1; g <= groups_; ++g) out.push_back(m.groups[g].value_or(""));
    last = m.end;
  }
  out.emplace_back(s.substr(last));
  return out;
}

std::string PyRegexEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u) && c != '_') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace bitnet::evals
