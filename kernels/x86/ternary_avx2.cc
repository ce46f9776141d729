// AVX2 (+FMA, F16C) kernels. Compiled with -mavx2 -mfma -mf16c for this file only; reached
// only through the KernelTable when cpu_features_x86.cc says the CPU and the OS support them.
//
// Ternary products use unsigned codes c = w + 1 in {0,1,2(,3)}: maddubs(c, q) is exact
// (|pair| <= 2*3*128 = 768), partial sums stay in int16 for at most 8 I2_S blocks (32 maddubs,
// |sum| <= 24576 < 32767) and are then widened to int32, so nothing can wrap for any k.
// sum w*q = sum c*q - sum q; sum q comes from psadbw on q ^ 0x80.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/generic/ternary_codes.h"
#include "kernels/x86/i2s_tiling.h"
#include "kernels/x86/x86_kernels.h"

namespace bitnet::avx2 {
namespace {

inline __m256i Load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

inline int32_t HsumI32(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

inline float HsumF32(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// sum of n int8 values, n a multiple of 32: psadbw of the biased bytes.
inline int32_t SumI8(const int8_t* q, int64_t n) {
  const __m256i bias = _mm256_set1_epi8(static_cast<char>(0x80));
  __m256i acc = _mm256_setzero_si256();
  for (int64_t i = 0; i < n; i += 32)
    acc = _mm256_add_epi64(acc, _mm256_sad_epu8(_mm256_xor_si256(Load(q + i), bias),
                                                _mm256_setzero_si256()));
  __m128i s = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi64(s, _mm_unpackhi_epi64(s, s));
  return static_cast<int32_t>(_mm_cvtsi128_si64(s) - 128 * n);
}

// ---------------------------------------------------------------------------------------------
// Activation quantization: the same float operations as ref::QuantizeRowsI8 (x*s in float,
// round half to even, clamp), so the result is bit-identical.

inline float AbsMax(const float* row, int64_t k) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 m0 = _mm256_setzero_ps(), m1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= k; i += 16) {
    m0 = _mm256_max_ps(m0, _mm256_andnot_ps(sign, _mm256_loadu_ps(row + i)));
    m1 = _mm256_max_ps(m1, _mm256_andnot_ps(sign, _mm256_loadu_ps(row + i + 8)));
  }
  m0 = _mm256_max_ps(m0, m1);
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(m0), _mm256_extractf128_ps(m0, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  float amax = _mm_cvtss_f32(s);
  for (; i < k; ++i) amax = std::max(amax, std::fabs(row[i]));
  return amax;
}

inline __m256i RoundClamp8(const float* p, __m256 vs) {
  const __m256 lo = _mm256_set1_ps(-128.0f), hi = _mm256_set1_ps(127.0f);
  __m256 v = _mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(p), vs),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  return _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(v, lo), hi));
}

}  // namespace

void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales) {
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  for (int64_t t = 0; t < m; ++t) {
    const float* row = x + t * k;
    const float amax = std::max(AbsMax(row, k), 1e-5f);
    const float s = 127.0f / amax;
    const __m256 vs = _mm256_set1_ps(s);
    int8_t* out = q + t * k;
    int64_t i = 0;
    for (; i + 32 <= k; i += 32) {
      const __m256i a = _mm256_packs_epi32(RoundClamp8(row + i, vs), RoundClamp8(row + i + 8, vs));
      const __m256i b =
          _mm256_packs_epi32(RoundClamp8(row + i + 16, vs), RoundClamp8(row + i + 24, vs));
      const __m256i p = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(a, b), order);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), p);
    }
    for (; i < k; ++i)
      out[i] = static_cast<int8_t>(std::clamp(std::nearbyint(row[i] * s), -128.0f, 127.0f));
    scales[t] = s;
  }
}

// ---------------------------------------------------------------------------------------------
// I2_S. One 32-byte block holds 128 codes: (byte >> 6) & 3 are values 0..31, (>> 4) 32..63,
// (>> 2) 64..95, (>> 0) 96..127, so each shift gives 32 codes matching 32 contiguous q bytes.

