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

void PyRandom::InitGenRand(uint32_t s) {
  mt_[0] = s;
  for (mti_ = 1; mti_ < 624; ++mti_) {
    mt_[mti_] = 1812433253U * (mt_[mti_ - 1] ^ (mt_[mti_ - 1] >> 30)) + static_cast<uint32_t>(mti_);
  }
}

void PyRandom::Seed(uint64_t seed) {
  // CPython random_seed: the absolute value split into 32-bit words, least significant first;
  // zero gives the single key [0].
  std::vector<uint32_t> key;
  do {
    key.push_back(static_cast<uint32_t>(seed & 0xFFFFFFFFu));
    seed >>= 32;
  } while (seed != 0);
  // init_by_array
  InitGenRand(19650218U);
  const size_t n = 624, len = key.size();
  size_t i = 1, j = 0;
  for (size_t k = (n > len ? n : len); k; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] + static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= n) { mt_[0] = mt_[n - 1]; i = 1; }
    if (j >= len) j = 0;
  }
  for (size_t k = n - 1; k; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= n) { mt_[0] = mt_[n - 1]; i = 1; }
  }
  mt_[0] = 0x80000000U;
  mti_ = 624;
}

uint32_t PyRandom::GenRandU32() {
  static const uint32_t mag01[2] = {0x0U, 0x9908b0dfU};
  uint32_t y;
  if (mti_ >= 624) {
    int kk;
    for (kk = 0; kk < 624 - 397; ++kk) {
      y = (mt_[kk] & 0x80000000U) | (mt_[kk + 1] & 0x7fffffffU);
      mt_[kk] = mt_[kk + 397] ^ (y >> 1) ^ mag01[y & 1U];
    }
    for (; kk < 623; ++kk) {
      y = (mt_[kk] & 0x80000000U) | (mt_[kk + 1] & 0x7fffffffU);
      mt_[kk] = mt_[kk + (397 - 624)] ^ (y >> 1) ^ mag01[y & 1U];
    }
    y = (mt_[623] & 0x80000000U) | (mt_[0] & 0x7fffffffU);
    mt_[623] = mt_[396] ^ (y >> 1) ^ mag01[y & 1U];
    mti_ = 0;
  }
  y = mt_[mti_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

double PyRandom::Random() {
  const uint32_t a = GenRandU32() >> 5, b = GenRandU32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double BootstrapStderr(const Statistic& f, const std::vector<double>& xs, int iters,
                       std::vector<double>* replicates) {
  if (iters <= 0) throw std::invalid_argument("bootstrap needs iters > 0");
  const int chunk = iters < 1000 ? iters : 1000;
  std::vector<double> res;
  res.reserve(static_cast<size_t>(iters / chunk) * chunk);
  std::vector<double> sample(xs.size());
  for (int i = 0; i < iters / chunk; ++i) {
    PyRandom rnd(static_cast<uint64_t>(i));
    for (int r = 0; r < chunk; ++r) {
      for (double& s : sample) s = xs[rnd.ChoiceIndex(xs.size())];
      res.push_back(f(sample));
    }
  }
  const double out = SampleStddev(res);
  if (replicates) *replicates = std::move(res);
  return out;
}

}  // namespace bitnet::evals
