#pragma once
// The TQ2_0 / TQ1_0 GEMM driver shared by tq_neon.cc (armv8-a) and tq_neon_dotprod.cc
// (armv8.2-a+dotprod); each includes it under its own -march, so the code here uses only baseline
// ASIMD and the per-ISA dot product comes in as a template (DotOf<T>::Run).
//
// A row's blocks are decoded into signed bytes w = code - 1 (TQ2_0's unused code 3 reads as +2,
// like the reference) kSegBlocks blocks at a time, once per group of up to kTokGroup tokens; then
// every (token, block) integer sum is exact (int32, see the Dot implementations) and is added to y
// in block order as ref::GemmTernaryBlocks does (acc += d_b * float(s_b), starting from 0), so the
// results equal the reference whenever the reference's own float operations are the same (always
// for power-of-two scales; the tests' stated tolerance otherwise).
#include <arm_neon.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "kernels/quant_types.h"

namespace bitnet::arm_tq {
namespace {  // NOLINT: one copy per ISA translation unit (each has its own -march), on purpose

constexpr int kTQ = 256;             // values per block
constexpr int64_t kSegBlocks = 16;   // blocks decoded at once (4 KiB of signed codes)
constexpr int64_t kTokGroup = 16;    // tokens sharing one decode (their q: 16 x 4 KiB per segment)
constexpr int kTokTile = 4;          // tokens sharing one load of decoded weights

// TQ2_0 (66 bytes: qs[64], fp16 d): within 128-value chunk c, value 32n + m is bits 2n..2n+1 of
// qs[32c + m]. Writes 256 signed values w = code - 1.
inline void DecodeTQ2(const uint8_t* src, int8_t* out) {
  const uint8x16_t mask = vdupq_n_u8(3);
  const int8x16_t one = vdupq_n_s8(1);
  for (int c = 0; c < 2; ++c)
    for (int h = 0; h < 2; ++h) {
      const uint8x16_t W = vld1q_u8(src + 32 * c + 16 * h);
      int8_t* o = out + 128 * c + 16 * h;
      vst1q_s8(o, vsubq_s8(vreinterpretq_s8_u8(vandq_u8(W, mask)), one));
      vst1q_s8(o + 32, vsubq_s8(vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(W, 2), mask)), one));
      vst1q_s8(o + 64, vsubq_s8(vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(W, 4), mask)), one));
      vst1q_s8(o + 96, vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(W, 6)), one));
    }
}

// Signed trits (-1..1) of 16 bytes, each already multiplied (mod 256) by 3^n: the top trit of
// v is (v * 3) >> 8, as ref::TritAt.
inline int8x16_t TopTrits(uint8x16_t v) {
  const uint8x8_t three = vdup_n_u8(3);
  const uint8x16_t t = vcombine_u8(vshrn_n_u16(vmull_u8(vget_low_u8(v), three), 8),
                                   vshrn_n_u16(vmull_high_u8(v, vdupq_n_u8(3)), 8));
  return vsubq_s8(vreinterpretq_s8_u8(t), vdupq_n_s8(1));
}

// TQ1_0 (54 bytes: qs[48], qh[4], fp16 d): value 32n + m is trit n of qs[m] (m < 32), value
// 160 + 16n + m trit n of qs[32 + m], value 240 + 4n + j trit n of qh[j] (see ternary_codes.h).
inline void DecodeTQ1(const uint8_t* src, int8_t* out) {
  static constexpr uint8_t kPow3[5] = {1, 3, 9, 27, 81};
  const uint8x16_t a = vld1q_u8(src), b = vld1q_u8(src + 16), c = vld1q_u8(src + 32);
  for (int n = 0; n < 5; ++n) {
    const uint8x16_t p = vdupq_n_u8(kPow3[n]);
    vst1q_s8(out + 32 * n, TopTrits(vmulq_u8(a, p)));
    vst1q_s8(out + 32 * n + 16, TopTrits(vmulq_u8(b, p)));
    vst1q_s8(out + 160 + 16 * n, TopTrits(vmulq_u8(c, p)));
  }
  // qh: lane 4n + j holds qh[j] * 3^n.
  uint32_t qh;
  std::memcpy(&qh, src + 48, 4);
  static const uint8_t kPowLanes[16] = {1, 1, 1, 1, 3, 3, 3, 3, 9, 9, 9, 9, 27, 27, 27, 27};
  const uint8x16_t rep = vreinterpretq_u8_u32(vdupq_n_u32(qh));
  vst1q_s8(out + 240, TopTrits(vmulq_u8(rep, vld1q_u8(kPowLanes))));
}

inline float ScaleAt(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return Fp16ToFp32(h);
}

// y[t][r] for tokens [t0, t0 + tn): DotOf<T>::Run(codes, q, k, sums) writes sums[t] =
// sum_{i<256} codes[i] * q[t*k + i] (exact int32) for T tokens.
template <int kBytes, int kScaleAt, void (*Decode)(const uint8_t*, int8_t*), template <int> class DotOf>
void GemmTQ(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m, float* y,
            int64_t ldy) {
  const int64_t nb = k / kTQ;
  alignas(16) int8_t codes[kSegBlocks * kTQ];
  float d[kSegBlocks];
  int32_t sums[kTokGroup][kSegBlocks];
  for (int64_t t0 = 0; t0 < m; t0 += kTokGroup) {
    const int64_t tn = std::min(kTokGroup, m - t0);
    for (int64_t b0 = 0; b0 < nb; b0 += kSegBlocks) {
      const int64_t bn = std::min(kSegBlocks, nb - b0);
      for (int64_t r = r0; r < r1; ++r) {
        const uint8_t* wb = w + (r * nb + b0) * kBytes;
        for (int64_t b = 0; b < bn; ++b) {
          Decode(wb + b * kBytes, codes + kTQ * b);
          d[b] = ScaleAt(wb + b * kBytes + kScaleAt);
        }
        const int8_t* qg = q + t0 * k + b0 * kTQ;
        for (int64_t t = 0; t < tn; t += kTokTile) {
          int32_t s[kTokTile];
          const int8_t* qt = qg + t * k;
          for (int64_t b = 0; b < bn; ++b) {
            switch (std::min<int64_t>(kTokTile, tn - t)) {
              case 4: DotOf<4>::Run(codes + kTQ * b, qt + kTQ * b, k, s); break;
              case 3: DotOf<3>::Run(codes + kTQ * b, qt + kTQ * b, k, s); break;
              case 2: DotOf<2>::Run(codes + kTQ * b, qt + kTQ * b, k, s); break;
              default: DotOf<1>::Run(codes + kTQ * b, qt + kTQ * b, k, s); break;
            }
            for (int64_t j = 0; j < std::min<int64_t>(kTokTile, tn - t); ++j) sums[t + j][b] = s[j];
          }
        }
        for (int64_t t = 0; t < tn; ++t) {
          float* yt = y + (t0 + t) * ldy + r;
          float acc = b0 == 0 ? 0.0f : *yt;
          for (int64_t b = 0; b < bn; ++b) acc += d[b] * static_cast<float>(sums[t][b]);
          *yt = acc;
        }
      }
    }
  }
}

}  // namespace
}  // namespace bitnet::arm_tq
