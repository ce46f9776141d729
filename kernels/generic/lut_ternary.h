#pragma once
// The lookup-table (T-MAC / TL1 style) ternary layout "TL16" and its scalar kernel.
//
// Weights are regrouped so that one table of an activation pair serves 16 rows at once:
// - rows in tiles of 16 (tile t = rows 16t..16t+15; rows past the end read as weight 0);
// - a pair of weights (k = 2p, 2p+1) with codes c0, c1 (0,1,2 = -1,0,+1, as in I2_S) is the 4-bit
//   index c0 | c1 << 2;
// - a tile is K/8 groups of 32 bytes (k = 8g..8g+7): byte r (0..15) holds row r's pairs
//   (8g, 8g+1) in the low and (8g+2, 8g+3) in the high nibble; byte 16 + r holds its pairs
//   (8g+4, 8g+5) and (8g+6, 8g+7).
// A tile is 16 * K/4 bytes, as many as the 16 I2_S rows it replaces; K must be a multiple of 8.
// Per token, the kernel tabulates every pair's 16 possible sums w0*q0 + w1*q1 (int16, split into low
// and high bytes for 8-bit table lookups) and adds the looked-up entries: exact int32 results,
// identical to gemm_i2s on the same weights (the unused code 3 reads as +2 in both).
#include <cstdint>

namespace bitnet {

inline constexpr int kTL16Rows = 16;  // rows per tile

// Bytes of an n_rows x k weight matrix in the TL16 layout.
int64_t TL16PackedBytes(int64_t n_rows, int64_t k);

// Repacks n_rows rows of I2_S codes (k a multiple of 128, rows of k/4 bytes, no tail) into TL16
// (`out` holds TL16PackedBytes(n_rows, k) bytes).
void PackI2SToTL16(const uint8_t* i2s, int64_t n_rows, int64_t k, uint8_t* out);

namespace ref {
// y[t * ldy + r] = sum_i w_ri * q_ti for rows [r0, r1) of the TL16 matrix `w` (the gemm_tl16 slot).
void GemmTL16(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
              int32_t* y, int64_t ldy);
}  // namespace ref

}  // namespace bitnet
