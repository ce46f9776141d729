#pragma once
// Decoders of llama.cpp's block formats (Q8_0, Q4_0, Q4_K, Q6_K) and of Bonsai's Q1_0_g128 into
// integer values with one float scale and one float offset per 32-value sub-block:
//
//   x[32 s + i] = scale[s] * v[32 s + i] - offset[s]
//
// Shared by the reference dequantizers (block_quant_ref.cc) and the reference matmuls
// (block_kernels.cc), so both read the same layout. Layouts (llama.cpp ggml-common.h):
//   Q8_0 (32 values, 34 bytes):  fp16 d, int8 qs[32];                       x = d * q
//   Q4_0 (32 values, 18 bytes):  fp16 d, uint8 qs[16]; value j in the low nibble of qs[j],
//                                value j+16 in the high nibble;              x = d * (nibble - 8)
//   Q4_K (256 values, 144 bytes): fp16 d, fp16 dmin, uint8 scales[12] (eight 6-bit scales and
//                                eight 6-bit mins), uint8 qs[128]; sub-block s (32 values) of
//                                64-value chunk c = s/2 is the low (s even) or high nibble of
//                                qs[32c..32c+31];                            x = d*sc_s*q - dmin*m_s
//   Q6_K (256 values, 210 bytes): uint8 ql[128], uint8 qh[64], int8 scales[16], fp16 d; 6-bit
//                                q - 32, one int8 scale per 16 values;       x = d * sc * (q - 32)
//   Q1_0_g128 (128 values, 18 bytes): fp16 d, uint8 qs[16]; bit i%8 of byte i/8 (LSB first):
//                                1 -> +d, 0 -> -d                            x = d * (2 bit - 1)
// Q6_K's per-16 scales are folded into the values (v = sc * (q - 32), |v| <= 128*32), so v is int16.
#include <cstdint>
#include <cstring>

#include "kernels/quant_types.h"

namespace bitnet::ref {

inline constexpr int kQ8Block = 32, kQ8BlockBytes = 34;
inline constexpr int kQ4_0Block = 32, kQ4_0BlockBytes = 18;
inline constexpr int kQKBlock = 256, kQ4KBlockBytes = 144, kQ6KBlockBytes = 210;
inline constexpr int kQ1Block = 128, kQ1BlockBytes = 18;
inline constexpr int kSubBlock = 32;  // activation block of the block kernels

inline float LoadHalf(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, sizeof(h));
  return Fp16ToFp32(h);
}

inline void DecodeQ8_0Block(const uint8_t* b, int16_t* v, float* scale, float* offset) {
  scale[0] = LoadHalf(b);
  offset[0] = 0.0f;
  for (int i = 0; i < 32; ++i) v[i] = static_cast<int8_t>(b[2 + i]);
}

inline void DecodeQ4_0Block(const uint8_t* b, int16_t* v, float* scale, float* offset) {
  scale[0] = LoadHalf(b);
  offset[0] = 0.0f;
  for (int j = 0; j < 16; ++j) {
    v[j] = static_cast<int16_t>((b[2 + j] & 0x0f) - 8);
    v[j + 16] = static_cast<int16_t>((b[2 + j] >> 4) - 8);
  }
}

// The 6-bit scale and min of sub-block j (0..7) of a Q4_K block (llama.cpp get_scale_min_k4).
inline void Q4KScaleMin(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = static_cast<uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
    *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

inline void DecodeQ4KBlock(const uint8_t* b, int16_t* v, float* scale, float* offset) {
  const float d = LoadHalf(b), dmin = LoadHalf(b + 2);
  const uint8_t* scales = b + 4;
  const uint8_t* qs = b + 16;
  for (int s = 0; s < 8; ++s) {
    uint8_t sc, m;
    Q4KScaleMin(s, scales, &sc, &m);
    scale[s] = d * static_cast<float>(sc);
    offset[s] = dmin * static_cast<float>(m);
    const uint8_t* q = qs + 32 * (s / 2);
    for (int l = 0; l < 32; ++l) v[32 * s + l] = static_cast<int16_t>((s % 2 == 0) ? (q[l] & 0x0f) : (q[l] >> 4));
  }
}

inline void DecodeQ6KBlock(const uint8_t* b, int16_t* v, float* scale, float* offset) {
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
  const float d = LoadHalf(b + 208);
  for (int s = 0; s < 8; ++s) {
    scale[s] = d;
    offset[s] = 0.0f;
  }
  for (int half = 0; half < 2; ++half) {  // 128 values each: ql += 64, qh += 32, sc += 8
    const uint8_t* L = ql + 64 * half;
    const uint8_t* H = qh + 32 * half;
    const int8_t* S = sc + 8 * half;
    int16_t* y = v + 128 * half;
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = ((L[l] & 0x0f) | (((H[l] >> 0) & 3) << 4)) - 32;
      const int q2 = ((L[l + 32] & 0x0f) | (((H[l] >> 2) & 3) << 4)) - 32;
      const int q3 = ((L[l] >> 4) | (((H[l] >> 4) & 3) << 4)) - 32;
      const int q4 = ((L[l + 32] >> 4) | (((H[l] >> 6) & 3) << 4)) - 32;
      y[l] = static_cast<int16_t>(S[is + 0] * q1);
      y[l + 32] = static_cast<int16_t>(S[is + 2] * q2);
      y[l + 64] = static_cast<int16_t>(S[is + 4] * q3);
      y[l + 96] = static_cast<int16_t>(S[is + 6] * q4);
    }
  }
}

inline void DecodeQ1_0_g128Block(const uint8_t* b, int16_t* v, float* scale, float* offset) {
  const float d = LoadHalf(b);
  for (int s = 0; s < 4; ++s) {
    scale[s] = d;
    offset[s] = 0.0f;
  }
  for (int i = 0; i < 128; ++i) v[i] = ((b[2 + i / 8] >> (i % 8)) & 1) ? 1 : -1;
}

}  // namespace bitnet::ref