namespace {

constexpr int kWidenBlocks = 8;  // I2_S blocks summed in int16 before widening (see top)
constexpr int64_t kRowTile = 16;
constexpr int kTokTile = 8;

template <int T>
inline void Slice(__m256i c, const int8_t* p, int64_t k, __m256i* acc16) {
  for (int t = 0; t < T; ++t) {
    acc16[t] = _mm256_add_epi16(acc16[t], _mm256_maddubs_epi16(c, Load(p + t * k)));
    // Keeps GCC from re-associating the sums into trees that spill accumulators to the stack.
    __asm__("" : "+x"(acc16[t]));
  }
}

// acc32[t] += sum over blocks [b0, b1) of c*q for T tokens (q rows k apart), widening every
// kWidenBlocks blocks.
template <int T>
inline void DotRowI2S(const uint8_t* wr, int64_t b0, int64_t b1, const int8_t* q, int64_t k,
                      __m256i* acc32) {
  const __m256i mask = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
  for (int64_t b = b0; b < b1;) {
    const int64_t be = std::min(b1, b + kWidenBlocks);
    __m256i acc16[T];
    for (int t = 0; t < T; ++t) acc16[t] = _mm256_setzero_si256();
    for (; b < be; ++b) {
      // One 32-code slice at a time keeps the live registers at T accumulators + 3.
      const __m256i W = Load(wr + 32 * b);
      const int8_t* qb = q + 128 * b;
      Slice<T>(_mm256_and_si256(_mm256_srli_epi16(W, 6), mask), qb, k, acc16);
      Slice<T>(_mm256_and_si256(_mm256_srli_epi16(W, 4), mask), qb + 32, k, acc16);
      Slice<T>(_mm256_and_si256(_mm256_srli_epi16(W, 2), mask), qb + 64, k, acc16);
      Slice<T>(_mm256_and_si256(W, mask), qb + 96, k, acc16);
    }
    for (int t = 0; t < T; ++t)
      acc32[t] = _mm256_add_epi32(acc32[t], _mm256_madd_epi16(acc16[t], ones));
  }
}

// Rows [rb, re) (at most kRowTile) times T tokens starting at q; y points at token 0's row.
template <int T>
void TileI2S(const uint8_t* w, int64_t k, int64_t rb, int64_t re, const int8_t* q,
             const int32_t* qsum, int32_t* y, int64_t ldy) {
  const int64_t nb = k / 128, row_bytes = k / 4;
  __m256i acc[kRowTile][T];
  for (int64_t r = 0; r < re - rb; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = _mm256_setzero_si256();
  // One token: whole rows (a plain GEMV). More: chunks of kWidenBlocks blocks so the T rows
  // of q being read stay in L1 while every row of the tile passes over them.
  const int64_t chunk = T == 1 ? nb : kWidenBlocks;
  for (int64_t kb = 0; kb < nb; kb += chunk) {
    const int64_t ke = std::min(nb, kb + chunk);
    for (int64_t r = rb; r < re; ++r) DotRowI2S<T>(w + r * row_bytes, kb, ke, q, k, acc[r - rb]);
  }
  for (int64_t r = rb; r < re; ++r)
    for (int t = 0; t < T; ++t) y[t * ldy + r] = HsumI32(acc[r - rb][t]) - qsum[t];
}

using TileI2SFn = void (*)(const uint8_t*, int64_t, int64_t, int64_t, const int8_t*,
                           const int32_t*, int32_t*, int64_t);
constexpr TileI2SFn kTileI2S[kTokTile + 1] = {nullptr,    TileI2S<1>, TileI2S<2>,
                                              TileI2S<3>, TileI2S<4>, TileI2S<5>,
                                              TileI2S<6>, TileI2S<7>, TileI2S<8>};

}  // namespace

// Many tokens (prefill): kPR rows are unpacked once per segment of at most kSegBlocks blocks into
// code bytes (one byte per value, in value order), then kPR x kPT register tiles read the codes
// from registers and q as the memory operand of vpmaddubsw. Each tile keeps its int32 partial sums
// (8 lanes per row x token) in a small per-token-group buffer across segments, so the horizontal
// sums, the activation-sum correction and the scattered stores to y happen once per tile, not once
// per segment.
namespace {

constexpr int kPR = 3;                 // rows per register tile
constexpr int kPT = 4;                 // tokens per register tile
constexpr int kTileAcc = kPR * kPT;    // int32 vectors per tile: acc[r * kPT + t]
constexpr int64_t kSegBlocks = 32;     // blocks per segment: 4 KiB of codes per row (12 KiB per tile)
constexpr int64_t kPrefillMinTokens = 8;
constexpr int64_t kMaxTokens = 256;    // tokens per call (TiledI2S hands out blocks of 256)

inline void UnpackI2S(const uint8_t* src, int64_t nblocks, uint8_t* dst) {
  const __m256i mask = _mm256_set1_epi8(3);
  for (int64_t b = 0; b < nblocks; ++b) {
    const __m256i W = Load(src + 32 * b);
    auto* d = reinterpret_cast<__m256i*>(dst + 128 * b);
    _mm256_store_si256(d, _mm256_and_si256(_mm256_srli_epi16(W, 6), mask));
    _mm256_store_si256(d + 1, _mm256_and_si256(_mm256_srli_epi16(W, 4), mask));
    _mm256_store_si256(d + 2, _mm256_and_si256(_mm256_srli_epi16(W, 2), mask));
    _mm256_store_si256(d + 3, _mm256_and_si256(W, mask));
  }
}

// acc[r * kPT + t] += 8 int32 lanes whose sum is sum over n values of codes[r][i] * q_t[i] (n a
// multiple of 128; exact: int16 for at most kWidenBlocks blocks, then int32). Edge tiles.
template <int R, int T>
void MicroI2S(const uint8_t* codes, int64_t ldc, const int8_t* q, int64_t ldq, int64_t n, __m256i* acc32) {
  const __m256i ones = _mm256_set1_epi16(1);
  for (int64_t i0 = 0; i0 < n; i0 += 128 * kWidenBlocks) {
    const int64_t i1 = std::min(n, i0 + 128 * kWidenBlocks);
    __m256i acc[R][T];
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < T; ++t) acc[r][t] = _mm256_setzero_si256();
    for (int64_t i = i0; i < i1; i += 32) {
      __m256i c[R];
#pragma GCC unroll 4
      for (int r = 0; r < R; ++r) c[r] = Load(codes + r * ldc + i);
#pragma GCC unroll 4
      for (int t = 0; t < T; ++t) {
        const __m256i qv = Load(q + t * ldq + i);
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r)
          acc[r][t] = _mm256_add_epi16(acc[r][t], _mm256_maddubs_epi16(c[r], qv));
      }
    }
    for (int r = 0; r < R; ++r)
      for (int t = 0; t < T; ++t)
        acc32[r * kPT + t] = _mm256_add_epi32(acc32[r * kPT + t], _mm256_madd_epi16(acc[r][t], ones));
  }
}

