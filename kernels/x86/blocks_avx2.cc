// AVX2 (+FMA, F16C) kernels of the non-ternary weight formats: BF16 times float activations, the
// q8_32 activation quantizer (bit-identical to ref::QuantizeRowsQ8_32), and Q8_0, Q4_0, Q4_K,
// Q6_K, Q1_0_g128 times q8_32 activations. Layouts as in kernels/generic/block_codes.h.
//
// Integer parts are exact: each 32-value sub-block is one `maddubs` (unsigned x signed bytes,
// |pair| <= 2 * 128 * 127 < 2^15) and one `madd` to eight int32 sums; the float accumulation
// (scale * int sum per sub-block, in 8 lanes) differs from the reference only in order.
// Few tokens: four tokens at a time, each weight block decoded in registers once per four tokens;
// many tokens (prefill): decoded panels shared by all tokens (GemmPanels below), and for BF16
// 3-row x 4-token register tiles over k chunks (GemmBF16Tiled).
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "kernels/x86/block_panels_x86.h"
#include "kernels/x86/x86_kernels.h"

namespace bitnet::avx2 {
namespace {

using x86_blocks::HalfAt;
using x86_blocks::HorizontalSum;
using x86_blocks::Load32;
using x86_blocks::SignsFromBits;

// The panel path's integer dot products of 32 bytes (eight int32 sums), AVX2: maddubs + madd.
struct Avx2PanelOps {
  // sum |w| * sign(q, w) = sum w * q (|w| <= 128, |q| <= 127: pairs <= 32512).
  static __m256i Signed(__m256i aw, __m256i sw, __m256i q) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(aw, _mm256_sign_epi8(q, sw)), _mm256_set1_epi16(1));
  }
  // The same with the int16 pairs weighted by scl (Q6_K's per-16 scales).
  static __m256i Sub16(__m256i aw, __m256i sw, __m256i q, __m256i scl) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(aw, _mm256_sign_epi8(q, sw)), scl);
  }
  // sum u * q, u unsigned (<= 127).
  static __m256i Unsigned(__m256i u, __m256i q) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, q), _mm256_set1_epi16(1));
  }
};

constexpr int kTokenTile = 4;

// Eight int32 sums of w * q over 32 bytes, w signed (|w| <= 128) and q signed.
inline __m256i DotSigned(__m256i w, __m256i q) {
  const __m256i p = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(q, w));
  return _mm256_madd_epi16(p, _mm256_set1_epi16(1));
}

// Eight int32 sums of w * q, w unsigned (<= 127) and q signed.
inline __m256i DotUnsigned(__m256i w, __m256i q) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(w, q), _mm256_set1_epi16(1));
}

// The per-format part: Block() decodes one weight block and adds its contribution for nt tokens
// (q[t] / d[t]: the token's activations and scales at this block) into acc[t].
struct Q8_0 {
  static constexpr int kBlock = 32, kBytes = 34;
  static void Block(const uint8_t* b, const int8_t* const* q, const float* const* d, int nt, __m256* acc) {
    const float dw = HalfAt(b);
    const __m256i w = Load32(b + 2);
    for (int t = 0; t < nt; ++t)
      acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(DotSigned(w, Load32(q[t]))), _mm256_set1_ps(dw * d[t][0]), acc[t]);
  }
};

struct Q4_0 {
  static constexpr int kBlock = 32, kBytes = 18;
  static void Block(const uint8_t* b, const int8_t* const* q, const float* const* d, int nt, __m256* acc) {
    const float dw = HalfAt(b);
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 2));
    const __m128i lo = _mm_and_si128(bytes, _mm_set1_epi8(0x0f));
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0f));
    const __m256i w = _mm256_sub_epi8(_mm256_set_m128i(hi, lo), _mm256_set1_epi8(8));
    for (int t = 0; t < nt; ++t)
      acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(DotSigned(w, Load32(q[t]))), _mm256_set1_ps(dw * d[t][0]), acc[t]);
  }
};

struct Q1_0_g128 {
  static constexpr int kBlock = 128, kBytes = 18;
  static void Block(const uint8_t* b, const int8_t* const* q, const float* const* d, int nt, __m256* acc) {
    const float dw = HalfAt(b);
    __m256i w[4];
    for (int s = 0; s < 4; ++s) w[s] = SignsFromBits(b + 2 + 4 * s);
    for (int t = 0; t < nt; ++t)
      for (int s = 0; s < 4; ++s) {
        // sum(w * q) with w = +-1: sign(q, w), summed by maddubs with ones.
        const __m256i p = _mm256_maddubs_epi16(_mm256_set1_epi8(1), _mm256_sign_epi8(Load32(q[t] + 32 * s), w[s]));
        const __m256i sum = _mm256_madd_epi16(p, _mm256_set1_epi16(1));
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(dw * d[t][s]), acc[t]);
      }
  }
};

