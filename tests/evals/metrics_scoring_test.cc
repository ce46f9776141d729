// Multiple choice, TruthfulQA MC2, exact_match, pass@k, MATH answers.
#include <catch2/catch.hpp>

#include <cmath>

#include "evals/metrics/generation.h"
#include "evals/metrics/math_answer.h"
#include "evals/metrics/multiple_choice.h"

using namespace bitnet::evals;

TEST_CASE("acc / acc_norm (characters) / acc_bytes differ on non-ASCII choices", "[metrics][mc]") {
  // "é" is 1 character but 2 UTF-8 bytes.
  const std::vector<std::string> choices = {"\xC3\xA9", "ab"};
  const std::vector<ChoiceResult> res = {{-1.5, false}, {-2.5, true}};
  const McScores s = ScoreMultipleChoice(choices, res, {1});
  CHECK(s.pred == 0);         // -1.5 > -2.5
  CHECK(s.pred_norm == 1);    // -1.5/1 < -2.5/2 = -1.25
  CHECK(s.pred_bytes == 0);   // -1.5/2 = -0.75 > -1.25
  CHECK(s.acc == 0.0);
  CHECK(s.acc_norm == 1.0);
  CHECK(s.acc_bytes == 0.0);
  CHECK(s.exact_match == 1.0);  // is_greedy of gold
  CHECK_FALSE(s.acc_mutual_info);
}

TEST_CASE("acc_mutual_info and multiple gold targets", "[metrics][mc]") {
  const std::vector<std::string> choices = {"a", "b", "c"};
  const std::vector<ChoiceResult> res = {{-1.0}, {-2.0}, {-3.0}};
  const std::vector<double> uncond = {-0.5, -2.5, -3.0};  // mi = -0.5, 0.5, 0
  const McScores s = ScoreMultipleChoice(choices, res, {1}, &uncond);
  CHECK(s.acc == 0.0);
  REQUIRE(s.acc_mutual_info);
  CHECK(*s.acc_mutual_info == 1.0);
  CHECK(ScoreMultipleChoice(choices, res, {2, 0}).acc == 1.0);
  // numpy argmax: first maximum wins ties
  CHECK(NpArgmax({-1.0, -1.0}) == 0);
}

TEST_CASE("TruthfulQA MC2 by hand", "[metrics][mc2]") {
  // p = 0.2, 0.1 (true) | 0.3, 0.4 (false): 0.3 / 1.0
  const std::vector<double> lls = {std::log(0.2), std::log(0.1), std::log(0.3), std::log(0.4)};
  CHECK(TruthfulQaMc2(lls, {1, 1, 0, 0}) == Approx(0.3));
  // e^-1 / (e^-1 + e^-2 + e^-1.5) = 0.50648...
  CHECK(TruthfulQaMc2({-1, -2, -1.5}, {1, 0, 0}) ==
        Approx(std::exp(-1) / (std::exp(-1) + std::exp(-2) + std::exp(-1.5))));
  // Very negative lls, where exp underflows in the reference, still give the ratio.
  CHECK(TruthfulQaMc2({-2000, -2000}, {1, 0}) == Approx(0.5));
  CHECK_THROWS(TruthfulQaMc2({-1, -2}, {1, 1}));
}

TEST_CASE("exact_match options", "[metrics][em]") {
  ExactMatchOptions o;
  CHECK(ExactMatch("Paris", {"paris"}, o) == 0.0);
  o.ignore_case = true;
  CHECK(ExactMatch("Paris", {"paris"}, o) == 1.0);
  CHECK(ExactMatch("Paris!", {"paris"}, o) == 0.0);
  o.ignore_punctuation = true;
  CHECK(ExactMatch("Paris!", {"Lyon", "paris"}, o) == 1.0);  // any reference
  o.ignore_numbers = true;
  CHECK(ExactMatch("Paris 2024", {"paris "}, o) == 1.0);
  const auto tq = TriviaQaExactMatchOptions();
  CHECK(ExactMatch("Dr. Who", {"dr who"}, tq) == 1.0);
  // ÉCOLE lower-cases like Python's str.lower()
  CHECK(ExactMatch("\xC3\x89" "cole", {"\xC3\xA9" "cole"}, tq) == 1.0);
  const auto opts = ExactMatchOptions::FromJson(
      {{"metric", "exact_match"}, {"ignore_case", true}, {"regexes_to_ignore", {"x"}}});
  CHECK(opts.ignore_case);
  CHECK(opts.regexes_to_ignore == std::vector<std::string>{"x"});
}

