#include "evals/core/cpython_random.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

namespace bitnet::evals {
namespace {

constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;

int BitLength(uint64_t n) {
  int k = 0;
  while (n) {
    ++k;
    n >>= 1;
  }
  return k;
}

}  // namespace

CPythonRandom::CPythonRandom(int64_t seed) {
  // |seed| as an unsigned magnitude (INT64_MIN included), split into 32-bit words.
  uint64_t mag = seed < 0 ? (~static_cast<uint64_t>(seed) + 1) : static_cast<uint64_t>(seed);
  std::vector<uint32_t> key;
  do {
    key.push_back(static_cast<uint32_t>(mag & 0xffffffffU));
    mag >>= 32;
  } while (mag);
  InitByArray(key);
}

void CPythonRandom::InitGenrand(uint32_t s) {
  mt_[0] = s;
  for (int i = 1; i < kN; ++i) {
    mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<uint32_t>(i);
  }
  mti_ = kN;
}

void CPythonRandom::InitByArray(const std::vector<uint32_t>& key) {
  InitGenrand(19650218U);
  const size_t key_length = key.size();
  size_t i = 1, j = 0;
  for (size_t k = std::max<size_t>(kN, key_length); k; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] + static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= static_cast<size_t>(kN)) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (size_t k = kN - 1; k; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= static_cast<size_t>(kN)) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;  // MSB is 1: a non-zero initial array
  mti_ = kN;
}

uint32_t CPythonRandom::NextU32() {
  static constexpr uint32_t kMag01[2] = {0U, kMatrixA};
  if (mti_ >= kN) {
    int kk = 0;
    for (; kk < kN - kM; ++kk) {
      uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + kM] ^ (y >> 1) ^ kMag01[y & 1U];
    }
    for (; kk < kN - 1; ++kk) {
      uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + (kM - kN)] ^ (y >> 1) ^ kMag01[y & 1U];
    }
    uint32_t y = (mt_[kN - 1] & kUpperMask) | (mt_[0] & kLowerMask);
    mt_[kN - 1] = mt_[kM - 1] ^ (y >> 1) ^ kMag01[y & 1U];
    mti_ = 0;
  }
  uint32_t y = mt_[mti_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

double CPythonRandom::Random() {
  uint32_t a = NextU32() >> 5, b = NextU32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

uint64_t CPythonRandom::GetRandBits(int k) {
  if (k < 0 || k > 64) throw std::invalid_argument("GetRandBits: k must be in [0, 64]");
  if (k == 0) return 0;
  if (k <= 32) return NextU32() >> (32 - k);
  // Words are filled least significant first; the last (most significant) word is truncated.
  uint64_t low = NextU32();
  uint64_t high = NextU32() >> (64 - k);
  return low | (high << 32);
}

uint64_t CPythonRandom::RandBelow(uint64_t n) {
  if (n == 0) throw std::invalid_argument("RandBelow: n must be > 0");
  const int k = BitLength(n);
  uint64_t r = GetRandBits(k);
  while (r >= n) r = GetRandBits(k);
  return r;
}

std::vector<size_t> CPythonRandom::ShuffledIndices(size_t n) {
  std::vector<size_t> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = i;
  Shuffle(x);
  return x;
}

std::vector<size_t> CPythonRandom::Sample(size_t n, size_t k) {
  if (k > n) throw std::invalid_argument("Sample larger than population or is negative");
  std::vector<size_t> result(k);
  // setsize = 21 (+ 4 ** ceil(log(3k, 4)) when k > 5), computed in floating point like CPython.
  size_t setsize = 21;
  if (k > 5) setsize += static_cast<size_t>(std::pow(4.0, std::ceil(std::log(k * 3.0) / std::log(4.0))));
  if (n <= setsize) {
    std::vector<size_t> pool(n);
    for (size_t i = 0; i < n; ++i) pool[i] = i;
    for (size_t i = 0; i < k; ++i) {
      size_t j = static_cast<size_t>(RandBelow(n - i));
      result[i] = pool[j];
      pool[j] = pool[n - i - 1];
    }
  } else {
    std::unordered_set<size_t> selected;
    for (size_t i = 0; i < k; ++i) {
      size_t j = static_cast<size_t>(RandBelow(n));
      while (selected.count(j)) j = static_cast<size_t>(RandBelow(n));
      selected.insert(j);
      result[i] = j;
    }
  }
  return result;
}

}  // namespace bitnet::evals
