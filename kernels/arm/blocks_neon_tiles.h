#pragma once
// The prefill (many-token) path of the block formats on NEON, shared by blocks_neon.cc (armv8-a,
// widening multiplies) and blocks_neon_dotprod.cc (SDOT); each includes it under its own -march
// and passes its integer dot product as Dot (see NeonDot32 / the SDOT one).
//
// kPanelRows rows x kPanelSubs sub-blocks are decoded once into signed bytes with per-32 float
// scale/offset (kernels/generic/block_panels.h), then every token reads them from L1 in register
// tiles of R rows x T tokens: per (row, token, sub-block) four exact int32 lanes (Dot), converted
// and accumulated in float with scale_s * d_s; the offset formats (Q4_K) subtract
// sum_s offset_s * d_s * sum(q_s) per segment. Integer sums exact, float order differs from the
// reference (stated tolerance).
#include <arm_neon.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/generic/block_panels.h"

namespace bitnet::arm_blocks {
namespace {  // NOLINT: one copy per ISA translation unit (each has its own -march), on purpose

constexpr int kPanelRows = 4;       // rows decoded together (= register tile rows)
constexpr int kPanelTokens = 2;     // tokens per register tile
constexpr int64_t kPanelSubs = 64;  // sub-blocks per segment (2048 weights per row)

struct Panel {
  alignas(16) int8_t w[kPanelRows][kPanelSubs * 32];
  float scale[kPanelRows][kPanelSubs];
  float offset[kPanelRows][kPanelSubs];
  int16_t sc16[kPanelRows][kPanelSubs * 2];
};

// Baseline ASIMD: sum of w*q over 32 bytes as 4 int32 lanes (vmull/vmlal: two products per int16
// lane, |w q| <= 128 * 127, so <= 32512; vpaddl/vpadal widen). With per-16 scales (Q6_K) the two
// halves are scaled in int32 (|16 products| * 128 < 2^31).
template <bool kSub16>
inline int32x4_t NeonDot32(int8x16_t w0, int8x16_t w1, int8x16_t q0, int8x16_t q1, int32_t sa, int32_t sb) {
  int16x8_t p0 = vmull_s8(vget_low_s8(w0), vget_low_s8(q0));
  p0 = vmlal_high_s8(p0, w0, q0);
  int16x8_t p1 = vmull_s8(vget_low_s8(w1), vget_low_s8(q1));
  p1 = vmlal_high_s8(p1, w1, q1);
  if constexpr (kSub16) return vmlaq_n_s32(vmulq_n_s32(vpaddlq_s16(p0), sa), vpaddlq_s16(p1), sb);
  return vpadalq_s16(vpaddlq_s16(p0), p1);
}

// A panel row of sub-blocks [s0, s0 + ns): Q8_0, Q4_0 and Q1_0_g128 with vector ops (their scalar
// loops, the Q1 bit loop above all, cost more than the dot products at 4..16 tokens), the others
// through block_panels.h.
template <class F>
inline void DecodePanelRow(const uint8_t* row, int64_t s0, int64_t ns, int8_t* w, float* scale, float* offset,
                           int16_t* sc16) {
  if constexpr (std::is_same_v<F, panel::Q8_0>) {
    for (int64_t s = 0; s < ns; ++s) {
      const uint8_t* b = row + (s0 + s) * F::kBytes;
      scale[s] = panel::LoadHalf(b);
      vst1q_u8(reinterpret_cast<uint8_t*>(w) + 32 * s, vld1q_u8(b + 2));
      vst1q_u8(reinterpret_cast<uint8_t*>(w) + 32 * s + 16, vld1q_u8(b + 18));
    }
  } else if constexpr (std::is_same_v<F, panel::Q4_0>) {
    for (int64_t s = 0; s < ns; ++s) {
      const uint8_t* b = row + (s0 + s) * F::kBytes;
      scale[s] = panel::LoadHalf(b);
      const uint8x16_t bytes = vld1q_u8(b + 2);
      vst1q_s8(w + 32 * s, vsubq_s8(vreinterpretq_s8_u8(vandq_u8(bytes, vdupq_n_u8(0x0f))), vdupq_n_s8(8)));
      vst1q_s8(w + 32 * s + 16, vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(bytes, 4)), vdupq_n_s8(8)));
    }
  } else if constexpr (std::is_same_v<F, panel::Q1_0_g128>) {
    static const uint8_t kBits[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    const uint8x16_t bits = vld1q_u8(kBits);
    for (int64_t s = 0; s < ns; ++s) {
      const uint8_t* b = row + (s0 + s) / 4 * F::kBytes;
      const uint8_t* qb = b + 2 + 4 * ((s0 + s) % 4);
      scale[s] = panel::LoadHalf(b);
      for (int h = 0; h < 2; ++h) {  // 16 bits -> 16 bytes of +1 (set) / -1 (clear)
        const uint8x16_t set = vtstq_u8(vcombine_u8(vdup_n_u8(qb[2 * h]), vdup_n_u8(qb[2 * h + 1])), bits);
        vst1q_s8(w + 32 * s + 16 * h, vorrq_s8(vreinterpretq_s8_u8(vmvnq_u8(set)), vdupq_n_s8(1)));
      }
    }
  } else {
    panel::DecodeRow<F>(row, s0, ns, w, scale, offset, sc16);
  }
}

template <class F, int R, int T, int32x4_t (*Dot)(int8x16_t, int8x16_t, int8x16_t, int8x16_t, int32_t, int32_t)>
void PanelTile(const Panel& p, int64_t ns, const int8_t* q, int64_t k, const float* qd, int64_t nq, float* y,
               int64_t ldy, bool first) {
  float32x4_t acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = vdupq_n_f32(0.0f);
  for (int64_t s = 0; s < ns; ++s) {
    int8x16_t q0[T], q1[T];
    for (int t = 0; t < T; ++t) {
      q0[t] = vld1q_s8(q + t * k + 32 * s);
      q1[t] = vld1q_s8(q + t * k + 32 * s + 16);
    }
    for (int r = 0; r < R; ++r) {
      const int8x16_t w0 = vld1q_s8(p.w[r] + 32 * s), w1 = vld1q_s8(p.w[r] + 32 * s + 16);
      const int32_t sa = p.sc16[r][2 * s], sb = p.sc16[r][2 * s + 1];
      for (int t = 0; t < T; ++t) {
        const int32x4_t isum = Dot(w0, w1, q0[t], q1[t], sa, sb);
        acc[r][t] = vfmaq_n_f32(acc[r][t], vcvtq_f32_s32(isum), p.scale[r][s] * qd[t * nq + s]);
      }
    }
  }
  for (int t = 0; t < T; ++t) {
    float qterm[kPanelSubs];  // d_s * sum q over sub-block s (offset formats only)
    if constexpr (F::kHasOffset)
      for (int64_t s = 0; s < ns; ++s) {
        const int8_t* qs = q + t * k + 32 * s;
        const int32_t sum = vaddlvq_s8(vld1q_s8(qs)) + vaddlvq_s8(vld1q_s8(qs + 16));
        qterm[s] = qd[t * nq + s] * static_cast<float>(sum);
      }
    for (int r = 0; r < R; ++r) {
      float v = vaddvq_f32(acc[r][t]);
      if constexpr (F::kHasOffset) {
        float off = 0.0f;
        for (int64_t s = 0; s < ns; ++s) off += p.offset[r][s] * qterm[s];
        v -= off;
      }
      float* yo = y + t * ldy + r;
      *yo = first ? v : *yo + v;
    }
  }
}

template <class F, int R, int32x4_t (*Dot)(int8x16_t, int8x16_t, int8x16_t, int8x16_t, int32_t, int32_t)>
void PanelTokens(const Panel& p, int64_t ns, const int8_t* q, int64_t k, const float* qd, int64_t nq, int64_t m,
                 float* y, int64_t ldy, bool first) {
  int64_t t = 0;
  for (; t + kPanelTokens <= m; t += kPanelTokens)
    PanelTile<F, R, kPanelTokens, Dot>(p, ns, q + t * k, k, qd + t * nq, nq, y + t * ldy, ldy, first);
  for (; t < m; ++t) PanelTile<F, R, 1, Dot>(p, ns, q + t * k, k, qd + t * nq, nq, y + t * ldy, ldy, first);
}

// y[t][r] for rows [r0, r1) and all m tokens; F is a panel:: format, DotOf<kSub16>::Run the ISA's
// 32-byte integer dot product.
template <class F, template <bool> class DotOf>
void GemmPanels(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
                float* y, int64_t ldy) {
  constexpr auto Dot = DotOf<F::kHasSub16>::Run;
  const int64_t nq = k / 32, row_bytes = k / F::kBlock * F::kBytes;
  Panel p;
  for (int r = 0; r < kPanelRows; ++r)
    for (int64_t i = 0; i < 2 * kPanelSubs; ++i) p.sc16[r][i] = 1;
  for (int64_t rb = r0; rb < r1; rb += kPanelRows) {
    const int nr = static_cast<int>(std::min<int64_t>(kPanelRows, r1 - rb));
    for (int64_t s0 = 0; s0 < nq; s0 += kPanelSubs) {
      const int64_t ns = std::min(kPanelSubs, nq - s0);
      for (int r = 0; r < nr; ++r)
        DecodePanelRow<F>(w + (rb + r) * row_bytes, s0, ns, p.w[r], p.scale[r], p.offset[r], p.sc16[r]);
      const int8_t* qs = q + 32 * s0;
      const float* ds = qd + s0;
      float* yr = y + rb;
      switch (nr) {
        case 4: PanelTokens<F, 4, Dot>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
        case 3: PanelTokens<F, 3, Dot>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
        case 2: PanelTokens<F, 2, Dot>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
        default: PanelTokens<F, 1, Dot>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
      }
    }
  }
}

template <bool kSub16>
struct NeonDot {
  static int32x4_t Run(int8x16_t w0, int8x16_t w1, int8x16_t q0, int8x16_t q1, int32_t sa, int32_t sb) {
    return NeonDot32<kSub16>(w0, w1, q0, q1, sa, sb);
  }
};

}  // namespace
}  // namespace bitnet::arm_blocks