// The full 3x4 tile in inline assembly: 12 accumulators (ymm0-11), 3 code vectors (ymm12-14) and
// one product register (ymm15) are exactly the 16 ymm registers when q is the memory operand of
// vpmaddubsw (AT&T order: q signed, codes unsigned). From intrinsics GCC also keeps q in a register
// and spills an accumulator through the stack every iteration: a store-forwarding chain that made
// the loop ~1.5x slower than its bound of 12 maddubs (+12 adds) per 6 cycles.
#define BITNET_MAC(C, Q, A) \
  "vpmaddubsw (%[" Q "],%[i]), %%ymm" C ", %%ymm15\n\t" \
  "vpaddw %%ymm15, %%ymm" A ", %%ymm" A "\n\t"
#define BITNET_WIDEN(A, OFF) \
  "vpmaddwd %%ymm15, %%ymm" A ", %%ymm" A "\n\t" \
  "vpaddd " OFF "(%[acc]), %%ymm" A ", %%ymm" A "\n\t" \
  "vmovdqa %%ymm" A ", " OFF "(%[acc])\n\t"
void Micro34(const uint8_t* codes, int64_t ldc, const int8_t* q, int64_t ldq, int64_t n, __m256i* acc32) {
  const uint8_t *c0p = codes, *c1p = codes + ldc, *c2p = codes + 2 * ldc;
  const int8_t *q0p = q, *q1p = q + ldq, *q2p = q + 2 * ldq, *q3p = q + 3 * ldq;
  for (int64_t i0 = 0; i0 < n; i0 += 128 * kWidenBlocks) {
    int64_t i = i0;
    const int64_t i1 = std::min(n, i0 + 128 * kWidenBlocks);  // > i0: n is a multiple of 128
    __asm__ volatile(
        "vpxor %%xmm0, %%xmm0, %%xmm0\n\t" "vpxor %%xmm1, %%xmm1, %%xmm1\n\t"
        "vpxor %%xmm2, %%xmm2, %%xmm2\n\t" "vpxor %%xmm3, %%xmm3, %%xmm3\n\t"
        "vpxor %%xmm4, %%xmm4, %%xmm4\n\t" "vpxor %%xmm5, %%xmm5, %%xmm5\n\t"
        "vpxor %%xmm6, %%xmm6, %%xmm6\n\t" "vpxor %%xmm7, %%xmm7, %%xmm7\n\t"
        "vpxor %%xmm8, %%xmm8, %%xmm8\n\t" "vpxor %%xmm9, %%xmm9, %%xmm9\n\t"
        "vpxor %%xmm10, %%xmm10, %%xmm10\n\t" "vpxor %%xmm11, %%xmm11, %%xmm11\n\t"
        "1:\n\t"
        "vmovdqu (%[c0],%[i]), %%ymm12\n\t"
        "vmovdqu (%[c1],%[i]), %%ymm13\n\t"
        "vmovdqu (%[c2],%[i]), %%ymm14\n\t"
        BITNET_MAC("12", "q0", "0") BITNET_MAC("13", "q0", "4") BITNET_MAC("14", "q0", "8")
        BITNET_MAC("12", "q1", "1") BITNET_MAC("13", "q1", "5") BITNET_MAC("14", "q1", "9")
        BITNET_MAC("12", "q2", "2") BITNET_MAC("13", "q2", "6") BITNET_MAC("14", "q2", "10")
        BITNET_MAC("12", "q3", "3") BITNET_MAC("13", "q3", "7") BITNET_MAC("14", "q3", "11")
        "add $32, %[i]\n\t"
        "cmp %[end], %[i]\n\t"
        "jl 1b\n\t"
        // Widen: int16 pairs -> int32 (madd with ones), added to acc32 in memory.
        "vpcmpeqw %%ymm15, %%ymm15, %%ymm15\n\t"
        "vpsrlw $15, %%ymm15, %%ymm15\n\t"
        BITNET_WIDEN("0", "0") BITNET_WIDEN("1", "32") BITNET_WIDEN("2", "64")
        BITNET_WIDEN("3", "96") BITNET_WIDEN("4", "128") BITNET_WIDEN("5", "160")
        BITNET_WIDEN("6", "192") BITNET_WIDEN("7", "224") BITNET_WIDEN("8", "256")
        BITNET_WIDEN("9", "288") BITNET_WIDEN("10", "320") BITNET_WIDEN("11", "352")
        : [i] "+r"(i)
        : [c0] "r"(c0p), [c1] "r"(c1p), [c2] "r"(c2p), [q0] "r"(q0p), [q1] "r"(q1p), [q2] "r"(q2p),
          [q3] "r"(q3p), [end] "r"(i1), [acc] "r"(acc32)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
          "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
  }
}
#undef BITNET_MAC
#undef BITNET_WIDEN

using MicroFn = void (*)(const uint8_t*, int64_t, const int8_t*, int64_t, int64_t, __m256i*);
constexpr MicroFn kMicro[kPR][kPT] = {
    {MicroI2S<1, 1>, MicroI2S<1, 2>, MicroI2S<1, 3>, MicroI2S<1, 4>},
    {MicroI2S<2, 1>, MicroI2S<2, 2>, MicroI2S<2, 3>, MicroI2S<2, 4>},
    {MicroI2S<3, 1>, MicroI2S<3, 2>, MicroI2S<3, 3>, Micro34}};

// y[t][r] = hsum(acc[r * kPT + t]) - qsum[t] for R rows and T tokens of one tile: per row, the
// 4 token vectors reduce together (two rounds of hadd, then the 128-bit halves).
inline void StoreTile(const __m256i* acc, int R, int T, const int32_t* qsum, int32_t* y, int64_t ldy) {
  alignas(16) int32_t qs[kPT] = {};
  for (int t = 0; t < T; ++t) qs[t] = qsum[t];
  const __m128i qv = _mm_load_si128(reinterpret_cast<const __m128i*>(qs));
  for (int r = 0; r < R; ++r) {
    const __m256i* a = acc + r * kPT;
    const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(a[0], a[1]), _mm256_hadd_epi32(a[2], a[3]));
    const __m128i s = _mm_sub_epi32(
        _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1)), qv);
    alignas(16) int32_t out[kPT];
    _mm_store_si128(reinterpret_cast<__m128i*>(out), s);
    for (int t = 0; t < T; ++t) y[t * ldy + r] = out[t];
  }
}

