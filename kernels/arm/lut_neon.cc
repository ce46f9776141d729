// NEON lookup-table kernel on the TL16 layout (kernels/generic/lut_ternary.h): per token, the 16 sums
// of every activation pair as int16, split into a low-byte and a high-byte table; per 16 bytes of
// weights (16 rows x 4 k), two pairs of tbl lookups give 32 entries, re-joined into int16 (zip) and
// added. int16 partial sums are widened every 8 groups (|entry| <= 512, four per group: |sum| <=
// 16384), so nothing can wrap.
#include <arm_neon.h>

#include <algorithm>
#include <vector>

#include "kernels/arm/arm_kernels.h"
#include "kernels/generic/lut_ternary.h"

namespace bitnet::neon {
namespace {

constexpr int64_t kGroupsPerWiden = 8;

// Tables of one token: per group of 8 k, 128 bytes: LB, HB of pair (8g,8g+1), then of (8g+2,8g+3),
// (8g+4,8g+5), (8g+6,8g+7); LB/HB are the low/high bytes of the 16 int16 entries
// (entry c0 | c1 << 2 = (c0-1)*q0 + (c1-1)*q1).
void BuildTables(const int8_t* q, int64_t k, uint8_t* tables) {
  static const int16_t kW0[16] = {-1, 0, 1, 2, -1, 0, 1, 2, -1, 0, 1, 2, -1, 0, 1, 2};
  static const int16_t kW1[16] = {-1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
  const int16x8_t w0a = vld1q_s16(kW0), w0b = vld1q_s16(kW0 + 8);
  const int16x8_t w1a = vld1q_s16(kW1), w1b = vld1q_s16(kW1 + 8);
  for (int64_t p = 0; p < k / 2; ++p) {
    const int16_t a0 = q[2 * p], a1 = q[2 * p + 1];
    const int16x8_t e0 = vmlaq_n_s16(vmulq_n_s16(w0a, a0), w1a, a1);
    const int16x8_t e1 = vmlaq_n_s16(vmulq_n_s16(w0b, a0), w1b, a1);
    const uint8x16_t b0 = vreinterpretq_u8_s16(e0), b1 = vreinterpretq_u8_s16(e1);
    vst1q_u8(tables + 32 * p, vuzp1q_u8(b0, b1));       // low bytes (little-endian: even)
    vst1q_u8(tables + 32 * p + 16, vuzp2q_u8(b0, b1));  // high bytes
  }
}

inline void Lookup(const uint8_t* t, uint8x16_t idx, int16x8_t& s0, int16x8_t& s1) {
  const uint8x16_t lb = vqtbl1q_u8(vld1q_u8(t), idx), hb = vqtbl1q_u8(vld1q_u8(t + 16), idx);
  s0 = vaddq_s16(s0, vreinterpretq_s16_u8(vzip1q_u8(lb, hb)));  // rows 0..7
  s1 = vaddq_s16(s1, vreinterpretq_s16_u8(vzip2q_u8(lb, hb)));  // rows 8..15
}

// The 16 sums of one tile for one token.
inline void Tile(const uint8_t* tile, const uint8_t* tables, int64_t groups, int32_t* out) {
  const uint8x16_t nib = vdupq_n_u8(0x0F);
  int32x4_t y[4] = {vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0)};
  for (int64_t g0 = 0; g0 < groups; g0 += kGroupsPerWiden) {
    const int64_t g1 = std::min(groups, g0 + kGroupsPerWiden);
    int16x8_t s0 = vdupq_n_s16(0), s1 = vdupq_n_s16(0);
    for (int64_t g = g0; g < g1; ++g) {
      const uint8x16_t v0 = vld1q_u8(tile + 32 * g), v1 = vld1q_u8(tile + 32 * g + 16);
      const uint8_t* t = tables + 128 * g;
      Lookup(t, vandq_u8(v0, nib), s0, s1);
      Lookup(t + 32, vshrq_n_u8(v0, 4), s0, s1);
      Lookup(t + 64, vandq_u8(v1, nib), s0, s1);
      Lookup(t + 96, vshrq_n_u8(v1, 4), s0, s1);
    }
    y[0] = vaddw_s16(y[0], vget_low_s16(s0));
    y[1] = vaddw_high_s16(y[1], s0);
    y[2] = vaddw_s16(y[2], vget_low_s16(s1));
    y[3] = vaddw_high_s16(y[3], s1);
  }
  for (int i = 0; i < 4; ++i) vst1q_s32(out + 4 * i, y[i]);
}

}  // namespace

void GemmTL16(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
              int32_t* y, int64_t ldy) {
  if (r0 >= r1) return;
  const int64_t groups = k / 8, tile_bytes = kTL16Rows * (k / 4);
  thread_local std::vector<uint8_t> tables;  // 128 bytes per group; grows once per thread
  if (tables.size() < static_cast<size_t>(128 * groups)) tables.resize(static_cast<size_t>(128 * groups));
  int32_t sums[kTL16Rows];
  for (int64_t t = 0; t < m; ++t) {
    BuildTables(q + t * k, k, tables.data());
    for (int64_t tile = r0 / kTL16Rows; tile * kTL16Rows < r1; ++tile) {
      Tile(w + tile * tile_bytes, tables.data(), groups, sums);
      const int64_t a = std::max(r0, tile * kTL16Rows), b = std::min(r1, (tile + 1) * kTL16Rows);
      for (int64_t r = a; r < b; ++r) y[t * ldy + r] = sums[r - tile * kTL16Rows];
    }
  }
}

}  // namespace bitnet::neon
