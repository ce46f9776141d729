#include "kernels/generic/lut_ternary.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/generic/ternary_codes.h"

namespace bitnet {

int64_t TL16PackedBytes(int64_t n_rows, int64_t k) {
  return (n_rows + kTL16Rows - 1) / kTL16Rows * kTL16Rows * (k / 4);
}

void PackI2SToTL16(const uint8_t* i2s, int64_t n_rows, int64_t k, uint8_t* out) {
  const int64_t tiles = (n_rows + kTL16Rows - 1) / kTL16Rows, groups = k / 8;
  std::vector<int8_t> w(static_cast<size_t>(k));
  std::memset(out, 0, static_cast<size_t>(TL16PackedBytes(n_rows, k)));
  for (int64_t t = 0; t < tiles; ++t) {
    uint8_t* tile = out + t * kTL16Rows * (k / 4);
    for (int r = 0; r < kTL16Rows; ++r) {
      const int64_t row = t * kTL16Rows + r;
      if (row < n_rows) {
        for (int64_t b = 0; b < k / ref::kI2SBlock; ++b)
          ref::DecodeI2SBlock(i2s + row * (k / 4) + b * ref::kI2SBlockBytes, w.data() + b * ref::kI2SBlock);
      } else {
        std::fill(w.begin(), w.end(), int8_t{0});
      }
      for (int64_t g = 0; g < groups; ++g) {
        const auto code = [&](int64_t i) { return static_cast<uint8_t>(w[static_cast<size_t>(i)] + 1); };
        for (int half = 0; half < 2; ++half) {
          const int64_t k0 = 8 * g + 4 * half;
          const uint8_t lo = static_cast<uint8_t>(code(k0) | code(k0 + 1) << 2);
          const uint8_t hi = static_cast<uint8_t>(code(k0 + 2) | code(k0 + 3) << 2);
          tile[g * 32 + 16 * half + r] = static_cast<uint8_t>(lo | hi << 4);
        }
      }
    }
  }
}

namespace ref {

void GemmTL16(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
              int32_t* y, int64_t ldy) {
  const int64_t pairs = k / 2, groups = k / 8;
  thread_local std::vector<int16_t> table;  // grows once per thread to the largest k
  if (table.size() < static_cast<size_t>(pairs) * 16) table.resize(static_cast<size_t>(pairs) * 16);
  for (int64_t t = 0; t < m; ++t) {
    const int8_t* qt = q + t * k;
    for (int64_t p = 0; p < pairs; ++p)
      for (int idx = 0; idx < 16; ++idx)  // code c reads as c - 1 (the unused 3 as +2)
        table[static_cast<size_t>(p * 16 + idx)] =
            static_cast<int16_t>(((idx & 3) - 1) * qt[2 * p] + ((idx >> 2) - 1) * qt[2 * p + 1]);
    for (int64_t r = r0; r < r1; ++r) {
      const uint8_t* tile = w + r / kTL16Rows * kTL16Rows * (k / 4);
      const int64_t rr = r % kTL16Rows;
      int32_t acc = 0;
      for (int64_t g = 0; g < groups; ++g)
        for (int half = 0; half < 2; ++half) {
          const uint8_t b = tile[g * 32 + 16 * half + rr];
          const int64_t p = 4 * g + 2 * half;
          acc += table[static_cast<size_t>(p * 16 + (b & 15))] + table[static_cast<size_t>((p + 1) * 16 + (b >> 4))];
        }
      y[t * ldy + r] = acc;
    }
  }
}

}  // namespace ref
}  // namespace bitnet
