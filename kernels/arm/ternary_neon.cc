// AArch64 Advanced SIMD (baseline armv8-a) kernels: activation quantization, the I2_S GEMM with
// widening multiplies (vmull/vmlal_s8 -> int16, at most 2 products |w*q| <= 256 per lane before
// vpadal widens to int32: exact for any k), and the F16/F32 GEMMs. Reads the canonical 128/32
// I2_S layout (bitnet.cpp's ARM kernels assume 64/16 and misread real files).
#include <arm_neon.h>

#include <algorithm>
#include <cmath>

#include "kernels/arm/arm_kernels.h"
#include "kernels/arm/i2s_neon_tiles.h"

namespace bitnet::neon {

// Same float operations as ref::QuantizeRowsI8 (FRINTN rounds half to even): bit-identical.
void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales) {
  for (int64_t t = 0; t < m; ++t) {
    const float* row = x + t * k;
    float32x4_t m0 = vdupq_n_f32(0), m1 = vdupq_n_f32(0);
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) {
      m0 = vmaxq_f32(m0, vabsq_f32(vld1q_f32(row + i)));
      m1 = vmaxq_f32(m1, vabsq_f32(vld1q_f32(row + i + 4)));
    }
    float amax = vmaxvq_f32(vmaxq_f32(m0, m1));
    for (; i < k; ++i) amax = std::max(amax, std::fabs(row[i]));
    amax = std::max(amax, 1e-5f);
    const float s = 127.0f / amax;
    const float32x4_t lo = vdupq_n_f32(-128.0f), hi = vdupq_n_f32(127.0f);
    int8_t* out = q + t * k;
    auto conv = [&](const float* p) {
      const float32x4_t v = vrndnq_f32(vmulq_n_f32(vld1q_f32(p), s));
      return vcvtq_s32_f32(vminq_f32(vmaxq_f32(v, lo), hi));
    };
    for (i = 0; i + 8 <= k; i += 8) {
      const int16x8_t h = vcombine_s16(vqmovn_s32(conv(row + i)), vqmovn_s32(conv(row + i + 4)));
      vst1_s8(out + i, vqmovn_s16(h));
    }
    for (; i < k; ++i)
      out[i] = static_cast<int8_t>(std::clamp(std::nearbyint(row[i] * s), -128.0f, 127.0f));
    scales[t] = s;
  }
}

namespace {

template <int T>
struct DotMull {
  static void Run(const uint8_t* wr, int64_t b0, int64_t b1, const int8_t* q, int64_t k,
                  int32x4_t* acc) {
    int8x16_t wv[4][2];
    for (int64_t b = b0; b < b1; ++b) {
      arm_tiles::DecodeI2SBlock(wr + 32 * b, wv);
      const int8_t* qb = q + 128 * b;
      for (int t = 0; t < T; ++t)
        for (int n = 0; n < 4; ++n)
          for (int h = 0; h < 2; ++h) {
            const int8x16_t qv = vld1q_s8(qb + t * k + 32 * n + 16 * h);
            int16x8_t p = vmull_s8(vget_low_s8(wv[n][h]), vget_low_s8(qv));
            p = vmlal_high_s8(p, wv[n][h], qv);
            acc[t] = vpadalq_s16(acc[t], p);
          }
    }
  }
};

}  // namespace

void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy) {
  arm_tiles::GemmI2S<DotMull>(w, k, r0, r1, q, m, y, ldy);
}

// F16 / F32: 4 FMA chains per dot; F16 rows are widened (FCVTL) into a float buffer once per
// chunk and reused by every token. Summation order differs from the reference.
namespace {

float Dot(const float* w, const float* x, int64_t n) {
  float32x4_t a0 = vdupq_n_f32(0), a1 = a0, a2 = a0, a3 = a0;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = vfmaq_f32(a0, vld1q_f32(w + i), vld1q_f32(x + i));
    a1 = vfmaq_f32(a1, vld1q_f32(w + i + 4), vld1q_f32(x + i + 4));
    a2 = vfmaq_f32(a2, vld1q_f32(w + i + 8), vld1q_f32(x + i + 8));
    a3 = vfmaq_f32(a3, vld1q_f32(w + i + 12), vld1q_f32(x + i + 12));
  }
  for (; i + 4 <= n; i += 4) a0 = vfmaq_f32(a0, vld1q_f32(w + i), vld1q_f32(x + i));
  float s = vaddvq_f32(vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
  for (; i < n; ++i) s += w[i] * x[i];
  return s;
}

void WidenF16(const uint16_t* src, float* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const float16x8_t h = vreinterpretq_f16_u16(vld1q_u16(src + i));
    vst1q_f32(dst + i, vcvt_f32_f16(vget_low_f16(h)));
    vst1q_f32(dst + i + 4, vcvt_high_f32_f16(h));
  }
  for (; i < n; ++i) {
    const float16x4_t h = vreinterpret_f16_u16(vdup_n_u16(src[i]));
    dst[i] = vgetq_lane_f32(vcvt_f32_f16(h), 0);
  }
}

template <typename W>
void GemmFloat(const W* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m, float* y,
               int64_t ldy) {
  constexpr int64_t kChunk = 1024;
  float buf[kChunk];
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t c = 0; c < k; c += kChunk) {
      const int64_t n = std::min(kChunk, k - c);
      const float* wr;
      if constexpr (sizeof(W) == 2) {
        WidenF16(w + r * k + c, buf, n);
        wr = buf;
      } else {
        wr = w + r * k + c;
      }
      for (int64_t t = 0; t < m; ++t) {
        const float d = Dot(wr, x + t * k + c, n);
        y[t * ldy + r] = c == 0 ? d : y[t * ldy + r] + d;
      }
    }
}

}  // namespace

void GemmF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy) {
  GemmFloat(w, k, r0, r1, x, m, y, ldy);
}

void GemmF32(const float* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy) {
  GemmFloat(w, k, r0, r1, x, m, y, ldy);
}

float DotF32(const float* a, const float* b, int64_t n) { return Dot(a, b, n); }

void AxpyF32(float a, const float* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    vst1q_f32(y + i, vaddq_f32(vld1q_f32(y + i), vmulq_n_f32(vld1q_f32(x + i), a)));
  for (; i < n; ++i) y[i] += a * x[i];
}

}  // namespace bitnet::neon
