#pragma once
// The I2_S GEMM driver shared by the NEON files (included by ternary_neon.cc and
// ternary_neon_dotprod.cc, each compiled with its own -march): rows in tiles of kRowTile, tokens
// in groups of up to kTokTile, k in chunks of kChunkBlocks so the tokens' q stay in L1.
// Dot<T>(row, b0, b1, q, k, acc) adds sum_{blocks [b0,b1)} w*q for T tokens into acc[T].
#include <arm_neon.h>

#include <algorithm>
#include <cstdint>

namespace bitnet::arm_tiles {

constexpr int64_t kRowTile = 16;
constexpr int kTokTile = 4;
constexpr int64_t kChunkBlocks = 16;

inline int32_t Hsum(int32x4_t v) { return vaddvq_s32(v); }

template <int T, void (*Dot)(const uint8_t*, int64_t, int64_t, const int8_t*, int64_t, int32x4_t*)>
void TileI2S(const uint8_t* w, int64_t k, int64_t rb, int64_t re, const int8_t* q, int32_t* y,
             int64_t ldy) {
  const int64_t nb = k / 128, row_bytes = k / 4;
  int32x4_t acc[kRowTile][T];
  for (int64_t r = 0; r < re - rb; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = vdupq_n_s32(0);
  const int64_t chunk = T == 1 ? nb : kChunkBlocks;
  for (int64_t kb = 0; kb < nb; kb += chunk) {
    const int64_t ke = std::min(nb, kb + chunk);
    for (int64_t r = rb; r < re; ++r) Dot(w + r * row_bytes, kb, ke, q, k, acc[r - rb]);
  }
  for (int64_t r = rb; r < re; ++r)
    for (int t = 0; t < T; ++t) y[t * ldy + r] = Hsum(acc[r - rb][t]);
}

template <template <int> class DotOf>
void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy) {
  for (int64_t rb = r0; rb < r1; rb += kRowTile) {
    const int64_t re = std::min(r1, rb + kRowTile);
    for (int64_t t0 = 0; t0 < m; t0 += kTokTile) {
      const int8_t* qt = q + t0 * k;
      int32_t* yt = y + t0 * ldy;
      switch (std::min<int64_t>(kTokTile, m - t0)) {
        case 4: TileI2S<4, DotOf<4>::Run>(w, k, rb, re, qt, yt, ldy); break;
        case 3: TileI2S<3, DotOf<3>::Run>(w, k, rb, re, qt, yt, ldy); break;
        case 2: TileI2S<2, DotOf<2>::Run>(w, k, rb, re, qt, yt, ldy); break;
        default: TileI2S<1, DotOf<1>::Run>(w, k, rb, re, qt, yt, ldy); break;
      }
    }
  }
}

// Signed weights w = code - 1 of one 32-byte I2_S block: out[n][h] holds the 16 values
// 32n + 16h .. 32n + 16h + 15 (byte j of the block holds values j, j+32, j+64, j+96 in bits
// 7-6, 5-4, 3-2, 1-0). Code 3 decodes to +2, as in the reference.
inline void DecodeI2SBlock(const uint8_t* src, int8x16_t out[4][2]) {
  const uint8x16_t mask = vdupq_n_u8(3);
  const int8x16_t one = vdupq_n_s8(1);
  for (int h = 0; h < 2; ++h) {
    const uint8x16_t W = vld1q_u8(src + 16 * h);
    out[0][h] = vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(W, 6)), one);
    out[1][h] = vsubq_s8(vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(W, 4), mask)), one);
    out[2][h] = vsubq_s8(vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(W, 2), mask)), one);
    out[3][h] = vsubq_s8(vreinterpretq_s8_u8(vandq_u8(W, mask)), one);
  }
}

}  // namespace bitnet::arm_tiles