TEST_CASE("gsm8k exact_match normalization", "[metrics][em][gsm8k]") {
  const auto o = Gsm8kExactMatchOptions();
  const std::string ref = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 1,234";
  CHECK(NormalizeForExactMatch(ref, o) == "1234");
  CHECK(ExactMatch("$1,234.", {ref}, o) == 1.0);  // "," "$" and a trailing "." removed
  CHECK(ExactMatch("1234.50", {ref}, o) == 0.0);
  CHECK(ExactMatch("[invalid]", {ref}, o) == 0.0);
}

TEST_CASE("pass@k estimator", "[metrics][passk]") {
  CHECK(PassAtK(1, 1, 1) == 1.0);
  CHECK(PassAtK(1, 0, 1) == 0.0);
  CHECK(PassAtK(10, 3, 1) == Approx(0.3));
  // 1 - C(n-c,k)/C(n,k) = 1 - C(7,2)/C(10,2) = 1 - 21/45
  CHECK(PassAtK(10, 3, 2) == Approx(1 - 21.0 / 45.0));
  CHECK(PassAtK(5, 4, 2) == 1.0);  // n - c < k
  CHECK(MeanPassAtK({{1, 1}, {1, 0}, {1, 1}, {1, 1}}, 1) == Approx(0.75));
}

TEST_CASE("MATH: boxed extraction and minerva normalization", "[metrics][math]") {
  CHECK(*LastBoxedOnlyString("so \\boxed{1} then \\boxed{\\frac{1}{2}}.") == "\\boxed{\\frac{1}{2}}");
  CHECK(RemoveBoxed("\\boxed{\\frac{1}{2}}") == "\\frac{1}{2}");
  CHECK_FALSE(LastBoxedOnlyString("no box"));
  CHECK(MinervaUnnormalizedAnswer("Final Answer: The final answer is $24$. I hope it is correct.") == "$24$");
  CHECK(MinervaUnnormalizedAnswer("nothing") == "[invalidanswer]");
  CHECK(MinervaNormalizeFinalAnswer("$24$") == "24");
  CHECK(MinervaNormalizeFinalAnswer("x = \\frac12") == "\\frac{1}{2}");
  CHECK(MinervaNormalizeFinalAnswer("100,000") == "100000");
  CHECK(MinervaNormalizeFinalAnswer("10 \\text{ inches}") == "10");
}

TEST_CASE("MATH-500 MEH extraction, strip_string and equivalence", "[metrics][math]") {
  CHECK(MehExtractAnswer("Thus the answer is $\\boxed{\\dfrac{1}{2}}$.") == "\\frac{1}{2}");
  CHECK(MehExtractAnswer("So the answer is 42.") == "42");
  CHECK(MehExtractAnswer("We get 3 apples, then 1,024 more") == "1024");
  CHECK(MehExtractAnswer("Final Answer: The final answer is $7$. I hope it is correct.") == "7");
  CHECK(MehStripString("\\left( 3, 4 \\right)") == "(3,4)");
  CHECK(MehStripString("x = 5") == "5");
  CHECK(MehStripString("10\\%") == "10");
  CHECK(MehStripString("1/2") == "\\frac{1}{2}");
  CHECK(MehStripString("\\frac12") == "\\frac{1}{2}");
  CHECK(MehStripString("5.00") == "5");
  CHECK(MehStripString("90^\\circ") == "90");
  CHECK(MehMathEqual("0.5", "\\frac{1}{2}"));      // numeric stand-in for sympy
  CHECK(MehMathEqual("50", "0.5"));                // percentage variants ref*100
  CHECK(MehMathEqual("(1,2)", "(1, 2)"));
  CHECK(MehMathEqual("\\text{B}", "\\text{b}"));
  CHECK_FALSE(MehMathEqual("3", "4"));
  CHECK(Math500Score("... so $\\boxed{\\frac{3}{4}}$", "\\frac34") == 1.0);
  CHECK(Math500Score("The answer is 0.75", "\\frac{3}{4}") == 1.0);
  CHECK(Math500Score("Solution ... \\boxed{5}", "The sum is $\\boxed{5}$.", true) == 1.0);
  CHECK(Math500Score("\\boxed{6}", "5") == 0.0);
}
