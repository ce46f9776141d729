#pragma once
// Token selection from logits: greedy, or temperature with optional top-k and top-p, from a
// seeded generator (the same seed and logits give the same tokens on every machine).
#include <cstdint>
#include <random>
#include <vector>

namespace bitnet {

struct SamplingParams {
  float temperature = 0.0f;  // <= 0: greedy
  int32_t top_k = 0;         // 0: off
  float top_p = 1.0f;        // 1: off
  uint64_t seed = 0;
};

class Sampler {
 public:
  explicit Sampler(const SamplingParams& p);
  int32_t Sample(const float* logits, int64_t n_vocab);
  const SamplingParams& params() const { return p_; }

 private:
  double Uniform();  // in [0, 1), from the 64-bit generator, independent of libstdc++'s distributions
  SamplingParams p_;
  std::mt19937_64 rng_;
  std::vector<std::pair<float, int32_t>> cand_;
};

// Index of the largest logit (the lowest index among equal maxima).
int32_t Argmax(const float* logits, int64_t n);

// log softmax(logits)[id], computed in double.
double LogProb(const float* logits, int64_t n, int32_t id);

}  // namespace bitnet
