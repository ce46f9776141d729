#include "evals/metrics/math_answer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"

namespace bitnet::evals {

using py::ReplaceAll;

std::optional<std::string> LastBoxedOnlyString(const std::string& s) {
  const size_t sp = s.find("\\boxed ");
  if (sp != std::string::npos) {
    const std::vector<std::string> parts = py::Split(s, "\\boxed ");
    return "\\boxed " + py::Split(parts.back(), "$")[0];
  }
  size_t idx = s.rfind("\\boxed");
  if (idx == std::string::npos) idx = s.rfind("\\fbox");
  if (idx == std::string::npos) return std::nullopt;
  int open = 0;
  for (size_t i = idx; i < s.size(); ++i) {
    if (s[i] == '{') ++open;
    if (s[i] == '}') {
      --open;
      if (open == 0) return s.substr(idx, i - idx + 1);
    }
  }
  return std::nullopt;
}

std::string RemoveBoxed(const std::string& s) {
  if (py::StartsWith(s, "\\boxed ")) return s.substr(7);
  if (py::StartsWith(s, "\\boxed{") && py::EndsWith(s, "}")) return s.substr(7, s.size() - 8);
  return s;
}

namespace {

// Unit words removed by MEH strip_string (parser.py unit_texts, mostly from MathQA); each is used
// as a regex between (^|\W) and ($|\W), and the plural "+s" forms are added.
const char* const kUnitTexts[] = {
    "east", "degree", "mph", "kmph", "ft", "m sqaure", " m east", "sq m", "deg", "mile",
    "q .", "monkey", "prime", "ratio", "profit of rs", "rd", "o", "gm",
    "p . m", "lb", "tile", "per", "dm", "lt", "gain", "ab", "way", "west",
    "a .", "b .", "c .", "d .", "e .", "f .", "g .", "h .", "t", "a", "h",
    "no change", "men", "soldier", "pie", "bc", "excess", "st",
    "inches", "noon", "percent", "by", "gal", "kmh", "c", "acre", "rise",
    "a . m", "th", "π r 2", "sq", "mark", "l", "toy", "coin",
    "sq . m", "gallon", "° f", "profit", "minw", "yr", "women",
    "feet", "am", "pm", "hr", "cu cm", "square", "v â € ™", "are",
    "rupee", "rounds", "cubic", "cc", "mtr", "s", "ohm", "number",
    "kmph", "day", "hour", "minute", "min", "second", "man", "woman",
    "sec", "cube", "mt", "sq inch", "mp", "∏ cm ³", "hectare", "more",
    "sec", "unit", "cu . m", "cm 2", "rs .", "rs", "kg", "g", "month",
    "km", "m", "cm", "mm", "apple", "liter", "loss", "yard",
    "pure", "year", "increase", "decrease", "d", "less", "Surface",
    "litre", "pi sq m", "s .", "metre", "meter", "inch",
};

const std::vector<PyRegex>& UnitRegexes() {
  static const std::vector<PyRegex> kRes = [] {
    std::vector<PyRegex> v;
    for (int plural = 0; plural < 2; ++plural)
      for (const char* u : kUnitTexts)
        v.emplace_back(std::string("(^|\\W)") + u + (plural ? "s" : "") + "($|\\W)");
    return v;
  }();
  return kRes;
}

std::string Sub(const std::string& s, const char* pattern, const char* repl) {
  return PyRegex(pattern).Sub(s, repl);
}

std::string FixFracs(const std::string& s) {
  const std::vector<std::string> parts = py::Split(s, "\\frac");
  std::string out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& sub = parts[i];
    out += "\\frac";
    if (!sub.empty() && sub[0] == '{') {
      out += sub;
      continue;
    }
    if (sub.size() < 2) return s;
    const std::string a(1, sub[0]), b(1, sub[1]);
    if (b != "{") {
      out += "{" + a + "}{" + b + "}" + sub.substr(2);
    } else {
      out += "{" + a + "}" + b + sub.substr(2);
    }
  }
  return out;
}

bool IsCanonicalInt(const std::string& s) {
  static const PyRegex re("^(-?[1-9][0-9]*|0)\\z");
  return re.Contains(s);
}

std::string FixASlashB(const std::string& s) {
  const std::vector<std::string> parts = py::Split(s, "/");
  if (parts.size() != 2) return s;
  for (const std::string& p : parts)
    if (p.find("sqrt") == std::string::npos && !IsCanonicalInt(p)) return s;
  return "\\frac{" + parts[0] + "}{" + parts[1] + "}";
}

}  // namespace