inline void Q4KScaleMin(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = static_cast<uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
    *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

struct Q4_K {
  static constexpr int kBlock = 256, kBytes = 144;
  static void Block(const uint8_t* b, const int8_t* const* q, const float* const* d, int nt, __m256* acc) {
    const float dd = HalfAt(b), dmin = HalfAt(b + 2);
    float scale[8], offset[8];
    for (int s = 0; s < 8; ++s) {
      uint8_t sc, m;
      Q4KScaleMin(s, b + 4, &sc, &m);
      scale[s] = dd * sc;
      offset[s] = dmin * m;
    }
    __m256i w[8];
    for (int c = 0; c < 4; ++c) {
      const __m256i bytes = Load32(b + 16 + 32 * c);
      w[2 * c] = _mm256_and_si256(bytes, _mm256_set1_epi8(0x0f));
      w[2 * c + 1] = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(0x0f));
    }
    const __m256i ones8 = _mm256_set1_epi8(1);
    for (int t = 0; t < nt; ++t)
      for (int s = 0; s < 8; ++s) {
        const __m256i qs = Load32(q[t] + 32 * s);
        const __m256 isum = _mm256_cvtepi32_ps(DotUnsigned(w[s], qs));
        const __m256 qsum = _mm256_cvtepi32_ps(DotUnsigned(ones8, qs));
        acc[t] = _mm256_fmadd_ps(isum, _mm256_set1_ps(d[t][s] * scale[s]), acc[t]);
        acc[t] = _mm256_fnmadd_ps(qsum, _mm256_set1_ps(d[t][s] * offset[s]), acc[t]);
      }
  }
};

struct Q6_K {
  static constexpr int kBlock = 256, kBytes = 210;
  static void Block(const uint8_t* b, const int8_t* const* q, const float* const* d, int nt, __m256* acc) {
    const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
    const float dd = HalfAt(b + 208);
    __m256i w[8];      // unsigned 6-bit values 0..63 of sub-block s
    __m256i scl[8];    // int16 scales: sc of values 0..15 in lanes 0..7, of 16..31 in lanes 8..15
    const __m256i m4 = _mm256_set1_epi8(0x0f), m2 = _mm256_set1_epi8(0x03);
    for (int h = 0; h < 2; ++h) {
      const __m256i l0 = Load32(b + 64 * h), l1 = Load32(b + 64 * h + 32), hb = Load32(b + 128 + 32 * h);
      auto high = [&](int shift) { return _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, shift), m2), 4); };
      w[4 * h + 0] = _mm256_or_si256(_mm256_and_si256(l0, m4), high(0));
      w[4 * h + 1] = _mm256_or_si256(_mm256_and_si256(l1, m4), high(2));
      w[4 * h + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), high(4));
      w[4 * h + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), high(6));
      for (int j = 0; j < 4; ++j) {
        const int is = 8 * h + 2 * j;
        scl[4 * h + j] = _mm256_set_m128i(_mm_set1_epi16(sc[is + 1]), _mm_set1_epi16(sc[is]));
      }
    }
    const __m256i ones8 = _mm256_set1_epi8(1);
    for (int t = 0; t < nt; ++t)
      for (int s = 0; s < 8; ++s) {
        const __m256i qs = Load32(q[t] + 32 * s);
        // sum sc * (w - 32) * q = madd(maddubs(w, q), sc) - 32 * madd(maddubs(1, q), sc)
        const __m256i wq = _mm256_madd_epi16(_mm256_maddubs_epi16(w[s], qs), scl[s]);
        const __m256i q1 = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, qs), scl[s]);
        const __m256i isum = _mm256_sub_epi32(wq, _mm256_slli_epi32(q1, 5));
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(d[t][s] * dd), acc[t]);
      }
  }
};

// Prefill from kPanelMinTokens tokens on: decoded panels (block_panels_x86.h). Below (decode):
// each block decoded in registers once per 4 tokens.
constexpr int64_t kPanelMinTokens = 8;

