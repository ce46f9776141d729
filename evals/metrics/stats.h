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

namespace bitnet::evals {

double Mean(const std::vector<double>& xs);
double SampleStddev(const std::vector<double>& xs);
double PopStddev(const std::vector<double>& xs);
double MeanStderr(const std::vector<double>& xs);  // sample_stddev / sqrt(n)
// Group stderr when subtasks are weighted by size (lm-eval pooled_sample_stderr).
double PooledSampleStderr(const std::vector<double>& stderrs, const std::vector<double>& sizes);

// CPython's random.Random (MT19937, init_by_array seeding, 53-bit random()).
class PyRandom {
 public:
  explicit PyRandom(uint64_t seed) { Seed(seed); }
  void Seed(uint64_t seed);  // random.seed(int) for a non-negative int below 2**64
  uint32_t GenRandU32();
  double Random();  // random.random()
  // random.choices(population_indices, k): floor(random() * n) per draw.
  size_t ChoiceIndex(size_t n) { return static_cast<size_t>(Random() * static_cast<double>(n)); }

 private:
  void InitGenRand(uint32_t s);
  uint32_t mt_[624];
  int mti_ = 625;
};

using Statistic = std::function<double(const std::vector<double>&)>;

// lm-eval bootstrap_stderr(f, xs, iters). Returns the list of replicates through `replicates`
// when non-null (for tests).
double BootstrapStderr(const Statistic& f, const std::vector<double>& xs, int iters,
                       std::vector<double>* replicates = nullptr);

}  // namespace bitnet::evals
