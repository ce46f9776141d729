#pragma once
// Generation metrics: exact_match (lm_eval/api/metrics.py exact_match_hf_evaluate) and pass@k.
//
// exact_match normalizes prediction and reference the same way, in this order:
//   1. every regex in regexes_to_ignore: re.sub(regex, "", s)   (Python re semantics, PyRegex)
//   2. ignore_case: str.lower()
//   3. ignore_punctuation: delete string.punctuation (ASCII)
//   4. ignore_numbers: delete string.digits (ASCII)
// then compares for equality. With several references (TriviaQA aliases) the sample scores 1 if
// any matches.
//
// pass@k is the unbiased estimator of Chen et al. (evalplus estimate_pass_at_k):
//   1 - prod_{i=n-c+1..n} (1 - k/i), and 1.0 when n - c < k.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

struct ExactMatchOptions {
  std::vector<std::string> regexes_to_ignore;
  bool ignore_case = false;
  bool ignore_punctuation = false;
  bool ignore_numbers = false;
  // From a metric_list entry: {"metric": "exact_match", "ignore_case": true, ...}.
  static ExactMatchOptions FromJson(const nlohmann::json& j);
};

// GSM8K (gsm8k.yaml): ignore_case, regexes_to_ignore [",", "\$", "(?s).*#### ", "\.$"].
ExactMatchOptions Gsm8kExactMatchOptions();
// TriviaQA (triviaqa/default.yaml): ignore_case, ignore_punctuation.
ExactMatchOptions TriviaQaExactMatchOptions();

std::string NormalizeForExactMatch(const std::string& s, const ExactMatchOptions& opt);
double ExactMatch(const std::string& prediction, const std::vector<std::string>& references,
                  const ExactMatchOptions& opt = {});

// Per-task pass@k from n samples of which c passed.
double PassAtK(int n, int c, int k);
// Mean pass@k over tasks given (n, c) per task.
double MeanPassAtK(const std::vector<std::pair<int, int>>& n_c, int k);

}  // namespace bitnet::evals