template <class F>
void GemmBlocks(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
                float* y, int64_t ldy) {
  if (m >= kPanelMinTokens) {
    using P = std::conditional_t<std::is_same_v<F, Q8_0>, panel::Q8_0,
              std::conditional_t<std::is_same_v<F, Q4_0>, panel::Q4_0,
              std::conditional_t<std::is_same_v<F, Q4_K>, panel::Q4_K,
              std::conditional_t<std::is_same_v<F, Q6_K>, panel::Q6_K, panel::Q1_0_g128>>>>;
    return x86_blocks::GemmPanels<P, Avx2PanelOps>(w, k, r0, r1, q, qd, m, y, ldy);
  }
  const int64_t nb = k / F::kBlock, nq = k / 32;
  constexpr int kSubs = F::kBlock / 32;
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* wr = w + r * nb * F::kBytes;
    for (int64_t t0 = 0; t0 < m; t0 += kTokenTile) {
      const int nt = static_cast<int>(std::min<int64_t>(kTokenTile, m - t0));
      __m256 acc[kTokenTile];
      for (int t = 0; t < nt; ++t) acc[t] = _mm256_setzero_ps();
      const int8_t* qt[kTokenTile];
      const float* dt[kTokenTile];
      for (int64_t b = 0; b < nb; ++b) {
        for (int t = 0; t < nt; ++t) {
          qt[t] = q + (t0 + t) * k + b * F::kBlock;
          dt[t] = qd + (t0 + t) * nq + b * kSubs;
        }
        F::Block(wr + b * F::kBytes, qt, dt, nt, acc);
      }
      for (int t = 0; t < nt; ++t) y[(t0 + t) * ldy + r] = HorizontalSum(acc[t]);
    }
  }
}

// std::round (half away from zero) of 8 floats, exactly: trunc(v) plus the sign of v when the
// (exact) fractional part is at least one half.
inline __m256 RoundHalfAway(__m256 v) {
  const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 frac = _mm256_andnot_ps(sign_mask, _mm256_sub_ps(v, t));
  const __m256 one = _mm256_or_ps(_mm256_set1_ps(1.0f), _mm256_and_ps(v, sign_mask));
  return _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ), one));
}

// ---- BF16 prefill (m >= kBf16MinTokens): register tiles of R rows x T tokens ----
// Each 8-weight vector is widened once per tile and used by T tokens, each x vector by R rows.
// With many tokens k is cut into kBf16Chunk pieces so the tokens' x chunks stay in L2 while every
// row tile passes; with few, rows are streamed whole. y accumulates the chunks' float sums (order
// differs from the reference: stated tolerance). Decode (m < 4) keeps the row-at-a-time loop of
// GemmBF16: the tile at m = 1 (3 rows streamed at once) measured 15-20 % slower there.
constexpr int64_t kBf16MinTokens = 4;
constexpr int kBf16Rows = 3, kBf16Tokens = 4;
constexpr int64_t kBf16Chunk = 512, kBf16ChunkMinTokens = 8;

inline __m256 WidenBf16(const uint16_t* p) {
  return _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))), 16));
}