void GemmI2SPrefill(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
                    const int32_t* qsum, int32_t* y, int64_t ldy) {
  const int64_t nb = k / 128, row_bytes = k / 4;
  const int64_t nseg = (nb + kSegBlocks - 1) / kSegBlocks, seg = (nb + nseg - 1) / nseg;  // even split
  const int64_t ngroups = (m + kPT - 1) / kPT;
  alignas(32) uint8_t codes[kPR][kSegBlocks * 128];
  __m256i acc[kMaxTokens / kPT][kTileAcc];  // per token group, kept across segments
  for (int64_t rb = r0; rb < r1; rb += kPR) {
    const int R = static_cast<int>(std::min<int64_t>(kPR, r1 - rb));
    for (int64_t s0 = 0; s0 < nb; s0 += seg) {
      const int64_t sn = std::min(seg, nb - s0);
      for (int r = 0; r < R; ++r) UnpackI2S(w + (rb + r) * row_bytes + 32 * s0, sn, codes[r]);
      // The weights unpacked next (the next segment, or the next rows' first one) come from DRAM:
      // their cache lines are prefetched a few per token group, while this segment is computed.
      const bool last_seg = s0 + seg >= nb;
      const int64_t next_rb = last_seg ? rb + kPR : rb, next_s0 = last_seg ? 0 : s0 + seg;
      const int64_t next_rows = std::max<int64_t>(0, std::min<int64_t>(kPR, r1 - next_rb));
      const int64_t next_lines = std::min(seg, nb - next_s0) * 32 / 64, lines = next_rows * next_lines;
      const int64_t per_group = (lines + ngroups - 1) / ngroups;
      int64_t line = 0, pf_row = 0, pf_col = 0;  // line = pf_row * next_lines + pf_col
      for (int64_t g = 0; g < ngroups; ++g) {
        const int T = static_cast<int>(std::min<int64_t>(kPT, m - g * kPT));
        for (const int64_t end = std::min(lines, line + per_group); line < end; ++line) {
          _mm_prefetch(reinterpret_cast<const char*>(w + (next_rb + pf_row) * row_bytes + 32 * next_s0 + 64 * pf_col),
                       _MM_HINT_T0);
          if (++pf_col == next_lines) pf_col = 0, ++pf_row;
        }
        if (s0 == 0)
          for (__m256i& a : acc[g]) a = _mm256_setzero_si256();
        kMicro[R - 1][T - 1](codes[0], kSegBlocks * 128, q + g * kPT * k + 128 * s0, k, 128 * sn, acc[g]);
      }
    }
    for (int64_t g = 0; g < ngroups; ++g) {
      const int T = static_cast<int>(std::min<int64_t>(kPT, m - g * kPT));
      StoreTile(acc[g], R, T, qsum + g * kPT, y + g * kPT * ldy + rb, ldy);
    }
  }
}

}  // namespace

