// NEON (armv8-a ASIMD, no dotprod) kernels of the non-ternary formats: BF16 times float
// activations (few tokens: a row and a token at a time; prefill: 4x4 register tiles), the q8_32
// activation quantizer (bit-identical to ref::QuantizeRowsQ8_32: vcvtaq rounds half away from zero
// like std::round) and Q8_0, Q4_0, Q4_K, Q6_K, Q1_0_g128 times q8_32 activations. Layouts as in
// kernels/generic/block_codes.h.
//
// Integer parts are exact: 16 byte products are widened (vmull/vmlal: each int16 lane holds two
// products, |w q| <= 128 * 127, so at most 32512) and pairwise added into int32 (vpadal); the
// float accumulation per sub-block (scale * int sum) is in sub-block order like the reference,
// so results differ from it only by the order of the per-row float sums across tokens (none).
// That per-token path (each block decoded per token) serves decode (m < kPanelMinTokens); prefill
// uses the decoded panels of blocks_neon_tiles.h (4 rows decoded once for all tokens, 4x2 tiles).
#include <arm_neon.h>

#include <algorithm>
#include <cstring>

#include "kernels/arm/arm_kernels.h"
#include "kernels/arm/blocks_neon_tiles.h"
#include "kernels/quant_types.h"

namespace bitnet::neon {
namespace {

inline float HalfAt(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return Fp16ToFp32(h);
}

// Sum of w_i q_i over 32 bytes (two registers each).
inline int32_t Dot32(int8x16_t w0, int8x16_t w1, const int8_t* q) {
  const int8x16_t q0 = vld1q_s8(q), q1 = vld1q_s8(q + 16);
  int16x8_t a = vmull_s8(vget_low_s8(w0), vget_low_s8(q0));
  a = vmlal_s8(a, vget_high_s8(w0), vget_high_s8(q0));
  int16x8_t b = vmull_s8(vget_low_s8(w1), vget_low_s8(q1));
  b = vmlal_s8(b, vget_high_s8(w1), vget_high_s8(q1));
  return vaddvq_s32(vpadalq_s16(vpaddlq_s16(a), b));
}

// Sum of w_i q_i over 16 bytes.
inline int32_t Dot16(int8x16_t w, const int8_t* q) {
  const int8x16_t qv = vld1q_s8(q);
  int16x8_t a = vmull_s8(vget_low_s8(w), vget_low_s8(qv));
  a = vmlal_s8(a, vget_high_s8(w), vget_high_s8(qv));
  return vaddvq_s32(vpaddlq_s16(a));
}

inline int32_t Sum16(const int8_t* q) { return vaddvq_s32(vpaddlq_s16(vpaddlq_s8(vld1q_s8(q)))); }

// Per format: Block() decodes one weight block into signed bytes, per-32 float scale/offset and
// (Q6_K) per-16 integer scales, then adds its contribution for one token.
struct Q8_0 {
  static constexpr int kBlock = 32, kBytes = 34;
  static float Block(const uint8_t* b, const int8_t* q, const float* d) {
    const auto* w = reinterpret_cast<const int8_t*>(b + 2);
    return d[0] * (HalfAt(b) * static_cast<float>(Dot32(vld1q_s8(w), vld1q_s8(w + 16), q)));
  }
};

struct Q4_0 {
  static constexpr int kBlock = 32, kBytes = 18;
  static float Block(const uint8_t* b, const int8_t* q, const float* d) {
    const uint8x16_t bytes = vld1q_u8(b + 2);
    const int8x16_t lo = vsubq_s8(vreinterpretq_s8_u8(vandq_u8(bytes, vdupq_n_u8(0x0f))), vdupq_n_s8(8));
    const int8x16_t hi = vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(bytes, 4)), vdupq_n_s8(8));
    return d[0] * (HalfAt(b) * static_cast<float>(Dot32(lo, hi, q)));
  }
};

