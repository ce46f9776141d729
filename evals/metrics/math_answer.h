#pragma once
// MATH-500 answer extraction and equivalence (EVALS.md §3.3, §1.7 minerva_math).
//
// Two reference pipelines are implemented at the STRING level:
//  * math-evaluation-harness (MEH, what BitNet used, customized): MehExtractAnswer (first rule that
//    applies: Minerva "final answer is $...$. I hope"; the last "boxed{...}" brace-matched, or
//    "\boxed x" up to "$"; text after "he answer is"; text after "final answer is"; the last
//    number -?\d*\.?\d+ with commas removed), then newline/":"/"."/"/" cleanup and
//    MehStripString (parser.py strip_string). MehMathEqual follows grader.py math_equal:
//    equal strings (case-insensitive after strip); numeric equality with isclose(rel_tol=1e-4)
//    against {ref/100, ref, ref*100}; bracket/brace-stripped case-insensitive equality;
//    element-wise comparison of (a,b)/[a,b] tuples; single "x=" / "k =" prefixes dropped.
//  * lm-eval minerva_math: LastBoxedOnlyString/RemoveBoxed, MinervaUnnormalizedAnswer
//    ("Final Answer: The final answer is(.*?). I hope it is correct."), MinervaNormalizeFinalAnswer
//    (appendix D of Lewkowycz et al.), then string equality.
//
// OUT OF SCOPE (documented choice): sympy symbolic equivalence (MEH symbolic_equal, minerva
// is_equiv via parse_latex, math_verify) and word-to-number conversion (word2number). In their
// place MehMathEqual evaluates plain numerals, "a/b" and "\frac{a}{b}" with numeric a, b (and a
// leading "-") numerically — the cases sympy settles most often. Anything else that only sympy
// would prove equal (e.g. "\sqrt{2}/2" vs "\frac{\sqrt2}{2}", reordered sums) scores 0 here, so
// scores are a lower bound of MEH's; expect a small gap (tenths of a point on MATH-500).
#include <optional>
#include <string>

namespace bitnet::evals {

// lm-eval last_boxed_only_string: "\boxed{...}" (brace-matched) or "\boxed x" up to "$", else
// "\fbox{...}"; nullopt when absent or unbalanced.
std::optional<std::string> LastBoxedOnlyString(const std::string& s);
// lm-eval remove_boxed: the content of "\boxed{...}" / "\boxed ..."; returns s unchanged otherwise.
std::string RemoveBoxed(const std::string& s);

std::string MehStripString(const std::string& s);
std::string MehExtractAnswer(const std::string& completion);
bool MehMathEqual(const std::string& prediction, const std::string& reference);
// Full MEH scoring of one sample: the reference is the dataset "answer" (or the solution, when
// `reference_is_solution`, whose answer is extracted with MehExtractAnswer).
double Math500Score(const std::string& completion, const std::string& reference,
                    bool reference_is_solution = false);

std::string MinervaUnnormalizedAnswer(const std::string& completion);  // "[invalidanswer]" if none
std::string MinervaNormalizeFinalAnswer(const std::string& answer);

}  // namespace bitnet::evals
