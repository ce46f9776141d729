#pragma once
// The prefill (many-token) path of the block formats on x86 (Q8_0, Q4_0, Q4_K, Q6_K, Q1_0_g128
// times q8_32 activations), shared by blocks_avx2.cc (maddubs + madd) and blocks_avx512.cc
// (VNNI vpdpbusd); each includes it under its own flags and passes its integer dot products as
// Ops (Signed(|w|, w, q), Sub16(|w|, w, q, int16 scales), Unsigned(u, q): eight exact int32 sums
// of 32 bytes).
// Header-only with internal linkage: one copy per ISA translation unit.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/generic/block_panels.h"

namespace bitnet::x86_blocks {
namespace {  // NOLINT: one copy per ISA translation unit, on purpose

inline float HalfAt(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return _cvtsh_ss(h);
}

inline float HorizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline __m256i Load32(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// 32 bits (LSB first) -> 32 bytes of +1 (bit set) / -1 (bit clear).
inline __m256i SignsFromBits(const uint8_t* p) {
  uint32_t bits;
  std::memcpy(&bits, p, 4);
  const __m256i rep = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)),
                                          _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2,
                                                           2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
  const __m256i mask = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  const __m256i clear = _mm256_cmpeq_epi8(_mm256_and_si256(rep, mask), _mm256_setzero_si256());
  return _mm256_or_si256(clear, _mm256_set1_epi8(1));  // clear: 0xff | 1 = -1; set: 0 | 1 = +1
}

// ---- Decoded panels (kernels/generic/block_panels.h) ----
// kPanelRows rows x kPanelSubs sub-blocks are decoded once into signed bytes (and |w|), then every
// token tile reads them from L1: per (row, token, sub-block) Ops give eight exact int32 sums of
// |w| * sign(q, w) (|w| <= 128, |q| <= 127 as quantize_rows_q8_32 writes, so sign(q, w) never
// wraps), converted and accumulated in float with scale_s * d_s. The float order differs from the
// reference (stated tolerance), the integer sums are exact.
constexpr int kPanelRows = 4;     // rows decoded together (= register tile rows)
constexpr int kPanelTokens = 2;   // tokens per register tile
constexpr int64_t kPanelSubs = 64;  // sub-blocks per segment (2048 weights per row)

struct Panel {
  alignas(32) int8_t w[kPanelRows][kPanelSubs * 32];
  alignas(32) int8_t absw[kPanelRows][kPanelSubs * 32];
  float scale[kPanelRows][kPanelSubs];
  float offset[kPanelRows][kPanelSubs];
  int16_t sc16[kPanelRows][kPanelSubs * 2];
};

// acc[r][t] += sum over sub-blocks of the panel's rows x tokens, then y (+)= horizontal sums.
// Signed weights: Ops::Signed(|w|, w, q) (Q6_K: Ops::Sub16 with its per-16 scales). The offset format (Q4_K) has weights 0..15:
// Ops::Unsigned(w, q) directly, and its offset term offset_s * d_s * sum(q_s) is subtracted in the
// same loop (sum(q_s) = Ops::Unsigned(1, q), shared by the rows).
template <class F, class Ops, int R, int T>
void PanelTile(const Panel& p, int64_t ns, const int8_t* q, int64_t k, const float* qd, int64_t nq,
               float* y, int64_t ldy, bool first) {
  float sd[R][T][kPanelSubs];  // scale_s of the row times d_s of the token, broadcast from memory below
  float od[F::kHasOffset ? R : 1][T][kPanelSubs];  // offset_s times d_s
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t)
      for (int64_t s = 0; s < ns; ++s) {
        sd[r][t][s] = p.scale[r][s] * qd[t * nq + s];
        if constexpr (F::kHasOffset) od[r][t][s] = p.offset[r][s] * qd[t * nq + s];
      }
  __m256 acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = _mm256_setzero_ps();
  const __m256i ones16 = _mm256_set1_epi16(1);
  for (int64_t s = 0; s < ns; ++s) {
    __m256i qv[T];
    __m256 qsum[T];
    for (int t = 0; t < T; ++t) {
      qv[t] = Load32(q + t * k + 32 * s);
      if constexpr (F::kHasOffset)
        qsum[t] = _mm256_cvtepi32_ps(Ops::Unsigned(_mm256_set1_epi8(1), qv[t]));
    }
    for (int r = 0; r < R; ++r) {
      const __m256i sw = _mm256_load_si256(reinterpret_cast<const __m256i*>(p.w[r] + 32 * s));
      if constexpr (F::kHasOffset) {
        for (int t = 0; t < T; ++t) {
          const __m256i isum = Ops::Unsigned(sw, qv[t]);
          acc[r][t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_broadcast_ss(&sd[r][t][s]), acc[r][t]);
          acc[r][t] = _mm256_fnmadd_ps(qsum[t], _mm256_broadcast_ss(&od[r][t][s]), acc[r][t]);
        }
        continue;
      }
      const __m256i aw = _mm256_load_si256(reinterpret_cast<const __m256i*>(p.absw[r] + 32 * s));
      __m256i scl = ones16;
      if constexpr (F::kHasSub16)
        scl = _mm256_set_m128i(_mm_set1_epi16(p.sc16[r][2 * s + 1]), _mm_set1_epi16(p.sc16[r][2 * s]));
      for (int t = 0; t < T; ++t) {
        __m256i isum;
        if constexpr (F::kHasSub16) isum = Ops::Sub16(aw, sw, qv[t], scl);
        else isum = Ops::Signed(aw, sw, qv[t]);
        acc[r][t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_broadcast_ss(&sd[r][t][s]), acc[r][t]);
      }
    }
  }
  for (int t = 0; t < T; ++t)
    for (int r = 0; r < R; ++r) {
      const float v = HorizontalSum(acc[r][t]);
      float* yo = y + t * ldy + r;
      *yo = first ? v : *yo + v;
    }
}