// 16 bits (LSB first) -> 16 bytes of +1 (set) / -1 (clear).
inline int8x16_t SignsFromBits(const uint8_t* p) {
  static const uint8_t kBits[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t rep = vcombine_u8(vdup_n_u8(p[0]), vdup_n_u8(p[1]));
  const uint8x16_t set = vtstq_u8(rep, vld1q_u8(kBits));  // 0xff where the bit is set
  return vorrq_s8(vreinterpretq_s8_u8(vmvnq_u8(set)), vdupq_n_s8(1));  // clear: -1, set: +1
}

struct Q1_0_g128 {
  static constexpr int kBlock = 128, kBytes = 18;
  static float Block(const uint8_t* b, const int8_t* q, const float* d) {
    const float dw = HalfAt(b);
    float acc = 0.0f;
    for (int s = 0; s < 4; ++s) {
      const int32_t sum = Dot32(SignsFromBits(b + 2 + 4 * s), SignsFromBits(b + 4 + 4 * s), q + 32 * s);
      acc += d[s] * (dw * static_cast<float>(sum));
    }
    return acc;
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
  static float Block(const uint8_t* b, const int8_t* q, const float* d) {
    const float dd = HalfAt(b), dmin = HalfAt(b + 2);
    float acc = 0.0f;
    for (int c = 0; c < 4; ++c) {
      const uint8x16_t b0 = vld1q_u8(b + 16 + 32 * c), b1 = vld1q_u8(b + 32 + 32 * c);
      const int8x16_t lo0 = vreinterpretq_s8_u8(vandq_u8(b0, vdupq_n_u8(0x0f)));
      const int8x16_t lo1 = vreinterpretq_s8_u8(vandq_u8(b1, vdupq_n_u8(0x0f)));
      const int8x16_t hi0 = vreinterpretq_s8_u8(vshrq_n_u8(b0, 4)), hi1 = vreinterpretq_s8_u8(vshrq_n_u8(b1, 4));
      for (int h = 0; h < 2; ++h) {
        const int s = 2 * c + h;
        uint8_t sc, m;
        Q4KScaleMin(s, b + 4, &sc, &m);
        const int8_t* qs = q + 32 * s;
        const int32_t isum = h == 0 ? Dot32(lo0, lo1, qs) : Dot32(hi0, hi1, qs);
        const int32_t qsum = Sum16(qs) + Sum16(qs + 16);
        acc += d[s] * (dd * static_cast<float>(sc) * static_cast<float>(isum) -
                       dmin * static_cast<float>(m) * static_cast<float>(qsum));
      }
    }
    return acc;
  }
};

struct Q6_K {
  static constexpr int kBlock = 256, kBytes = 210;
  static float Block(const uint8_t* b, const int8_t* q, const float* d) {
    const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
    const float dd = HalfAt(b + 208);
    const uint8x16_t m4 = vdupq_n_u8(0x0f), m2 = vdupq_n_u8(0x03);
    float acc = 0.0f;
    for (int h = 0; h < 2; ++h) {
      const uint8_t* L = b + 64 * h;
      const uint8_t* H = b + 128 + 32 * h;
      for (int j = 0; j < 4; ++j) {  // sub-block s = 4h + j: values 32j..32j+31 of this half
        int8x16_t w[2];
        for (int part = 0; part < 2; ++part) {  // values 16*part .. +15 of the sub-block
          const uint8x16_t l = vld1q_u8(L + (j % 2) * 32 + 16 * part);
          const uint8x16_t hb = vld1q_u8(H + 16 * part);
          const uint8x16_t low = j < 2 ? vandq_u8(l, m4) : vshrq_n_u8(l, 4);
          const uint8x16_t high = vshlq_n_u8(vandq_u8(vshlq_u8(hb, vdupq_n_s8(static_cast<int8_t>(-2 * j))), m2), 4);
          w[part] = vreinterpretq_s8_u8(vorrq_u8(low, high));  // 0..63
        }
        const int s = 4 * h + j;
        const int8_t* qs = q + 32 * s;
        const int is = 8 * h + 2 * j;
        const int32_t part0 = Dot16(w[0], qs) - 32 * Sum16(qs);
        const int32_t part1 = Dot16(w[1], qs + 16) - 32 * Sum16(qs + 16);
        acc += d[s] * (dd * static_cast<float>(sc[is] * part0 + sc[is + 1] * part1));
      }
    }
    return acc;
  }
};

// Untuned (no ARM hardware here, qemu timings mean nothing): the panel decode is scalar, the
// per-token path decodes every block per token; 4 tokens share one panel decode.
constexpr int64_t kPanelMinTokens = 4;

template <class F, class P>
void GemmBlocks(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
                float* y, int64_t ldy) {
  if (m >= kPanelMinTokens) return arm_blocks::GemmPanels<P, arm_blocks::NeonDot>(w, k, r0, r1, q, qd, m, y, ldy);
  const int64_t nb = k / F::kBlock, nq = k / 32;
  constexpr int kSubs = F::kBlock / 32;
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* wr = w + r * nb * F::kBytes;
    for (int64_t t = 0; t < m; ++t) {
      float acc = 0.0f;
      for (int64_t b = 0; b < nb; ++b) acc += F::Block(wr + b * F::kBytes, q + t * k + b * F::kBlock, qd + t * nq + b * kSubs);
      y[t * ldy + r] = acc;
    }
  }
}

// BF16 prefill (m >= kBf16MinTokens): register tiles of R rows x T tokens over k chunks; each
// widened weight vector serves T tokens and each x vector R rows; y accumulates the chunks' float
// sums (order differs from the reference: stated tolerance).
constexpr int64_t kBf16MinTokens = 4;
constexpr int kBf16Rows = 4, kBf16Tokens = 4;
constexpr int64_t kBf16Chunk = 512;

template <int R, int T>
void Bf16Tile(const uint16_t* w, int64_t k, int64_t n, const float* x, float* y, int64_t ldy, bool first) {
  float32x4_t acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = vdupq_n_f32(0.0f);
  const int64_t n4 = n / 4 * 4;
  for (int64_t i = 0; i < n4; i += 4) {
    float32x4_t wf[R];
    for (int r = 0; r < R; ++r) wf[r] = vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(w + r * k + i), 16));
    for (int t = 0; t < T; ++t) {
      const float32x4_t xv = vld1q_f32(x + t * k + i);
      for (int r = 0; r < R; ++r) acc[r][t] = vfmaq_f32(acc[r][t], wf[r], xv);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) {
      float v = vaddvq_f32(acc[r][t]);
      for (int64_t i = n4; i < n; ++i) v += Bf16ToFp32(w[r * k + i]) * x[t * k + i];
      float* yo = y + t * ldy + r;
      *yo = first ? v : *yo + v;
    }
}

