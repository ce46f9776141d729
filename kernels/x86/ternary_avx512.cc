// AVX-512 (F, BW, VL, VNNI) kernels: activation quantization and the I2_S GEMM. Compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512vnni for this file only; the other slots of the
// "avx512" table are AVX2's (see dispatch.cc).
//
// vpdpbusd multiplies unsigned codes c = w + 1 by signed q and adds groups of 4 products
// straight into int32 lanes (|4 products| <= 4*3*128), so the sums are exact for any k.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's avx512fintrin.h builds some intrinsics on _mm512_undefined_*: a false positive.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "kernels/x86/i2s_tiling.h"
#include "kernels/x86/x86_kernels.h"

namespace bitnet::avx512 {
namespace {

// Horizontal reductions by halves (GCC 12's _mm512_reduce_* warn under -Wall).
inline int32_t HsumI32(__m512i v) {
  __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

inline int64_t HsumI64(__m512i v) {
  __m256i h = _mm256_add_epi64(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
  __m128i s = _mm_add_epi64(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
  s = _mm_add_epi64(s, _mm_unpackhi_epi64(s, s));
  return _mm_cvtsi128_si64(s);
}

inline float HmaxF32(__m512 v) {
  __m256 h = _mm256_max_ps(_mm512_castps512_ps256(v),
                           _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline int32_t SumI8(const int8_t* q, int64_t n) {  // n a multiple of 64 or of 32
  const __m512i bias = _mm512_set1_epi8(static_cast<char>(0x80));
  __m512i acc = _mm512_setzero_si512();
  int64_t i = 0;
  for (; i + 64 <= n; i += 64)
    acc = _mm512_add_epi64(acc, _mm512_sad_epu8(_mm512_xor_si512(_mm512_loadu_si512(q + i), bias),
                                                _mm512_setzero_si512()));
  int64_t s = HsumI64(acc);
  for (; i < n; ++i) s += q[i] + 128;
  return static_cast<int32_t>(s - 128 * n);
}

inline __m128i RoundClamp16(const float* p, __m512 vs) {
  const __m512 lo = _mm512_set1_ps(-128.0f), hi = _mm512_set1_ps(127.0f);
  const __m512 v = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_loadu_ps(p), vs),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  return _mm512_cvtsepi32_epi8(_mm512_cvttps_epi32(_mm512_min_ps(_mm512_max_ps(v, lo), hi)));
}

}  // namespace

// Same float operations as ref::QuantizeRowsI8: bit-identical.
void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales) {
  for (int64_t t = 0; t < m; ++t) {
    const float* row = x + t * k;
    __m512 m0 = _mm512_setzero_ps(), m1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= k; i += 32) {
      m0 = _mm512_max_ps(m0, _mm512_abs_ps(_mm512_loadu_ps(row + i)));
      m1 = _mm512_max_ps(m1, _mm512_abs_ps(_mm512_loadu_ps(row + i + 16)));
    }
    float amax = HmaxF32(_mm512_max_ps(m0, m1));
    for (; i < k; ++i) amax = std::max(amax, std::fabs(row[i]));
    amax = std::max(amax, 1e-5f);
    const float s = 127.0f / amax;
    const __m512 vs = _mm512_set1_ps(s);
    int8_t* out = q + t * k;
    i = 0;
    for (; i + 16 <= k; i += 16)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), RoundClamp16(row + i, vs));
    for (; i < k; ++i)
      out[i] = static_cast<int8_t>(std::clamp(std::nearbyint(row[i] * s), -128.0f, 127.0f));
    scales[t] = s;
  }
}

// I2_S: a 32-byte block is broadcast to both halves of a zmm; shifts by (6|4) and (2|0) per
// half give the codes of values 0..63 and 64..127, matching two contiguous 64-byte q loads.
namespace {

constexpr int64_t kRowTile = 16;
constexpr int kTokTile = 8;
constexpr int64_t kChunkBlocks = 16;  // 2 KiB of q per token per chunk

// Codes of a block broadcast to both halves: lower half (W >> 6, W >> 2), upper (W >> 4, W):
// immediate shifts with a word mask on the lower half (variable word shifts are slow on Zen 4).
inline void Codes(const uint8_t* p, __m512i& c01, __m512i& c23) {
  const __m512i mask = _mm512_set1_epi8(3);
  const __mmask32 lower = 0x0000ffff;
  const __m512i W =
      _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  const __m512i w4 = _mm512_srli_epi16(W, 4);
  c01 = _mm512_and_si512(_mm512_mask_srli_epi16(w4, lower, w4, 2), mask);
  c23 = _mm512_and_si512(_mm512_mask_srli_epi16(W, lower, W, 2), mask);
}

template <int T>
inline void DotRowI2S(const uint8_t* wr, int64_t b0, int64_t b1, const int8_t* q, int64_t k,
                      __m512i* acc) {
  __m512i a[T];
  for (int t = 0; t < T; ++t) a[t] = acc[t];
  for (int64_t b = b0; b < b1; ++b) {
    __m512i c01, c23;
    Codes(wr + 32 * b, c01, c23);
    const int8_t* qb = q + 128 * b;
    for (int t = 0; t < T; ++t) {
      a[t] = _mm512_dpbusd_epi32(a[t], c01, _mm512_loadu_si512(qb + t * k));
      a[t] = _mm512_dpbusd_epi32(a[t], c23, _mm512_loadu_si512(qb + t * k + 64));
    }
  }
  for (int t = 0; t < T; ++t) acc[t] = a[t];
}

// One token: four independent accumulators (two blocks x two halves), so the vpdpbusd
// latency chain does not bound a GEMV that is otherwise limited by memory bandwidth.
inline __m512i DotRowI2S1(const uint8_t* wr, int64_t nb, const int8_t* q) {
  __m512i a[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                  _mm512_setzero_si512()};
  int64_t b = 0;
  auto block = [&](int64_t blk, __m512i& x, __m512i& y) {
    __m512i c01, c23;
    Codes(wr + 32 * blk, c01, c23);
    x = _mm512_dpbusd_epi32(x, c01, _mm512_loadu_si512(q + 128 * blk));
    y = _mm512_dpbusd_epi32(y, c23, _mm512_loadu_si512(q + 128 * blk + 64));
  };
  for (; b + 2 <= nb; b += 2) {
    block(b, a[0], a[1]);
    block(b + 1, a[2], a[3]);
  }
  if (b < nb) block(b, a[0], a[1]);
  return _mm512_add_epi32(_mm512_add_epi32(a[0], a[1]), _mm512_add_epi32(a[2], a[3]));
}

template <int T>
void TileI2S(const uint8_t* w, int64_t k, int64_t rb, int64_t re, const int8_t* q,
             const int32_t* qsum, int32_t* y, int64_t ldy) {
  const int64_t nb = k / 128, row_bytes = k / 4;
  __m512i acc[kRowTile][T];
  for (int64_t r = 0; r < re - rb; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = _mm512_setzero_si512();
  if constexpr (T == 1) {
    for (int64_t r = rb; r < re; ++r) y[r] = HsumI32(DotRowI2S1(w + r * row_bytes, nb, q)) - qsum[0];
    return;
  }
  const int64_t chunk = kChunkBlocks;
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

// Many tokens (prefill): kPR rows are unpacked once per segment into code bytes in value order,
// then kPR x kPT register tiles of vpdpbusd read codes and q with plain 64-byte loads
// (kPR + kPT loads per kPR * kPT vpdpbusd: 1 load per 128 MACs instead of 2 + decode).
namespace {

constexpr int kPR = 4;
constexpr int kPT = 4;
constexpr int64_t kSegBlocks = 16;
constexpr int64_t kPrefillMinTokens = 8;

inline void UnpackI2S(const uint8_t* src, int64_t nblocks, uint8_t* dst) {
  for (int64_t b = 0; b < nblocks; ++b) {
    __m512i c01, c23;
    Codes(src + 32 * b, c01, c23);
    _mm512_storeu_si512(dst + 128 * b, c01);
    _mm512_storeu_si512(dst + 128 * b + 64, c23);
  }
}

template <int R, int T>
void MicroI2S(const uint8_t* codes, int64_t ldc, const int8_t* q, int64_t ldq, int64_t n,
              int32_t out[kPR][kPT]) {
  __m512i acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = _mm512_setzero_si512();
  for (int64_t i = 0; i < n; i += 64) {
    __m512i c[R];
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) c[r] = _mm512_loadu_si512(codes + r * ldc + i);
#pragma GCC unroll 4
    for (int t = 0; t < T; ++t) {
      const __m512i qv = _mm512_loadu_si512(q + t * ldq + i);
#pragma GCC unroll 4
      for (int r = 0; r < R; ++r) acc[r][t] = _mm512_dpbusd_epi32(acc[r][t], c[r], qv);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) out[r][t] = HsumI32(acc[r][t]);
}

using MicroFn = void (*)(const uint8_t*, int64_t, const int8_t*, int64_t, int64_t,
                         int32_t[kPR][kPT]);
constexpr MicroFn kMicro[kPR][kPT] = {
    {MicroI2S<1, 1>, MicroI2S<1, 2>, MicroI2S<1, 3>, MicroI2S<1, 4>},
    {MicroI2S<2, 1>, MicroI2S<2, 2>, MicroI2S<2, 3>, MicroI2S<2, 4>},
    {MicroI2S<3, 1>, MicroI2S<3, 2>, MicroI2S<3, 3>, MicroI2S<3, 4>},
    {MicroI2S<4, 1>, MicroI2S<4, 2>, MicroI2S<4, 3>, MicroI2S<4, 4>}};

void GemmI2SPrefill(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q,
                    int64_t m, const int32_t* qsum, int32_t* y, int64_t ldy) {
  x86::TiledI2SPrefill<kPR, kPT, kSegBlocks, 64>(UnpackI2S, kMicro, w, k, r0, r1, q, m, qsum, y, ldy);
}

}  // namespace

void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy) {
  x86::TiledI2S<kRowTile, kTokTile>(SumI8, kPrefillMinTokens, GemmI2SPrefill, kTileI2S, w, k, r0, r1, q, m, y, ldy);
}

}  // namespace bitnet::avx512