std::string MehStripString(const std::string& input) {
  std::string s = py::Strip(input);
  s = ReplaceAll(s, "\n", "");
  s = py::RStrip(s, ".");
  s = ReplaceAll(s, "\\!", "");
  s = Sub(s, "\\\\begin\\{array\\}\\{.*?\\}", "\\\\begin{pmatrix}");
  s = Sub(s, "\\\\end\\{array\\}", "\\\\end{pmatrix}");
  s = ReplaceAll(s, "bmatrix", "pmatrix");
  s = ReplaceAll(s, "tfrac", "frac");
  s = ReplaceAll(s, "dfrac", "frac");
  s = ReplaceAll(s, "\\left", "");
  s = ReplaceAll(s, "\\right", "");
  s = ReplaceAll(s, "\\{", "{");
  s = ReplaceAll(s, "\\}", "}");
  {
    const std::string t = py::Strip(Sub(s, "\\\\text{.*?}$", ""));
    if (!t.empty() && t != s) s = t;
  }
  for (int round = 0; round < 2; ++round) {
    for (const PyRegex& re : UnitRegexes()) {
      const std::string t = re.Sub(s, "\\1\\2");
      if (!t.empty()) s = t;
    }
  }
  s = ReplaceAll(s, "^{\\circ}", "");
  s = ReplaceAll(s, "^\\circ", "");
  s = ReplaceAll(s, "\\$", "");
  s = ReplaceAll(s, "$", "");
  // (word2number conversion of e.g. "five" is not done: out of scope)
  s = Sub(s, "\\\\text\\{(.*?)\\}", "\\1");
  for (const char* key : {"x=", "y=", "z=", "x\\in", "y\\in", "z\\in", "x\\to", "y\\to", "z\\to"})
    s = ReplaceAll(s, key, "");
  s = ReplaceAll(s, "\\emptyset", "{}");
  s = ReplaceAll(s, "(-\\infty,\\infty)", "\\mathbb{R}");
  s = ReplaceAll(s, "\\%", "");
  s = ReplaceAll(s, "%", "");
  s = ReplaceAll(s, " .", " 0.");
  s = ReplaceAll(s, "{.", "{0.");
  s = ReplaceAll(s, "infinity", "\\infty");
  if (s.find("\\infty") == std::string::npos) s = ReplaceAll(s, "inf", "\\infty");
  s = ReplaceAll(s, "+\\inity", "\\infty");
  s = ReplaceAll(s, "and", "");
  s = ReplaceAll(s, "\\mathbf", "");
  s = Sub(s, "\\\\mbox{.*?}", "");
  if (s.find('j') != std::string::npos && s.find('i') == std::string::npos) s = ReplaceAll(s, "j", "i");
  s = Sub(s, "(\\d+)\\.0*([^\\d])", "\\1\\2");
  s = Sub(s, "(\\d+)\\.0*$", "\\1");
  if (s.empty()) return s;
  if (s[0] == '.') s = "0" + s;
  {
    const std::vector<std::string> eq = py::Split(s, "=");
    if (eq.size() == 2 && py::Len(eq[0]) <= 2) s = eq[1];
  }
  s = Sub(s, "\\\\sqrt(\\w+)", "\\\\sqrt{\\1}");
  s = ReplaceAll(s, " ", "");
  s = FixFracs(s);
  s = FixASlashB(s);
  return s;
}

