#pragma once
// CPython's `random.Random(seed)` for integer seeds, reproduced exactly: the same MT19937 state
// (init_by_array over the 32-bit words of |seed|), random(), getrandbits(k) for k <= 64,
// _randbelow (rejection sampling over getrandbits(bit_length(n))), shuffle() and sample().
// lm-evaluation-harness draws few-shot examples with `random.Random(1234).sample(docs, n)`, so the
// few-shot prompts only match if every draw here matches CPython's (evals/core/fewshot.h).
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace bitnet::evals {

class CPythonRandom {
 public:
  // random.Random(seed): the absolute value is split into 32-bit words, least significant first
  // (seed 0 gives the single word 0), and fed to init_by_array.
  explicit CPythonRandom(int64_t seed);

  uint32_t NextU32();              // genrand_uint32
  double Random();                 // random(): 53-bit float in [0, 1)
  uint64_t GetRandBits(int k);     // getrandbits(k), 0 <= k <= 64
  uint64_t RandBelow(uint64_t n);  // _randbelow_with_getrandbits(n), n > 0

  // shuffle(x) on indices 0..n-1: returns the permuted list.
  std::vector<size_t> ShuffledIndices(size_t n);
  template <typename T>
  void Shuffle(std::vector<T>& x) {
    for (size_t i = x.size(); i-- > 1;) {
      size_t j = static_cast<size_t>(RandBelow(i + 1));
      std::swap(x[i], x[j]);
    }
  }

  // sample(range(population_size), k): the chosen indices in the order CPython returns them.
  // Uses CPython's two branches (pool of size n when n <= setsize, else a set of picks with
  // retries), since they consume the generator differently. Throws std::invalid_argument when
  // k > population_size (CPython: "Sample larger than population or is negative").
  std::vector<size_t> Sample(size_t population_size, size_t k);

 private:
  void InitGenrand(uint32_t s);
  void InitByArray(const std::vector<uint32_t>& key);

  static constexpr int kN = 624;
  std::array<uint32_t, kN> mt_{};
  int mti_ = kN + 1;
};

}  // namespace bitnet::evals