template <int R, int T>
void Bf16Tile(const uint16_t* w, int64_t k, int64_t n, const float* x, float* y, int64_t ldy, bool first) {
  __m256 acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = _mm256_setzero_ps();
  const int64_t n8 = n / 8 * 8;
  for (int64_t i = 0; i < n8; i += 8) {
    __m256 wf[R];
    for (int r = 0; r < R; ++r) wf[r] = WidenBf16(w + r * k + i);
    for (int t = 0; t < T; ++t) {
      const __m256 xv = _mm256_loadu_ps(x + t * k + i);
      for (int r = 0; r < R; ++r) acc[r][t] = _mm256_fmadd_ps(wf[r], xv, acc[r][t]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) {
      float v = HorizontalSum(acc[r][t]);
      for (int64_t i = n8; i < n; ++i) {
        const uint32_t bits = static_cast<uint32_t>(w[r * k + i]) << 16;
        float wv;
        std::memcpy(&wv, &bits, 4);
        v += wv * x[t * k + i];
      }
      float* yo = y + t * ldy + r;
      *yo = first ? v : *yo + v;
    }
}

using Bf16TileFn = void (*)(const uint16_t*, int64_t, int64_t, const float*, float*, int64_t, bool);
constexpr Bf16TileFn kBf16Tiles[kBf16Rows][kBf16Tokens] = {
    {Bf16Tile<1, 1>, Bf16Tile<1, 2>, Bf16Tile<1, 3>, Bf16Tile<1, 4>},
    {Bf16Tile<2, 1>, Bf16Tile<2, 2>, Bf16Tile<2, 3>, Bf16Tile<2, 4>},
    {Bf16Tile<3, 1>, Bf16Tile<3, 2>, Bf16Tile<3, 3>, Bf16Tile<3, 4>}};

void GemmBF16Tiled(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m, float* y,
                   int64_t ldy) {
  const int64_t chunk = m >= kBf16ChunkMinTokens ? kBf16Chunk : k;
  for (int64_t c0 = 0; c0 < k; c0 += chunk) {
    const int64_t n = std::min(chunk, k - c0);
    for (int64_t rb = r0; rb < r1; rb += kBf16Rows) {
      const int64_t nr = std::min<int64_t>(kBf16Rows, r1 - rb);
      for (int64_t t0 = 0; t0 < m; t0 += kBf16Tokens) {
        const int64_t nt = std::min<int64_t>(kBf16Tokens, m - t0);
        kBf16Tiles[nr - 1][nt - 1](w + rb * k + c0, k, n, x + t0 * k + c0, y + t0 * ldy + rb, ldy, c0 == 0);
      }
    }
  }
}

}  // namespace

void QuantizeRowsQ8_32(const float* x, int64_t m, int64_t k, int8_t* q, float* d) {
  const int64_t nq = k / 32;
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  for (int64_t t = 0; t < m; ++t)
    for (int64_t b = 0; b < nq; ++b) {
      const float* xb = x + t * k + b * 32;
      __m256 v[4];
      __m256 mx = _mm256_setzero_ps();
      for (int i = 0; i < 4; ++i) {
        v[i] = _mm256_loadu_ps(xb + 8 * i);
        mx = _mm256_max_ps(mx, _mm256_and_ps(v[i], abs_mask));
      }
      __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
      m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
      m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
      const float amax = _mm_cvtss_f32(m4);
      const float db = amax / 127.0f;
      const float id = db != 0.0f ? 1.0f / db : 0.0f;
      const __m256 vid = _mm256_set1_ps(id);
      __m256i iv[4];
      for (int i = 0; i < 4; ++i) iv[i] = _mm256_cvtps_epi32(RoundHalfAway(_mm256_mul_ps(v[i], vid)));
      // Pack 32 int32 to int8 in order: packs works per 128-bit lane, fix with a permute.
      const __m256i p16a = _mm256_packs_epi32(iv[0], iv[1]), p16b = _mm256_packs_epi32(iv[2], iv[3]);
      const __m256i p8 = _mm256_packs_epi16(p16a, p16b);
      const __m256i ordered = _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + t * k + b * 32), ordered);
      d[t * nq + b] = db;
    }
}

void GemmBF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m, float* y,
              int64_t ldy) {
  if (m >= kBf16MinTokens) return GemmBF16Tiled(w, k, r0, r1, x, m, y, ldy);
  const int64_t k8 = k / 8 * 8;
  for (int64_t r = r0; r < r1; ++r) {
    const uint16_t* wr = w + r * k;
    for (int64_t t0 = 0; t0 < m; t0 += kTokenTile) {
      const int nt = static_cast<int>(std::min<int64_t>(kTokenTile, m - t0));
      __m256 acc[kTokenTile];
      for (int t = 0; t < nt; ++t) acc[t] = _mm256_setzero_ps();
      for (int64_t i = 0; i < k8; i += 8) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(wr + i));
        const __m256 wf = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
        for (int t = 0; t < nt; ++t) acc[t] = _mm256_fmadd_ps(wf, _mm256_loadu_ps(x + (t0 + t) * k + i), acc[t]);
      }
      for (int t = 0; t < nt; ++t) {
        float s = HorizontalSum(acc[t]);
        for (int64_t i = k8; i < k; ++i) {
          uint32_t bits = static_cast<uint32_t>(wr[i]) << 16;
          float wv;
          std::memcpy(&wv, &bits, 4);
          s += wv * x[(t0 + t) * k + i];
        }
        y[(t0 + t) * ldy + r] = s;
      }
    }
  }
}

void GemmQ8_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q8_0>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q4_0>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q4_K>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ6_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q6_K>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ1_0_g128(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                   int64_t m, float* y, int64_t ldy) {
  GemmBlocks<Q1_0_g128>(w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace bitnet::avx2
