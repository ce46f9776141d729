// AVX2 lookup-table kernel on the TL16 layout (kernels/generic/lut_ternary.h): per token, the 16
// sums of every activation pair as int16, split into a low-byte and a high-byte table; per 32 bytes
// of weights (16 rows x 8 k), four pshufb look up 64 entries, which are re-joined into int16 and
// added. int16 partial sums are widened to int32 every 16 groups (|entry| <= 512, two per group and
// lane: |sum| <= 16384), so nothing can wrap.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/generic/lut_ternary.h"
#include "kernels/x86/x86_kernels.h"

namespace bitnet::avx2 {
namespace {

constexpr int64_t kGroupsPerWiden = 16;

// Tables of one token: per group of 8 k, 128 bytes: [LB(P0) LB(P2)] [HB(P0) HB(P2)] [LB(P1) LB(P3)]
// [HB(P1) HB(P3)], where P0..P3 are the pairs (8g,8g+1) .. (8g+6,8g+7) and LB/HB the low/high bytes
// of the 16 int16 entries (entry c0 | c1 << 2 = (c0-1)*q0 + (c1-1)*q1).
void BuildTables(const int8_t* q, int64_t k, uint8_t* tables) {
  const __m256i w0 = _mm256_setr_epi16(-1, 0, 1, 2, -1, 0, 1, 2, -1, 0, 1, 2, -1, 0, 1, 2);
  const __m256i w1 = _mm256_setr_epi16(-1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
  // Per lane: the 8 low bytes, then the 8 high bytes.
  const __m256i split = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,
                                         0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  const auto pair = [&](const int8_t* a) {  // -> [LB(16) | HB(16)]
    const __m256i e = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_set1_epi16(a[0]), w0),
                                       _mm256_mullo_epi16(_mm256_set1_epi16(a[1]), w1));
    return _mm256_permute4x64_epi64(_mm256_shuffle_epi8(e, split), 0xD8);
  };
  for (int64_t g = 0; g < k / 8; ++g) {
    const int8_t* a = q + 8 * g;
    const __m256i p0 = pair(a), p1 = pair(a + 2), p2 = pair(a + 4), p3 = pair(a + 6);
    __m256i* out = reinterpret_cast<__m256i*>(tables + 128 * g);
    _mm256_store_si256(out + 0, _mm256_permute2x128_si256(p0, p2, 0x20));
    _mm256_store_si256(out + 1, _mm256_permute2x128_si256(p0, p2, 0x31));
    _mm256_store_si256(out + 2, _mm256_permute2x128_si256(p1, p3, 0x20));
    _mm256_store_si256(out + 3, _mm256_permute2x128_si256(p1, p3, 0x31));
  }
}

// The 16 sums of one tile for one token: out[0..7] rows 0..7, out[8..15] rows 8..15.
inline void Tile(const uint8_t* tile, const uint8_t* tables, int64_t groups, int32_t* out) {
  const __m256i nib = _mm256_set1_epi8(0x0F);
  __m256i y0 = _mm256_setzero_si256(), y1 = _mm256_setzero_si256();
  for (int64_t g0 = 0; g0 < groups; g0 += kGroupsPerWiden) {
    const int64_t g1 = std::min(groups, g0 + kGroupsPerWiden);
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    for (int64_t g = g0; g < g1; ++g) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tile + 32 * g));
      const __m256i* t = reinterpret_cast<const __m256i*>(tables + 128 * g);
      const __m256i il = _mm256_and_si256(v, nib);
      const __m256i ih = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
      const __m256i al = _mm256_shuffle_epi8(_mm256_load_si256(t + 0), il);
      const __m256i ah = _mm256_shuffle_epi8(_mm256_load_si256(t + 1), il);
      const __m256i bl = _mm256_shuffle_epi8(_mm256_load_si256(t + 2), ih);
      const __m256i bh = _mm256_shuffle_epi8(_mm256_load_si256(t + 3), ih);
      s0 = _mm256_add_epi16(s0, _mm256_add_epi16(_mm256_unpacklo_epi8(al, ah), _mm256_unpacklo_epi8(bl, bh)));
      s1 = _mm256_add_epi16(s1, _mm256_add_epi16(_mm256_unpackhi_epi8(al, ah), _mm256_unpackhi_epi8(bl, bh)));
    }
    // Lane 0 and lane 1 hold the same rows (different k): widen both and add.
    y0 = _mm256_add_epi32(y0, _mm256_add_epi32(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(s0)),
                                               _mm256_cvtepi16_epi32(_mm256_extracti128_si256(s0, 1))));
    y1 = _mm256_add_epi32(y1, _mm256_add_epi32(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(s1)),
                                               _mm256_cvtepi16_epi32(_mm256_extracti128_si256(s1, 1))));
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), y0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8), y1);
}

}  // namespace

void GemmTL16(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
              int32_t* y, int64_t ldy) {
  if (r0 >= r1) return;
  const int64_t groups = k / 8, tile_bytes = kTL16Rows * (k / 4);
  struct alignas(32) Row32 {
    uint8_t b[32];
  };
  thread_local std::vector<Row32> tables;  // 128 bytes per group; grows once per thread
  if (tables.size() < static_cast<size_t>(4 * groups)) tables.resize(static_cast<size_t>(4 * groups));
  auto* tab = tables.data()->b;
  alignas(32) int32_t sums[kTL16Rows];
  for (int64_t t = 0; t < m; ++t) {
    BuildTables(q + t * k, k, tab);
    for (int64_t tile = r0 / kTL16Rows; tile * kTL16Rows < r1; ++tile) {
      Tile(w + tile * tile_bytes, tab, groups, sums);
      const int64_t a = std::max(r0, tile * kTL16Rows), b = std::min(r1, (tile + 1) * kTL16Rows);
      for (int64_t r = a; r < b; ++r) y[t * ldy + r] = sums[r - tile * kTL16Rows];
    }
  }
}

}  // namespace bitnet::avx2