std::string MehExtractAnswer(const std::string& completion) {
  std::string pred;
  const size_t fa = completion.find("final answer is $");
  if (fa != std::string::npos && completion.find("$. I hope") != std::string::npos) {
    const std::string tmp = completion.substr(fa + 17);
    pred = py::Strip(tmp.substr(0, tmp.find("$. I hope")));
  } else if (completion.find("boxed") != std::string::npos) {
    const std::string ans = py::Split(completion, "boxed").back();
    if (ans.empty()) return "";
    if (ans[0] == '{') {
      int stack = 1;
      for (size_t i = 1; i < ans.size(); ++i) {
        const char c = ans[i];
        if (c == '{') ++stack;
        if (c == '}' && --stack == 0) break;
        pred.push_back(c);
      }
    } else {
      pred = py::Strip(py::Split(ans, "$")[0]);
    }
  } else if (completion.find("he answer is") != std::string::npos) {
    pred = py::Strip(py::Split(completion, "he answer is").back());
  } else if (completion.find("final answer is") != std::string::npos) {
    pred = py::Strip(py::Split(completion, "final answer is").back());
  } else {
    static const PyRegex number("-?\\d*\\.?\\d+");
    const auto all = number.FindAll(ReplaceAll(completion, ",", ""));
    pred = all.empty() ? "" : all.back()[0];
  }
  pred = Sub(pred, "\\n\\s*", "");
  if (!pred.empty() && pred.front() == ':') pred.erase(0, 1);
  if (!pred.empty() && pred.back() == '.') pred.pop_back();
  if (!pred.empty() && pred.back() == '/') pred.pop_back();
  return MehStripString(pred);
}

