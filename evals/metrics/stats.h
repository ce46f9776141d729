#pragma once
// Aggregation statistics as lm_eval/api/metrics.py computes them.
//
// mean = sum/len with left-to-right double summation (Python <= 3.11 `sum`; 3.12+ uses compensated
// summation, a last-ulp difference). sample_stddev divides by n-1. Bootstrap is bit-compatible with
// lm-eval: chunk i (of iters/min(1000,iters)) uses Python random.Random(i), replicate =
// f(rnd.choices(xs, k=len(xs))), stderr = sample_stddev of all replicates (the multiprocessing and
// the DISABLE_MULTIPROC paths draw the same numbers).
#include <cstdint>
#include <functional>
#include <vector>

#include "evals/core/cpython_random.h"

namespace bitnet::evals {

double Mean(const std::vector<double>& xs);
double SampleStddev(const std::vector<double>& xs);
double PopStddev(const std::vector<double>& xs);
double MeanStderr(const std::vector<double>& xs);  // sample_stddev / sqrt(n)
// Group stderr when subtasks are weighted by size (lm-eval pooled_sample_stderr).
double PooledSampleStderr(const std::vector<double>& stderrs, const std::vector<double>& sizes);

// random.choices(range(n), k=1)[0] as CPython draws it: floor(random() * n).
size_t ChoiceIndex(CPythonRandom& rnd, size_t n);

using Statistic = std::function<double(const std::vector<double>&)>;

// lm-eval bootstrap_stderr(f, xs, iters). Returns the list of replicates through `replicates`
// when non-null (for tests).
double BootstrapStderr(const Statistic& f, const std::vector<double>& xs, int iters,
                       std::vector<double>* replicates = nullptr);

}  // namespace bitnet::evals