void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy) {
  x86::TiledI2S<kRowTile, kTokTile>(SumI8, kPrefillMinTokens, GemmI2SPrefill, kTileI2S, w, k, r0, r1, q, m, y, ldy);
}

// ---------------------------------------------------------------------------------------------
// TQ2_0 / TQ1_0: a row's blocks are decoded to unsigned codes once per group of tokens, then
// each (token, block) integer sum is exact and is added to y in block order as the reference
// does (y += d * float(sum)), so results normally match it bit for bit.

namespace {

constexpr int64_t kTQBlocks = 16;  // blocks decoded at once (4 KiB of codes)
constexpr int64_t kTQTokens = 16;  // tokens sharing one decode

inline void DecodeTQ2Codes(const uint8_t* src, uint8_t* codes) {
  const __m256i mask = _mm256_set1_epi8(3);
  for (int chunk = 0; chunk < 2; ++chunk) {
    const __m256i W = Load(src + 32 * chunk);
    uint8_t* c = codes + 128 * chunk;
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c), _mm256_and_si256(W, mask));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 32),
                        _mm256_and_si256(_mm256_srli_epi16(W, 2), mask));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 64),
                        _mm256_and_si256(_mm256_srli_epi16(W, 4), mask));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 96),
                        _mm256_and_si256(_mm256_srli_epi16(W, 6), mask));
  }
}