template <class F, class Ops, int R>
void PanelTokens(const Panel& p, int64_t ns, const int8_t* q, int64_t k, const float* qd, int64_t nq, int64_t m,
                 float* y, int64_t ldy, bool first) {
  int64_t t = 0;
  for (; t + kPanelTokens <= m; t += kPanelTokens)
    PanelTile<F, Ops, R, kPanelTokens>(p, ns, q + t * k, k, qd + t * nq, nq, y + t * ldy, ldy, first);
  for (; t < m; ++t) PanelTile<F, Ops, R, 1>(p, ns, q + t * k, k, qd + t * nq, nq, y + t * ldy, ldy, first);
}

template <class F, class Ops>
void GemmPanels(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
                float* y, int64_t ldy) {
  const int64_t nq = k / 32, row_bytes = k / F::kBlock * F::kBytes;
  Panel p;
  for (int64_t rb = r0; rb < r1; rb += kPanelRows) {
    const int nr = static_cast<int>(std::min<int64_t>(kPanelRows, r1 - rb));
    for (int64_t s0 = 0; s0 < nq; s0 += kPanelSubs) {
      const int64_t ns = std::min(kPanelSubs, nq - s0);
      for (int r = 0; r < nr; ++r) {
        if constexpr (std::is_same_v<F, panel::Q1_0_g128>) {  // the scalar bit loop is slow: shuffles
          const uint8_t* row = w + (rb + r) * row_bytes;
          for (int64_t s = 0; s < ns; ++s) {
            const uint8_t* b = row + (s0 + s) / 4 * F::kBytes;
            p.scale[r][s] = HalfAt(b);
            _mm256_store_si256(reinterpret_cast<__m256i*>(p.w[r] + 32 * s), SignsFromBits(b + 2 + 4 * ((s0 + s) % 4)));
            _mm256_store_si256(reinterpret_cast<__m256i*>(p.absw[r] + 32 * s), _mm256_set1_epi8(1));
          }
          continue;
        }
        if constexpr (std::is_same_v<F, panel::Q4_0>) {  // nibbles with vector ops, F16C scales
          const uint8_t* row = w + (rb + r) * row_bytes;
          for (int64_t s = 0; s < ns; ++s) {
            const uint8_t* b = row + (s0 + s) * F::kBytes;
            p.scale[r][s] = HalfAt(b);
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 2));
            const __m128i lo = _mm_and_si128(bytes, _mm_set1_epi8(0x0f));
            const __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0f));
            _mm256_store_si256(reinterpret_cast<__m256i*>(p.w[r] + 32 * s),
                               _mm256_sub_epi8(_mm256_set_m128i(hi, lo), _mm256_set1_epi8(8)));
          }
        } else if constexpr (std::is_same_v<F, panel::Q8_0>) {
          const uint8_t* row = w + (rb + r) * row_bytes;
          for (int64_t s = 0; s < ns; ++s) {
            const uint8_t* b = row + (s0 + s) * F::kBytes;
            p.scale[r][s] = HalfAt(b);
            _mm256_store_si256(reinterpret_cast<__m256i*>(p.w[r] + 32 * s), Load32(b + 2));
          }
        } else {
          panel::DecodeRow<F>(w + (rb + r) * row_bytes, s0, ns, p.w[r], p.scale[r], p.offset[r], p.sc16[r]);
        }
        if constexpr (!F::kHasOffset)
          for (int64_t i = 0; i < 32 * ns; i += 32) {  // |w|: abs(-128) = 0x80, read as 128 by maddubs
            const __m256i v = _mm256_load_si256(reinterpret_cast<const __m256i*>(p.w[r] + i));
            _mm256_store_si256(reinterpret_cast<__m256i*>(p.absw[r] + i), _mm256_abs_epi8(v));
          }
      }
      const int8_t* qs = q + 32 * s0;
      const float* ds = qd + s0;
      float* yr = y + rb;
      switch (nr) {
        case 4: PanelTokens<F, Ops, 4>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
        case 3: PanelTokens<F, Ops, 3>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
        case 2: PanelTokens<F, Ops, 2>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
        default: PanelTokens<F, Ops, 1>(p, ns, qs, k, ds, nq, m, yr, ldy, s0 == 0); break;
      }
    }
  }
}

}  // namespace
}  // namespace bitnet::x86_blocks
