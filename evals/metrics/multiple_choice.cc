#include "evals/metrics/multiple_choice.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "evals/filters/py_text.h"

namespace bitnet::evals {

size_t NpArgmax(const std::vector<double>& xs) {
  if (xs.empty()) throw std::invalid_argument("argmax of an empty list");
  size_t best = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (std::isnan(xs[i])) return i;
    if (xs[i] > xs[best]) best = i;
  }
  return best;
}

McScores ScoreMultipleChoice(const std::vector<std::string>& choices,
                             const std::vector<ChoiceResult>& results, const std::vector<int>& gold,
                             const std::vector<double>* unconditional_lls) {
  if (choices.size() != results.size() || choices.empty())
    throw std::invalid_argument("multiple choice: choices and results differ in length or are empty");
  if (gold.empty()) throw std::invalid_argument("multiple choice: no gold index");
  std::vector<double> lls, per_char, per_byte;
  for (size_t i = 0; i < choices.size(); ++i) {
    lls.push_back(results[i].ll);
    per_char.push_back(results[i].ll / static_cast<double>(py::Len(choices[i])));
    per_byte.push_back(results[i].ll / static_cast<double>(choices[i].size()));
  }
  auto is_gold = [&](size_t p) {
    return std::find(gold.begin(), gold.end(), static_cast<int>(p)) != gold.end();
  };
  McScores s;
  s.pred = NpArgmax(lls);
  s.pred_norm = NpArgmax(per_char);
  s.pred_bytes = NpArgmax(per_byte);
  s.acc = is_gold(s.pred) ? 1.0 : 0.0;
  s.acc_norm = is_gold(s.pred_norm) ? 1.0 : 0.0;
  s.acc_bytes = is_gold(s.pred_bytes) ? 1.0 : 0.0;
  for (int g : gold) {
    if (g >= 0 && static_cast<size_t>(g) < results.size() && results[g].is_greedy) s.exact_match = 1.0;
  }
  if (unconditional_lls) {
    if (unconditional_lls->size() != lls.size())
      throw std::invalid_argument("multiple choice: unconditional lls differ in length");
    std::vector<double> mi;
    for (size_t i = 0; i < lls.size(); ++i) mi.push_back(lls[i] - (*unconditional_lls)[i]);
    s.acc_mutual_info = is_gold(NpArgmax(mi)) ? 1.0 : 0.0;
  }
  return s;
}

double TruthfulQaMc2(const std::vector<double>& lls, const std::vector<int>& labels) {
  if (lls.size() != labels.size() || lls.empty())
    throw std::invalid_argument("mc2: lls and labels differ in length or are empty");
  const auto it = std::find(labels.begin(), labels.end(), 0);
  if (it == labels.end()) throw std::invalid_argument("mc2: no false answer (label 0)");
  const size_t split = static_cast<size_t>(it - labels.begin());
  const double mx = *std::max_element(lls.begin(), lls.end());
  double p_true = 0, p_all = 0;
  for (size_t i = 0; i < lls.size(); ++i) {
    const double p = std::exp(lls[i] - mx);
    if (i < split) p_true += p;
    p_all += p;
  }
  return p_true / p_all;
}

}  // namespace bitnet::evals
