#pragma once
// Decoders of the ternary block formats into signed values {-1, 0, +1}: shared by the
// reference dequantizers and the reference matmuls so both read the same layout.
#include <cstdint>
#include <cstring>

#include "kernels/quant_types.h"

namespace bitnet::ref {

inline constexpr int kI2SBlock = 128;       // values per I2_S block
inline constexpr int kI2SBlockBytes = 32;   // bytes per I2_S block
inline constexpr int kI2STail = 32;         // per-tensor tail (f32 scale + padding)
inline constexpr int kTQBlock = 256;        // values per TQ1_0 / TQ2_0 block
inline constexpr int kTQ2Bytes = 66;        // qs[64] + fp16 d
inline constexpr int kTQ1Bytes = 54;        // qs[48] + qh[4] + fp16 d

// One I2_S block (32 bytes -> 128 values): byte j holds values j, j+32, j+64, j+96 in
// bits 7-6, 5-4, 3-2, 1-0. Codes 0,1,2 mean -1,0,+1; the unused code 3 decodes as code - 1 = +2,
// which is what every kernel computes from it (the packers never write it).
inline void DecodeI2SBlock(const uint8_t* src, int8_t* w) {
  for (int j = 0; j < 32; ++j) {
    const uint8_t b = src[j];
    w[j] = static_cast<int8_t>(((b >> 6) & 3) - 1);
    w[j + 32] = static_cast<int8_t>(((b >> 4) & 3) - 1);
    w[j + 64] = static_cast<int8_t>(((b >> 2) & 3) - 1);
    w[j + 96] = static_cast<int8_t>((b & 3) - 1);
  }
}

// One TQ2_0 block (66 bytes -> 256 values and the scale): within each 128-value chunk,
// value m + 32n sits in bits 2n..2n+1 of byte m.
inline float DecodeTQ2Block(const uint8_t* src, int8_t* w) {
  for (int chunk = 0; chunk < 2; ++chunk) {
    const uint8_t* qs = src + 32 * chunk;
    for (int n = 0; n < 4; ++n)
      for (int m = 0; m < 32; ++m)
        w[128 * chunk + 32 * n + m] = static_cast<int8_t>(((qs[m] >> (2 * n)) & 3) - 1);
  }
  uint16_t d;
  std::memcpy(&d, src + 64, 2);
  return Fp16ToFp32(d);
}

// The trit in position n (0 = most significant) of a byte that stores 5 (or 4) trits as
// ceil(v * 256 / 3^k): multiply by 3^n to bring it to the top, then take the top trit.
inline int8_t TritAt(uint8_t q, int n) {
  static constexpr uint8_t kPow3[6] = {1, 3, 9, 27, 81, 243};
  const uint8_t shifted = static_cast<uint8_t>(q * kPow3[n]);
  return static_cast<int8_t>(((static_cast<uint16_t>(shifted) * 3) >> 8) - 1);
}

// One TQ1_0 block (54 bytes -> 256 values and the scale): qs[0..31] hold 5 trits each for
// values 0..159 (value 32n + m is trit n of byte m), qs[32..47] hold 5 trits each for values
// 160..239 (value 160 + 16n + m is trit n of byte 32 + m), qh[0..3] hold 4 trits each for
// values 240..255 (value 240 + 4n + j is trit n of qh[j]); then an fp16 d.
inline float DecodeTQ1Block(const uint8_t* src, int8_t* w) {
  const uint8_t* qs = src;
  const uint8_t* qh = src + 48;
  for (int n = 0; n < 5; ++n)
    for (int m = 0; m < 32; ++m) w[32 * n + m] = TritAt(qs[m], n);
  for (int n = 0; n < 5; ++n)
    for (int m = 0; m < 16; ++m) w[160 + 16 * n + m] = TritAt(qs[32 + m], n);
  for (int n = 0; n < 4; ++n)
    for (int j = 0; j < 4; ++j) w[240 + 4 * n + j] = TritAt(qh[j], n);
  uint16_t d;
  std::memcpy(&d, src + 52, 2);
  return Fp16ToFp32(d);
}

}  // namespace bitnet::ref