using Bf16TileFn = void (*)(const uint16_t*, int64_t, int64_t, const float*, float*, int64_t, bool);
constexpr Bf16TileFn kBf16Tiles[kBf16Rows][kBf16Tokens] = {
    {Bf16Tile<1, 1>, Bf16Tile<1, 2>, Bf16Tile<1, 3>, Bf16Tile<1, 4>},
    {Bf16Tile<2, 1>, Bf16Tile<2, 2>, Bf16Tile<2, 3>, Bf16Tile<2, 4>},
    {Bf16Tile<3, 1>, Bf16Tile<3, 2>, Bf16Tile<3, 3>, Bf16Tile<3, 4>},
    {Bf16Tile<4, 1>, Bf16Tile<4, 2>, Bf16Tile<4, 3>, Bf16Tile<4, 4>}};

void GemmBF16Tiled(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m, float* y,
                   int64_t ldy) {
  for (int64_t c0 = 0; c0 < k; c0 += kBf16Chunk) {
    const int64_t n = std::min(kBf16Chunk, k - c0);
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
  for (int64_t t = 0; t < m; ++t)
    for (int64_t b = 0; b < nq; ++b) {
      const float* xb = x + t * k + b * 32;
      float32x4_t v[8];
      float32x4_t mx = vdupq_n_f32(0.0f);
      for (int i = 0; i < 8; ++i) {
        v[i] = vld1q_f32(xb + 4 * i);
        mx = vmaxq_f32(mx, vabsq_f32(v[i]));
      }
      const float amax = vmaxvq_f32(mx);
      const float db = amax / 127.0f;
      const float id = db != 0.0f ? 1.0f / db : 0.0f;
      int8_t* qb = q + t * k + b * 32;
      for (int i = 0; i < 8; i += 2) {
        const int32x4_t a = vcvtaq_s32_f32(vmulq_n_f32(v[i], id)), c = vcvtaq_s32_f32(vmulq_n_f32(v[i + 1], id));
        const int16x8_t h = vcombine_s16(vqmovn_s32(a), vqmovn_s32(c));
        vst1_s8(qb + 4 * i, vqmovn_s16(h));
      }
      d[t * nq + b] = db;
    }
}

void GemmBF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m, float* y,
              int64_t ldy) {
  if (m >= kBf16MinTokens) return GemmBF16Tiled(w, k, r0, r1, x, m, y, ldy);
  const int64_t k4 = k / 4 * 4;
  for (int64_t r = r0; r < r1; ++r) {
    const uint16_t* wr = w + r * k;
    for (int64_t t = 0; t < m; ++t) {
      const float* xt = x + t * k;
      float32x4_t acc = vdupq_n_f32(0.0f);
      for (int64_t i = 0; i < k4; i += 4) {
        const float32x4_t wf = vreinterpretq_f32_u32(vshlq_n_u32(vmovl_u16(vld1_u16(wr + i)), 16));
        acc = vaddq_f32(acc, vmulq_f32(wf, vld1q_f32(xt + i)));
      }
      float s = vaddvq_f32(acc);
      for (int64_t i = k4; i < k; ++i) s += Bf16ToFp32(wr[i]) * xt[i];
      y[t * ldy + r] = s;
    }
  }
}

void GemmQ8_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q8_0, panel::Q8_0>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q4_0, panel::Q4_0>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q4_K, panel::Q4_K>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ6_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  GemmBlocks<Q6_K, panel::Q6_K>(w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ1_0_g128(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                   int64_t m, float* y, int64_t ldy) {
  GemmBlocks<Q1_0_g128, panel::Q1_0_g128>(w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace bitnet::neon
