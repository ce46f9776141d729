#pragma once
// Per-sample multiple-choice metrics from per-choice loglikelihoods
// (lm_eval/api/task.py ConfigurableTask.process_results, output_type multiple_choice).
//
//   acc             argmax_i ll_i is gold
//   acc_norm        argmax_i ll_i / len(choice_i), len in CHARACTERS (Python len = Unicode code
//                   points of the doc_to_choice string, without the leading target delimiter)
//   acc_bytes       argmax_i ll_i / len(choice_i.encode("utf-8"))
//   acc_mutual_info argmax_i (ll_i - ll_unconditional_i)   (only with unconditional lls)
//   exact_match     is_greedy[gold] (any gold for multiple targets)
// argmax is numpy's: the first maximum; a NaN wins (np.argmax returns the first NaN).
// Several gold indices (multiple_target) score 1 when the prediction is any of them.
//
// WinoGrande needs nothing special here: its "partial scoring" is on the request side (one
// context per option, a shared continuation); the per-option lls come here as usual, and only
// acc is reported.
//
// TruthfulQA MC2 (lm_eval/tasks/truthfulqa/utils.py process_results_mc2): split the mc2 choices
// at the first label 0 (true answers come first in the data), p = exp(ll), score =
// sum(p_true) / (sum(p_true) + sum(p_false)). Reported as "acc". Computed here with the max
// subtracted before exp (identical value; no under/overflow to 0/0 or inf/inf for long answers
// where the reference would give NaN).
#include <optional>
#include <string>
#include <vector>

namespace bitnet::evals {

struct ChoiceResult {
  double ll = 0;
  bool is_greedy = false;
};

struct McScores {
  double acc = 0, acc_norm = 0, acc_bytes = 0, exact_match = 0;
  std::optional<double> acc_mutual_info;
  size_t pred = 0, pred_norm = 0, pred_bytes = 0;
};

// `choices` are the doc_to_choice strings (no leading space); `results` are aligned with them.
// `unconditional_lls`, when given, must have one entry per choice.
McScores ScoreMultipleChoice(const std::vector<std::string>& choices,
                             const std::vector<ChoiceResult>& results, const std::vector<int>& gold,
                             const std::vector<double>* unconditional_lls = nullptr);

// numpy-compatible argmax (first maximum, first NaN wins). Throws on an empty list.
size_t NpArgmax(const std::vector<double>& xs);

// TruthfulQA MC2 from per-choice lls and the mc2 labels (1 = true, 0 = false).
double TruthfulQaMc2(const std::vector<double>& lls, const std::vector<int>& labels);

}  // namespace bitnet::evals