// Trit n of 16 bytes held as u16 lanes: ((uint8)(v * 3^n) * 3) >> 8, as ref::TritAt.
inline __m256i Trits16(__m256i v16, int pow3) {
  const __m256i s = _mm256_and_si256(_mm256_mullo_epi16(v16, _mm256_set1_epi16(pow3)),
                                     _mm256_set1_epi16(0xff));
  return _mm256_srli_epi16(_mm256_mullo_epi16(s, _mm256_set1_epi16(3)), 8);
}

inline void DecodeTQ1Codes(const uint8_t* src, uint8_t* codes) {
  static constexpr int kPow3[5] = {1, 3, 9, 27, 81};
  const __m256i lo = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src)));
  const __m256i hi =
      _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16)));
  const __m256i mid =
      _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 32)));
  for (int n = 0; n < 5; ++n) {
    const __m256i p = _mm256_permute4x64_epi64(
        _mm256_packus_epi16(Trits16(lo, kPow3[n]), Trits16(hi, kPow3[n])), 0xd8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(codes + 32 * n), p);
    const __m256i t = Trits16(mid, kPow3[n]);
    const __m128i pm = _mm_packus_epi16(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + 160 + 16 * n), pm);
  }
  const uint8_t* qh = src + 48;
  for (int n = 0; n < 4; ++n)
    for (int j = 0; j < 4; ++j) codes[240 + 4 * n + j] = static_cast<uint8_t>(ref::TritAt(qh[j], n) + 1);
}

// sum over 256 values of c*q (exact: 8 maddubs of |pair| <= 768 fit int16).
inline int32_t DotCodes256(const uint8_t* c, const int8_t* q) {
  __m256i s = _mm256_setzero_si256();
  for (int i = 0; i < 256; i += 64)
    s = _mm256_add_epi16(s, _mm256_add_epi16(_mm256_maddubs_epi16(Load(c + i), Load(q + i)),
                                             _mm256_maddubs_epi16(Load(c + i + 32), Load(q + i + 32))));
  return HsumI32(_mm256_madd_epi16(s, _mm256_set1_epi16(1)));
}

