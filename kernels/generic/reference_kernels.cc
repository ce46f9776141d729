#include "kernels/generic/reference_kernels.h"

#include <algorithm>
#include <cmath>

#include "kernels/generic/ternary_codes.h"
#include "kernels/quant_types.h"

namespace bitnet::ref {

void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales) {
  for (int64_t t = 0; t < m; ++t) {
    const float* row = x + t * k;
    float amax = 0.0f;
    for (int64_t i = 0; i < k; ++i) amax = std::max(amax, std::fabs(row[i]));
    amax = std::max(amax, 1e-5f);
    const float s = 127.0f / amax;
    int8_t* out = q + t * k;
    for (int64_t i = 0; i < k; ++i) {
      // nearbyint rounds half to even in the default rounding mode.
      const float v = std::nearbyint(row[i] * s);
      out[i] = static_cast<int8_t>(std::clamp(v, -128.0f, 127.0f));
    }
    scales[t] = s;
  }
}

void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy) {
  const int64_t row_bytes = k / 4;
  int8_t vals[kI2SBlock];
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* wr = w + r * row_bytes;
    for (int64_t t = 0; t < m; ++t) y[t * ldy + r] = 0;
    for (int64_t b = 0; b < k / kI2SBlock; ++b) {
      DecodeI2SBlock(wr + b * kI2SBlockBytes, vals);
      for (int64_t t = 0; t < m; ++t) {
        const int8_t* qt = q + t * k + b * kI2SBlock;
        int32_t acc = 0;
        for (int i = 0; i < kI2SBlock; ++i) acc += vals[i] * qt[i];
        y[t * ldy + r] += acc;
      }
    }
  }
}

namespace {

template <int kBytes, float (*Decode)(const uint8_t*, int8_t*)>
void GemmTernaryBlocks(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q,
                       int64_t m, float* y, int64_t ldy) {
  const int64_t nb = k / kTQBlock;
  int8_t vals[kTQBlock];
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* wr = w + r * nb * kBytes;
    for (int64_t t = 0; t < m; ++t) y[t * ldy + r] = 0.0f;
    for (int64_t b = 0; b < nb; ++b) {
      const float d = Decode(wr + b * kBytes, vals);
      for (int64_t t = 0; t < m; ++t) {
        const int8_t* qt = q + t * k + b * kTQBlock;
        int32_t acc = 0;
        for (int i = 0; i < kTQBlock; ++i) acc += vals[i] * qt[i];
        y[t * ldy + r] += d * static_cast<float>(acc);
      }
    }
  }
}

}  // namespace

void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  GemmTernaryBlocks<kTQ2Bytes, DecodeTQ2Block>(w, k, r0, r1, q, m, y, ldy);
}

void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  GemmTernaryBlocks<kTQ1Bytes, DecodeTQ1Block>(w, k, r0, r1, q, m, y, ldy);
}

void GemmF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy) {
  constexpr int64_t kChunk = 256;
  float wf[kChunk];
  for (int64_t r = r0; r < r1; ++r) {
    for (int64_t t = 0; t < m; ++t) y[t * ldy + r] = 0.0f;
    for (int64_t c = 0; c < k; c += kChunk) {
      const int64_t n = std::min(kChunk, k - c);
      for (int64_t i = 0; i < n; ++i) wf[i] = Fp16ToFp32(w[r * k + c + i]);
      for (int64_t t = 0; t < m; ++t) {
        const float* xt = x + t * k + c;
        float acc = 0.0f;
        for (int64_t i = 0; i < n; ++i) acc += wf[i] * xt[i];
        y[t * ldy + r] += acc;
      }
    }
  }
}

void GemmF32(const float* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* wr = w + r * k;
    for (int64_t t = 0; t < m; ++t) {
      const float* xt = x + t * k;
      float acc = 0.0f;
      for (int64_t i = 0; i < k; ++i) acc += wr[i] * xt[i];
      y[t * ldy + r] = acc;
    }
  }
}

float DotF32(const float* a, const float* b, int64_t n) {
  float acc = 0.0f;
  for (int64_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

void AxpyF32(float a, const float* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void WeightedSumF32(const float* p, int64_t n, const float* x, int64_t ldx, float* y, int64_t d) {
  for (int64_t i = 0; i < d; ++i) y[i] = 0.0f;
  for (int64_t j = 0; j < n; ++j) AxpyF32(p[j], x + j * ldx, y, d);
}

}  // namespace bitnet::ref
