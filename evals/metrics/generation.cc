#include "evals/metrics/generation.h"

#include <stdexcept>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"

namespace bitnet::evals {

ExactMatchOptions ExactMatchOptions::FromJson(const nlohmann::json& j) {
  ExactMatchOptions o;
  if (j.contains("regexes_to_ignore")) o.regexes_to_ignore = j["regexes_to_ignore"].get<std::vector<std::string>>();
  o.ignore_case = j.value("ignore_case", false);
  o.ignore_punctuation = j.value("ignore_punctuation", false);
  o.ignore_numbers = j.value("ignore_numbers", false);
  return o;
}

ExactMatchOptions Gsm8kExactMatchOptions() {
  ExactMatchOptions o;
  o.ignore_case = true;
  o.regexes_to_ignore = {",", "\\$", "(?s).*#### ", "\\.$"};
  return o;
}

ExactMatchOptions TriviaQaExactMatchOptions() {
  ExactMatchOptions o;
  o.ignore_case = true;
  o.ignore_punctuation = true;
  return o;
}

namespace {

std::string DeleteChars(const std::string& s, std::string_view chars) {
  std::string out;
  for (char c : s)
    if (chars.find(c) == std::string_view::npos) out.push_back(c);
  return out;
}

}  // namespace

std::string NormalizeForExactMatch(const std::string& s, const ExactMatchOptions& opt) {
  std::string out = s;
  for (const std::string& r : opt.regexes_to_ignore) out = PyRegex(r).Sub(out, "");
  if (opt.ignore_case) out = py::Lower(out);
  if (opt.ignore_punctuation) out = DeleteChars(out, py::kPunctuation);
  if (opt.ignore_numbers) out = DeleteChars(out, "0123456789");
  return out;
}

double ExactMatch(const std::string& prediction, const std::vector<std::string>& references,
                  const ExactMatchOptions& opt) {
  const std::string p = NormalizeForExactMatch(prediction, opt);
  for (const std::string& r : references)
    if (NormalizeForExactMatch(r, opt) == p) return 1.0;
  return 0.0;
}

double PassAtK(int n, int c, int k) {
  if (n <= 0 || c < 0 || c > n || k <= 0) throw std::invalid_argument("pass@k: need 0 <= c <= n, n > 0, k > 0");
  if (n - c < k) return 1.0;
  double prod = 1.0;
  for (int i = n - c + 1; i <= n; ++i) prod *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - prod;
}

double MeanPassAtK(const std::vector<std::pair<int, int>>& n_c, int k) {
  if (n_c.empty()) throw std::invalid_argument("pass@k of no tasks");
  double s = 0;
  for (const auto& [n, c] : n_c) s += PassAtK(n, c, k);
  return s / static_cast<double>(n_c.size());
}

}  // namespace bitnet::evals