template <int kBytes, int kScaleAt, void (*Decode)(const uint8_t*, uint8_t*)>
void GemmTQ(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
            float* y, int64_t ldy) {
  const int64_t nb = k / 256;
  alignas(32) uint8_t codes[kTQBlocks * 256];
  float d[kTQBlocks];
  int32_t qsum[kTQTokens][kTQBlocks];
  for (int64_t t0 = 0; t0 < m; t0 += kTQTokens) {
    const int64_t tn = std::min(kTQTokens, m - t0);
    for (int64_t b0 = 0; b0 < nb; b0 += kTQBlocks) {
      const int64_t bn = std::min(kTQBlocks, nb - b0);
      for (int64_t t = 0; t < tn; ++t)
        for (int64_t b = 0; b < bn; ++b) qsum[t][b] = SumI8(q + (t0 + t) * k + (b0 + b) * 256, 256);
      for (int64_t r = r0; r < r1; ++r) {
        const uint8_t* wb = w + (r * nb + b0) * kBytes;
        for (int64_t b = 0; b < bn; ++b) {
          Decode(wb + b * kBytes, codes + 256 * b);
          uint16_t h;
          std::memcpy(&h, wb + b * kBytes + kScaleAt, 2);
          d[b] = _cvtsh_ss(h);
        }
        for (int64_t t = 0; t < tn; ++t) {
          const int8_t* qt = q + (t0 + t) * k + b0 * 256;
          float acc = b0 == 0 ? 0.0f : y[(t0 + t) * ldy + r];
          for (int64_t b = 0; b < bn; ++b) {
            const int32_t s = DotCodes256(codes + 256 * b, qt + 256 * b) - qsum[t][b];
            acc += d[b] * static_cast<float>(s);
          }
          y[(t0 + t) * ldy + r] = acc;
        }
      }
    }
  }
}

}  // namespace

void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  GemmTQ<ref::kTQ2Bytes, 64, DecodeTQ2Codes>(w, k, r0, r1, q, m, y, ldy);
}

void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  GemmTQ<ref::kTQ1Bytes, 52, DecodeTQ1Codes>(w, k, r0, r1, q, m, y, ldy);
}

// ---------------------------------------------------------------------------------------------
// F16 / F32. One token: a row at a time, 4 FMA chains over k (F16C converts 8 halves per op).
// More tokens: R rows x T tokens register tiles over k chunks; F16 rows are converted into a
// float buffer once per chunk and reused by every token. Summation order differs from the
// reference (8 lanes x several chains): results agree within float rounding, not bitwise.

