#pragma once
// The tiling loops the x86 I2_S kernels share; the ISA files supply the inner pieces (code
// unpacking, register micro-tiles, row tiles, activation sums). Header-only with internal
// linkage: each ISA file instantiates it under its own compile flags.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace bitnet::x86 {
namespace {  // NOLINT: one copy per ISA translation unit, on purpose

// Prefill: PR rows are unpacked once per segment of SegBlocks blocks into value-ordered code
// bytes, then micro[R-1][T-1] computes R x T dot products of a segment for PT-token groups.
// y = sum(codes * q) - qsum (unsigned codes c = w + 1), accumulated over segments in int32.
template <int PR, int PT, int64_t SegBlocks, size_t Align, typename Unpack, typename MicroTable>
void TiledI2SPrefill(Unpack unpack, const MicroTable& micro, const uint8_t* w, int64_t k, int64_t r0,
                     int64_t r1, const int8_t* q, int64_t m, const int32_t* qsum, int32_t* y,
                     int64_t ldy) {
  const int64_t nb = k / 128, row_bytes = k / 4;
  const int64_t nseg = (nb + SegBlocks - 1) / SegBlocks, seg = (nb + nseg - 1) / nseg;  // even split
  alignas(Align) uint8_t codes[PR][SegBlocks * 128];
  int32_t out[PR][PT];
  for (int64_t rb = r0; rb < r1; rb += PR) {
    const int R = static_cast<int>(std::min<int64_t>(PR, r1 - rb));
    for (int64_t s0 = 0; s0 < nb; s0 += seg) {
      const int64_t sn = std::min(seg, nb - s0);
      for (int r = 0; r < R; ++r) unpack(w + (rb + r) * row_bytes + 32 * s0, sn, codes[r]);
      for (int64_t t0 = 0; t0 < m; t0 += PT) {
        const int T = static_cast<int>(std::min<int64_t>(PT, m - t0));
        micro[R - 1][T - 1](codes[0], SegBlocks * 128, q + t0 * k + 128 * s0, k, 128 * sn, out);
        for (int r = 0; r < R; ++r)
          for (int t = 0; t < T; ++t) {
            int32_t& dst = y[(t0 + t) * ldy + rb + r];
            dst = s0 == 0 ? out[r][t] - qsum[t0 + t] : dst + out[r][t];
          }
      }
    }
  }
}

// The whole I2_S GEMM: tokens in blocks of 256 (their activation sums computed once); blocks of
// at least prefill_min tokens go to `prefill`, smaller ones to row tiles of RowTile rows and at
// most TokTile tokens (`tiles[T]`).
template <int64_t RowTile, int TokTile, typename SumFn, typename PrefillFn, typename TileTable>
void TiledI2S(SumFn sum_i8, int64_t prefill_min, PrefillFn prefill, const TileTable& tiles, const uint8_t* w,
              int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m, int32_t* y, int64_t ldy) {
  constexpr int64_t kTokBlock = 256;  // tokens whose q sums are kept at once
  int32_t qsum[kTokBlock];
  for (int64_t t0 = 0; t0 < m; t0 += kTokBlock) {
    const int64_t tn = std::min(kTokBlock, m - t0);
    for (int64_t t = 0; t < tn; ++t) qsum[t] = sum_i8(q + (t0 + t) * k, k);
    if (tn >= prefill_min) {
      prefill(w, k, r0, r1, q + t0 * k, tn, qsum, y + t0 * ldy, ldy);
      continue;
    }
    for (int64_t rb = r0; rb < r1; rb += RowTile) {
      const int64_t re = std::min(r1, rb + RowTile);
      for (int64_t tg = 0; tg < tn; tg += TokTile) {
        const int64_t T = std::min<int64_t>(TokTile, tn - tg);
        tiles[T](w, k, rb, re, q + (t0 + tg) * k, qsum + tg, y + (t0 + tg) * ldy, ldy);
      }
    }
  }
}

}  // namespace
}  // namespace bitnet::x86
