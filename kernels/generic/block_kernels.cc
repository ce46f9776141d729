#include "kernels/generic/block_kernels.h"

#include <algorithm>
#include <cmath>

#include "kernels/generic/block_codes.h"
#include "kernels/quant_types.h"

namespace bitnet::ref {
namespace {

template <int kBlock, int kBytes, void (*Decode)(const uint8_t*, int16_t*, float*, float*)>
void GemmBlocks(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                int64_t m, float* y, int64_t ldy) {
  constexpr int kSubs = kBlock / kSubBlock;
  const int64_t nb = k / kBlock, nq = k / kSubBlock;
  int16_t v[kBlock];
  float scale[kSubs], offset[kSubs];
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* wr = w + r * nb * kBytes;
    for (int64_t t = 0; t < m; ++t) y[t * ldy + r] = 0.0f;
    for (int64_t b = 0; b < nb; ++b) {
      Decode(wr + b * kBytes, v, scale, offset);
      for (int64_t t = 0; t < m; ++t) {
        const int8_t* qt = q + t * k + b * kBlock;
        const float* dt = qd + t * nq + b * kSubs;
        float acc = 0.0f;
        for (int s = 0; s < kSubs; ++s) {
          int32_t isum = 0, qsum = 0;
          for (int i = 0; i < kSubBlock; ++i) {
            isum += v[s * kSubBlock + i] * qt[s * kSubBlock + i];
            qsum += qt[s * kSubBlock + i];
          }
          acc += dt[s] * (scale[s] * static_cast<float>(isum) - offset[s] * static_cast<float>(qsum));
        }
        y[t * ldy + r] += acc;
      }
    }
  }
}

}  // namespace

void QuantizeRowsQ8_32(const float* x, int64_t m, int64_t k, int8_t* q, float* d) {
  const int64_t nq = k / kSubBlock;
  for (int64_t t = 0; t < m; ++t)
    for (int64_t b = 0; b < nq; ++b) {
      const float* xb = x + t * k + b * kSubBlock;
      float amax = 0.0f;
      for (int i = 0; i < kSubBlock; ++i) amax = std::max(amax, std::fabs(xb[i]));
      const float db = amax / 127.0f;
      const float id = db != 0.0f ? 1.0f / db : 0.0f;
      int8_t* qb = q + t * k + b * kSubBlock;
      for (int i = 0; i < kSubBlock; ++i) qb[i] = static_cast<int8_t>(std::round(xb[i] * id));
      d[t * nq + b] = db;
    }
}

void GemmBF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
              float* y, int64_t ldy) {
  constexpr int64_t kChunk = 256;
  float wf[kChunk];
  for (int64_t r = r0; r < r1; ++r) {
    for (int64_t t = 0; t < m; ++t) y[t * ldy + r] = 0.0f;
    for (int64_t c = 0; c < k; c += kChunk) {
      const int64_t n = std::min(kChunk, k - c);
      for (int64_t i = 0; i < n; ++i) wf[i] = Bf16ToFp32(w[r * k + c + i]);
      for (int64_t t = 0; t < m; ++t) {
        const float* xt = x + t * k + c;
        float acc = 0.0f;
        for (int64_t i = 0; i < n; ++i) acc += wf[i] * xt[i];
        y[t * ldy + r] += acc;
      }
    }
  }
}

void GemmQ8_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy) {
  GemmBlocks<kQ8Block, kQ8BlockBytes, DecodeQ8_0Block>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy) {
  GemmBlocks<kQ4_0Block, kQ4_0BlockBytes, DecodeQ4_0Block>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy) {
  GemmBlocks<kQKBlock, kQ4KBlockBytes, DecodeQ4KBlock>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ6_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy) {
  GemmBlocks<kQKBlock, kQ6KBlockBytes, DecodeQ6KBlock>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ1_0_g128(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                   int64_t m, float* y, int64_t ldy) {
  GemmBlocks<kQ1Block, kQ1BlockBytes, DecodeQ1_0_g128Block>(w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace bitnet::ref