namespace {

inline __m256 LoadF16x8(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

template <typename W>
inline __m256 LoadW8(const W* p) {
  if constexpr (sizeof(W) == 2) return LoadF16x8(p);
  else return _mm256_loadu_ps(p);
}

template <typename W>
inline float WAt(const W* p, int64_t i) {
  if constexpr (sizeof(W) == 2) return _cvtsh_ss(p[i]);
  else return p[i];
}

template <typename W>
float DotRow(const W* w, const float* x, int64_t k) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  int64_t i = 0;
  for (; i + 32 <= k; i += 32) {
    a0 = _mm256_fmadd_ps(LoadW8(w + i), _mm256_loadu_ps(x + i), a0);
    a1 = _mm256_fmadd_ps(LoadW8(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);
    a2 = _mm256_fmadd_ps(LoadW8(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);
    a3 = _mm256_fmadd_ps(LoadW8(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);
  }
  for (; i + 8 <= k; i += 8) a0 = _mm256_fmadd_ps(LoadW8(w + i), _mm256_loadu_ps(x + i), a0);
  float acc = HsumF32(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  for (; i < k; ++i) acc += WAt(w, i) * x[i];
  return acc;
}

constexpr int kFR = 4;         // rows per register tile
constexpr int kFT = 3;         // tokens per register tile
constexpr int64_t kFK = 512;   // k chunk

// y_t,r (+)= dot(wrow[r][0..n), x_t[0..n)) for R rows, T tokens.
template <int R, int T>
void TileF(const float* const* wrow, const float* x, int64_t ldx, int64_t n, float* y, int64_t ldy,
           bool accumulate) {
  __m256 acc[T][R];
  for (int t = 0; t < T; ++t)
    for (int r = 0; r < R; ++r) acc[t][r] = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 xv[T];
    for (int t = 0; t < T; ++t) xv[t] = _mm256_loadu_ps(x + t * ldx + i);
    for (int r = 0; r < R; ++r) {
      const __m256 wv = _mm256_loadu_ps(wrow[r] + i);
      for (int t = 0; t < T; ++t) acc[t][r] = _mm256_fmadd_ps(wv, xv[t], acc[t][r]);
    }
  }
  for (int t = 0; t < T; ++t)
    for (int r = 0; r < R; ++r) {
      float s = HsumF32(acc[t][r]);
      for (int64_t j = i; j < n; ++j) s += wrow[r][j] * x[t * ldx + j];
      float& out = y[t * ldy + r];
      out = accumulate ? out + s : s;
    }
}

template <int R>
void TileRowsF(const float* const* wrow, const float* x, int64_t ldx, int64_t n, int64_t m, float* y,
               int64_t ldy, bool accumulate) {
  int64_t t = 0;
  for (; t + kFT <= m; t += kFT)
    TileF<R, kFT>(wrow, x + t * ldx, ldx, n, y + t * ldy, ldy, accumulate);
  if (m - t == 2) TileF<R, 2>(wrow, x + t * ldx, ldx, n, y + t * ldy, ldy, accumulate);
  if (m - t == 1) TileF<R, 1>(wrow, x + t * ldx, ldx, n, y + t * ldy, ldy, accumulate);
}

template <typename W>
void GemmFloat(const W* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m, float* y,
               int64_t ldy) {
  if (m == 1) {
    for (int64_t r = r0; r < r1; ++r) y[r] = DotRow(w + r * k, x, k);
    return;
  }
  alignas(32) float buf[kFR][kFK];
  for (int64_t rb = r0; rb < r1; rb += kFR) {
    const int R = static_cast<int>(std::min<int64_t>(kFR, r1 - rb));
    for (int64_t c = 0; c < k; c += kFK) {
      const int64_t n = std::min(kFK, k - c);
      const float* wrow[kFR];
      for (int r = 0; r < R; ++r) {
        const W* src = w + (rb + r) * k + c;
        if constexpr (sizeof(W) == 2) {
          int64_t i = 0;
          for (; i + 8 <= n; i += 8) _mm256_store_ps(buf[r] + i, LoadF16x8(src + i));
          for (; i < n; ++i) buf[r][i] = _cvtsh_ss(src[i]);
          wrow[r] = buf[r];
        } else {
          wrow[r] = src;
        }
      }
      float* yb = y + rb;
      const bool accumulate = c > 0;
      switch (R) {
        case 4: TileRowsF<4>(wrow, x + c, k, n, m, yb, ldy, accumulate); break;
        case 3: TileRowsF<3>(wrow, x + c, k, n, m, yb, ldy, accumulate); break;
        case 2: TileRowsF<2>(wrow, x + c, k, n, m, yb, ldy, accumulate); break;
        default: TileRowsF<1>(wrow, x + c, k, n, m, yb, ldy, accumulate); break;
      }
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

float DotF32(const float* a, const float* b, int64_t n) { return DotRow(a, b, n); }

void AxpyF32(float a, const float* x, float* y, int64_t n) {
  const __m256 va = _mm256_set1_ps(a);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i),
                                          _mm256_mul_ps(va, _mm256_loadu_ps(x + i))));
  for (; i < n; ++i) y[i] += a * x[i];
}

namespace {

// y[0, 8C) = sum_j p_j * x_j[0, 8C), C vectors of accumulators, rows in order.
template <int C>
inline void WeightedSumChunk(const float* p, int64_t n, const float* x, int64_t ldx, float* y) {
  __m256 acc[C];
  for (int c = 0; c < C; ++c) acc[c] = _mm256_setzero_ps();
  for (int64_t j = 0; j < n; ++j) {
    const __m256 pj = _mm256_set1_ps(p[j]);
    const float* xr = x + j * ldx;
    for (int c = 0; c < C; ++c) acc[c] = _mm256_add_ps(acc[c], _mm256_mul_ps(pj, _mm256_loadu_ps(xr + 8 * c)));
  }
  for (int c = 0; c < C; ++c) _mm256_storeu_ps(y + 8 * c, acc[c]);
}

}  // namespace

void WeightedSumF32(const float* p, int64_t n, const float* x, int64_t ldx, float* y, int64_t d) {
  int64_t i = 0;
  for (; i + 64 <= d; i += 64) WeightedSumChunk<8>(p, n, x + i, ldx, y + i);
  for (; i + 8 <= d; i += 8) WeightedSumChunk<1>(p, n, x + i, ldx, y + i);
  for (; i < d; ++i) {
    float s = 0.0f;
    for (int64_t j = 0; j < n; ++j) s += p[j] * x[j * ldx + i];
    y[i] = s;
  }
}

}  // namespace bitnet::avx2
