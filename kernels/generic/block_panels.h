#pragma once
// Decoded weight panels of the block formats, for the prefill (many-token) GEMM paths of the SIMD
// variants (x86/blocks_avx2.cc, arm/blocks_neon_tiles.h): a few rows' blocks are decoded once
// into plain signed bytes plus per-32 float factors, then reused by every token.
//
// Sub-block s (32 weights) of a row decodes to
//   w[32 s + i]  signed int8   Q8_0: q; Q4_0: nibble - 8; Q4_K: nibble (0..15); Q6_K: q - 32;
//                              Q1_0_g128: +1 / -1
//   scale[s]     float         Q8_0/Q4_0/Q6_K/Q1: d; Q4_K: d * sc_s
//   offset[s]    float         Q4_K: dmin * m_s; 0 otherwise (kHasOffset)
//   sc16[2 s], sc16[2 s + 1]   Q6_K's int8 scales of values 0..15 and 16..31 (kHasSub16)
// so that weight i of sub-block s is scale[s] * sc16 * w - offset[s], the same values as
// block_codes.h. Scalar and intrinsic-free: the ISA files include it and the compiler vectorizes
// the loops under their flags. Each Decode() writes one whole block (kSubs sub-blocks).
// Internal linkage (anonymous namespace, no calls to block_codes.h's inline functions): each ISA
// translation unit gets its own copy, so no copy compiled with one ISA's flags can be picked by
// the linker for another.
#include <cstdint>

#include <cstring>

#include "kernels/quant_types.h"

namespace bitnet::panel {
namespace {  // NOLINT: one copy per ISA translation unit, on purpose

inline float LoadHalf(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, sizeof(h));
  return Fp16ToFp32(h);
}

// The 6-bit scale and min of sub-block j (0..7) of a Q4_K block (as Q4KScaleMin).
inline void Q4KScaleMin(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = static_cast<uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
    *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

struct Q8_0 {
  static constexpr int kBlock = 32, kBytes = 34, kSubs = 1;
  static constexpr bool kHasOffset = false, kHasSub16 = false;
  static void Decode(const uint8_t* b, int8_t* w, float* scale, float*, int16_t*) {
    scale[0] = LoadHalf(b);
    for (int i = 0; i < 32; ++i) w[i] = static_cast<int8_t>(b[2 + i]);
  }
};

struct Q4_0 {
  static constexpr int kBlock = 32, kBytes = 18, kSubs = 1;
  static constexpr bool kHasOffset = false, kHasSub16 = false;
  static void Decode(const uint8_t* b, int8_t* w, float* scale, float*, int16_t*) {
    scale[0] = LoadHalf(b);
    for (int j = 0; j < 16; ++j) {
      w[j] = static_cast<int8_t>((b[2 + j] & 0x0f) - 8);
      w[j + 16] = static_cast<int8_t>((b[2 + j] >> 4) - 8);
    }
  }
};

struct Q4_K {
  static constexpr int kBlock = 256, kBytes = 144, kSubs = 8;
  static constexpr bool kHasOffset = true, kHasSub16 = false;
  static void Decode(const uint8_t* b, int8_t* w, float* scale, float* offset, int16_t*) {
    const float d = LoadHalf(b), dmin = LoadHalf(b + 2);
    for (int s = 0; s < 8; ++s) {
      uint8_t sc, m;
      Q4KScaleMin(s, b + 4, &sc, &m);
      scale[s] = d * static_cast<float>(sc);
      offset[s] = dmin * static_cast<float>(m);
    }
    for (int c = 0; c < 4; ++c) {
      const uint8_t* q = b + 16 + 32 * c;
      for (int l = 0; l < 32; ++l) {
        w[64 * c + l] = static_cast<int8_t>(q[l] & 0x0f);
        w[64 * c + 32 + l] = static_cast<int8_t>(q[l] >> 4);
      }
    }
  }
};

struct Q6_K {
  static constexpr int kBlock = 256, kBytes = 210, kSubs = 8;
  static constexpr bool kHasOffset = false, kHasSub16 = true;
  static void Decode(const uint8_t* b, int8_t* w, float* scale, float*, int16_t* sc16) {
    const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
    const float d = LoadHalf(b + 208);
    for (int s = 0; s < 8; ++s) scale[s] = d;
    for (int i = 0; i < 16; ++i) sc16[i] = sc[i];  // values 16 i .. 16 i + 15 = sub-block i/2, half i%2
    for (int half = 0; half < 2; ++half) {
      const uint8_t* L = b + 64 * half;
      const uint8_t* H = b + 128 + 32 * half;
      int8_t* o = w + 128 * half;
      for (int l = 0; l < 32; ++l) {
        o[l] = static_cast<int8_t>(((L[l] & 0x0f) | ((H[l] & 3) << 4)) - 32);
        o[l + 32] = static_cast<int8_t>(((L[l + 32] & 0x0f) | (((H[l] >> 2) & 3) << 4)) - 32);
        o[l + 64] = static_cast<int8_t>(((L[l] >> 4) | (((H[l] >> 4) & 3) << 4)) - 32);
        o[l + 96] = static_cast<int8_t>(((L[l + 32] >> 4) | (((H[l] >> 6) & 3) << 4)) - 32);
      }
    }
  }
};

struct Q1_0_g128 {
  static constexpr int kBlock = 128, kBytes = 18, kSubs = 4;
  static constexpr bool kHasOffset = false, kHasSub16 = false;
  static void Decode(const uint8_t* b, int8_t* w, float* scale, float*, int16_t*) {
    const float d = LoadHalf(b);
    for (int s = 0; s < 4; ++s) scale[s] = d;
    for (int i = 0; i < 128; ++i) w[i] = static_cast<int8_t>(((b[2 + i / 8] >> (i % 8)) & 1) * 2 - 1);
  }
};

// One row's sub-blocks [s0, s0 + ns) (s0 and ns multiples of F::kSubs) into a panel row.
template <class F>
inline void DecodeRow(const uint8_t* row, int64_t s0, int64_t ns, int8_t* w, float* scale, float* offset,
                      int16_t* sc16) {
  for (int64_t s = 0; s < ns; s += F::kSubs)
    F::Decode(row + (s0 + s) / F::kSubs * F::kBytes, w + 32 * s, scale + s, offset + s, sc16 + 2 * s);
}

}  // namespace
}  // namespace bitnet::panel
