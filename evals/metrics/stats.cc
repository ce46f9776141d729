#include "evals/metrics/stats.h"

#include <cmath>
#include <stdexcept>

namespace bitnet::evals {

double Mean(const std::vector<double>& xs) {
  if (xs.empty()) throw std::invalid_argument("mean of an empty list");
  double s = 0;
  for (double x : xs) s += x;
  return s / static_cast<double>(xs.size());
}

double SampleStddev(const std::vector<double>& xs) {
  if (xs.size() < 2) throw std::invalid_argument("sample stddev needs at least 2 items");
  const double mu = Mean(xs);
  double s = 0;
  for (double x : xs) s += (x - mu) * (x - mu);
  return std::sqrt(s / static_cast<double>(xs.size() - 1));
}

double PopStddev(const std::vector<double>& xs) {
  const double mu = Mean(xs);
  double s = 0;
  for (double x : xs) s += (x - mu) * (x - mu);
  return std::sqrt(s / static_cast<double>(xs.size()));
}

double MeanStderr(const std::vector<double>& xs) {
  return SampleStddev(xs) / std::sqrt(static_cast<double>(xs.size()));
}

double PooledSampleStderr(const std::vector<double>& stderrs, const std::vector<double>& sizes) {
  if (stderrs.size() != sizes.size()) throw std::invalid_argument("stderrs/sizes length mismatch");
  double num = 0, total = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    num += (sizes[i] - 1) * stderrs[i] * stderrs[i] * sizes[i];
    total += sizes[i];
  }
  const double pooled_var = num / (total - static_cast<double>(sizes.size()));
  return std::sqrt(pooled_var / total);
}

size_t ChoiceIndex(CPythonRandom& rnd, size_t n) {
  return static_cast<size_t>(rnd.Random() * static_cast<double>(n));
}

double BootstrapStderr(const Statistic& f, const std::vector<double>& xs, int iters,
                       std::vector<double>* replicates) {
  if (iters <= 0) throw std::invalid_argument("bootstrap needs iters > 0");
  const int chunk = iters < 1000 ? iters : 1000;
  std::vector<double> res;
  res.reserve(static_cast<size_t>(iters / chunk) * chunk);
  std::vector<double> sample(xs.size());
  for (int i = 0; i < iters / chunk; ++i) {
    CPythonRandom rnd(i);
    for (int r = 0; r < chunk; ++r) {
      for (double& s : sample) s = xs[ChoiceIndex(rnd, xs.size())];
      res.push_back(f(sample));
    }
  }
  const double out = SampleStddev(res);
  if (replicates) *replicates = std::move(res);
  return out;
}

}  // namespace bitnet::evals