namespace {

// Python float(): the whole (stripped) string must parse; no hex.
std::optional<double> PyFloat(const std::string& raw) {
  const std::string s = py::Strip(raw);
  if (s.empty() || s.find_first_of("xX") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

// MEH grader parse_digits.
std::optional<double> ParseDigits(const std::string& raw) {
  std::string s = ReplaceAll(raw, ",", "");
  if (auto v = PyFloat(s)) return v;
  if (py::EndsWith(s, "%")) {
    s.pop_back();
    if (py::EndsWith(s, "\\")) s.pop_back();
    if (auto v = PyFloat(s)) return *v / 100;
  }
  return std::nullopt;
}

bool IsClose(double a, double b) {
  return std::fabs(a - b) <= 1e-4 * std::max(std::fabs(a), std::fabs(b));
}

// The light numeric stand-in for sympy: numerals, a/b, \frac{a}{b}, with an optional "-".
std::optional<double> EvalSimple(const std::string& raw) {
  std::string s = py::Strip(raw);
  if (auto v = ParseDigits(s)) return v;
  double sign = 1;
  if (!s.empty() && s[0] == '-') {
    sign = -1;
    s.erase(0, 1);
  }
  static const PyRegex frac("^\\\\frac\\{([^{}]+)\\}\\{([^{}]+)\\}\\z");
  static const PyRegex slash("^([^/]+)/([^/]+)\\z");
  for (const PyRegex* re : {&frac, &slash}) {
    if (auto m = re->Search(s)) {
      const auto a = PyFloat(*m->groups[1]), b = PyFloat(*m->groups[2]);
      if (a && b && *b != 0) return sign * *a / *b;
    }
  }
  return std::nullopt;
}

bool MathEqualImpl(const std::string& prediction, const std::string& reference, int depth) {
  if (py::Lower(py::Strip(prediction)) == py::Lower(py::Strip(reference))) return true;
  const auto pd = ParseDigits(prediction), rd = ParseDigits(reference);
  if (pd && rd) {
    for (double item : {*rd / 100, *rd, *rd * 100})
      if (IsClose(*pd, item)) return true;
    return false;
  }
  if (py::Strip(prediction).empty()) return false;
  const std::string ref = py::Strip(reference), pred = py::Strip(prediction);
  std::string pred_str = pred, ref_str = ref;
  if ((py::StartsWith(pred, "[") && py::EndsWith(pred, "]") && !py::StartsWith(ref, "(")) ||
      (py::StartsWith(pred, "(") && py::EndsWith(pred, ")") && !py::StartsWith(ref, "["))) {
    pred_str = py::Strip(pred_str, "[]()");
    ref_str = py::Strip(ref_str, "[]()");
  }
  for (const char* b : {"{", "}", "(", ")"}) {
    ref_str = ReplaceAll(ref_str, b, "");
    pred_str = ReplaceAll(pred_str, b, "");
  }
  if (py::Lower(pred_str) == py::Lower(ref_str)) return true;
  static const PyRegex tuple("^(\\(|\\[).+(\\)|\\])");
  if (depth < 4 && tuple.Contains(pred) && tuple.Contains(ref)) {
    const auto pp = py::Split(pred.substr(1, pred.size() - 2), ",");
    const auto rp = py::Split(ref.substr(1, ref.size() - 2), ",");
    if (pp.size() == rp.size()) {
      bool all = true;
      for (size_t i = 0; i < pp.size() && all; ++i) all = MathEqualImpl(pp[i], rp[i], depth + 1);
      if (all) return true;
    }
  }
  auto count_eq = [](const std::string& s) { return std::count(s.begin(), s.end(), '='); };
  if (depth < 4 && count_eq(pred) == 1 && count_eq(ref) == 0) {
    const auto parts = py::Split(pred, "=");
    if (py::Len(py::Strip(parts[0])) <= 2 && MathEqualImpl(parts[1], ref, depth + 1)) return true;
  } else if (depth < 4 && count_eq(ref) == 1 && count_eq(pred) == 0) {
    const auto parts = py::Split(ref, "=");
    if (py::Len(py::Strip(parts[0])) <= 2 && MathEqualImpl(pred, parts[1], depth + 1)) return true;
  }
  const auto pv = EvalSimple(pred), rv = EvalSimple(ref);
  return pv && rv && IsClose(*pv, *rv);
}

}  // namespace

bool MehMathEqual(const std::string& prediction, const std::string& reference) {
  return MathEqualImpl(prediction, reference, 0);
}

double Math500Score(const std::string& completion, const std::string& reference,
                    bool reference_is_solution) {
  const std::string ref = reference_is_solution ? MehExtractAnswer(reference) : MehStripString(reference);
  return MehMathEqual(MehExtractAnswer(completion), ref) ? 1.0 : 0.0;
}

std::string MinervaUnnormalizedAnswer(const std::string& completion) {
  static const PyRegex re("Final Answer: The final answer is(.*?). I hope it is correct.");
  const auto m = re.Search(completion + "I hope it is correct.");
  return m ? py::Strip(m->groups[1].value_or("")) : "[invalidanswer]";
}

std::string MinervaNormalizeFinalAnswer(const std::string& answer) {
  std::string s = py::Split(answer, "=").back();
  static const std::pair<const char*, const char*> kSubs[] = {
      {"an ", ""}, {"a ", ""}, {".$", "$"}, {"\\$", ""}, {"\\ ", ""}, {" ", ""},
      {"mbox", "text"}, {",\\text{and}", ","}, {"\\text{and}", ","}, {"\\text{m}", "\\text{}"}};
  for (const auto& [from, to] : kSubs) s = ReplaceAll(s, from, to);
  static const char* const kRemoved[] = {
      "square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units",
      "\\ldots", "sue", "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm",
      "pounds", "meters", "meals", "edges", "students", "childrentickets", "multiples",
      "\\text{s}", "\\text{.}", "\\text{\ns}", "\\text{}^2", "\\text{}^3", "\\text{\n}",
      "\\text{}", "\\mathrm{th}", "^\\circ", "^{\\circ}", "\\;", ",\\!", "{,}", "\"", "\\dots"};
  for (const char* r : kRemoved) s = ReplaceAll(s, r, "");
  s = Sub(s, "(.*?)(\\$)(.*?)(\\$)(.*)", "$\\3$");
  s = Sub(s, "(\\\\text\\{)(.*?)(\\})", "\\2");
  s = Sub(s, "(\\\\textbf\\{)(.*?)(\\})", "\\2");
  s = Sub(s, "(\\\\overline\\{)(.*?)(\\})", "\\2");
  s = Sub(s, "(\\\\boxed\\{)(.*)(\\})", "\\2");
  s = Sub(s, "(frac)([^{])(.)", "frac{\\2}{\\3}");
  s = Sub(s, "(sqrt)([^{])", "sqrt{\\2}");
  s = ReplaceAll(s, "$", "");
  const std::string no_commas = ReplaceAll(s, ",", "");
  if (!no_commas.empty() &&
      std::all_of(no_commas.begin(), no_commas.end(), [](char c) { return c >= '0' && c <= '9'; }))
    s = no_commas;
  return s;
}

}  // namespace bitnet::evals
