#include "kernels/generic/block_quant_ref.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include "kernels/generic/block_codes.h"
#include "kernels/quant_types.h"

namespace bitnet::ref {
namespace {

void StoreHalf(uint8_t* dst, float v) {
  const uint16_t h = Fp32ToFp16(v);
  std::memcpy(dst, &h, sizeof(h));
}

// Dequantizes whole blocks through a block_codes.h decoder.
template <int kBlock, int kBytes, void (*Decode)(const uint8_t*, int16_t*, float*, float*)>
void DequantBlocks(const void* src, float* dst, int64_t n) {
  assert(n % kBlock == 0);
  const auto* s = static_cast<const uint8_t*>(src);
  int16_t v[kBlock];
  float scale[kBlock / kSubBlock], offset[kBlock / kSubBlock];
  for (int64_t b = 0; b < n / kBlock; ++b) {
    Decode(s + b * kBytes, v, scale, offset);
    for (int i = 0; i < kBlock; ++i)
      dst[b * kBlock + i] = scale[i / kSubBlock] * static_cast<float>(v[i]) - offset[i / kSubBlock];
  }
}

int NearestInt(float x) { return static_cast<int>(std::nearbyint(x)); }

}  // namespace

// ---- Q4_0 ---------------------------------------------------------------------------------

void DequantQ4_0(const void* src, float* dst, int64_t n) {
  DequantBlocks<kQ4_0Block, kQ4_0BlockBytes, DecodeQ4_0Block>(src, dst, n);
}

void QuantizeQ4_0(const float* src, void* dst, int64_t n) {
  assert(n % kQ4_0Block == 0);
  auto* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kQ4_0Block; ++b) {
    const float* x = src + b * kQ4_0Block;
    uint8_t* blk = out + b * kQ4_0BlockBytes;
    float amax = 0.0f, max = 0.0f;  // the value of largest magnitude, with its sign
    for (int j = 0; j < kQ4_0Block; ++j)
      if (amax < std::fabs(x[j])) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    StoreHalf(blk, d);
    for (int j = 0; j < 16; ++j) {
      const int lo = std::min(15, static_cast<int>(static_cast<int8_t>(x[j] * id + 8.5f)));
      const int hi = std::min(15, static_cast<int>(static_cast<int8_t>(x[j + 16] * id + 8.5f)));
      blk[2 + j] = static_cast<uint8_t>(lo | (hi << 4));
    }
  }
}

// ---- Q4_K ---------------------------------------------------------------------------------

void DequantQ4_K(const void* src, float* dst, int64_t n) {
  DequantBlocks<kQKBlock, kQ4KBlockBytes, DecodeQ4KBlock>(src, dst, n);
}

void QuantizeQ4_K(const float* src, void* dst, int64_t n) {
  assert(n % kQKBlock == 0);
  auto* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kQKBlock; ++b) {
    const float* x = src + b * kQKBlock;
    uint8_t* blk = out + b * kQ4KBlockBytes;
    std::memset(blk, 0, kQ4KBlockBytes);
    float scales[8], mins[8], max_scale = 0.0f, max_min = 0.0f;
    for (int j = 0; j < 8; ++j) {  // x ~ scale * q - min over q in 0..15, with min >= 0
      const float* xs = x + 32 * j;
      float lo = 0.0f, hi = xs[0];
      for (int i = 0; i < 32; ++i) {
        lo = std::min(lo, xs[i]);
        hi = std::max(hi, xs[i]);
      }
      scales[j] = std::max(hi - lo, 0.0f) / 15.0f;
      mins[j] = -lo;
      max_scale = std::max(max_scale, scales[j]);
      max_min = std::max(max_min, mins[j]);
    }
    const float inv_scale = max_scale > 0 ? 63.0f / max_scale : 0.0f;
    const float inv_min = max_min > 0 ? 63.0f / max_min : 0.0f;
    uint8_t* sc = blk + 4;
    for (int j = 0; j < 8; ++j) {
      const auto ls = static_cast<uint8_t>(std::min(63, NearestInt(inv_scale * scales[j])));
      const auto lm = static_cast<uint8_t>(std::min(63, NearestInt(inv_min * mins[j])));
      if (j < 4) {
        sc[j] = ls;
        sc[j + 4] = lm;
      } else {
        sc[j + 4] = static_cast<uint8_t>((ls & 0x0f) | ((lm & 0x0f) << 4));
        sc[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
        sc[j] |= static_cast<uint8_t>((lm >> 4) << 6);
      }
    }
    StoreHalf(blk, max_scale / 63.0f);
    StoreHalf(blk + 2, max_min / 63.0f);
    const float d = LoadHalf(blk), dmin = LoadHalf(blk + 2);
    uint8_t L[kQKBlock] = {};
    for (int j = 0; j < 8; ++j) {
      uint8_t s, m;
      Q4KScaleMin(j, sc, &s, &m);
      const float ds = d * s;
      if (ds == 0.0f) continue;
      const float dm = dmin * m;
      for (int i = 0; i < 32; ++i)
        L[32 * j + i] = static_cast<uint8_t>(std::clamp(NearestInt((x[32 * j + i] + dm) / ds), 0, 15));
    }
    uint8_t* qs = blk + 16;
    for (int c = 0; c < 4; ++c)
      for (int l = 0; l < 32; ++l) qs[32 * c + l] = static_cast<uint8_t>(L[64 * c + l] | (L[64 * c + 32 + l] << 4));
  }
}

// ---- Q6_K ---------------------------------------------------------------------------------

void DequantQ6_K(const void* src, float* dst, int64_t n) {
  DequantBlocks<kQKBlock, kQ6KBlockBytes, DecodeQ6KBlock>(src, dst, n);
}

void QuantizeQ6_K(const float* src, void* dst, int64_t n) {
  assert(n % kQKBlock == 0);
  auto* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kQKBlock; ++b) {
    const float* x = src + b * kQKBlock;
    uint8_t* blk = out + b * kQ6KBlockBytes;
    std::memset(blk, 0, kQ6KBlockBytes);
    float scales[16], max_scale = 0.0f, max_abs_scale = 0.0f;
    for (int j = 0; j < 16; ++j) {  // make_qx_quants(16, 32, ...), rmse_type 0: the signed max
      float amax = 0.0f, max = 0.0f;
      for (int i = 0; i < 16; ++i)
        if (std::fabs(x[16 * j + i]) > amax) {
          amax = std::fabs(x[16 * j + i]);
          max = x[16 * j + i];
        }
      scales[j] = amax < 1e-15f ? 0.0f : max / -32.0f;
      if (std::fabs(scales[j]) > max_abs_scale) {
        max_abs_scale = std::fabs(scales[j]);
        max_scale = scales[j];
      }
    }
    uint8_t L[kQKBlock];
    std::fill(L, L + kQKBlock, uint8_t{32});
    auto* sc = reinterpret_cast<int8_t*>(blk + 192);
    if (max_abs_scale >= 1e-15f) {
      const float iscale = -128.0f / max_scale;
      StoreHalf(blk + 208, 1.0f / iscale);
      for (int j = 0; j < 16; ++j) sc[j] = static_cast<int8_t>(std::min(127, NearestInt(iscale * scales[j])));
      const float d = LoadHalf(blk + 208);
      for (int j = 0; j < 16; ++j) {
        const float ds = d * sc[j];
        if (ds == 0.0f) continue;
        for (int i = 0; i < 16; ++i)
          L[16 * j + i] = static_cast<uint8_t>(std::clamp(NearestInt(x[16 * j + i] / ds), -32, 31) + 32);
      }
    }
    uint8_t* ql = blk;
    uint8_t* qh = blk + 128;
    for (int half = 0; half < 2; ++half) {
      const uint8_t* l8 = L + 128 * half;
      for (int l = 0; l < 32; ++l) {
        ql[64 * half + l] = static_cast<uint8_t>((l8[l] & 0x0f) | ((l8[l + 64] & 0x0f) << 4));
        ql[64 * half + l + 32] = static_cast<uint8_t>((l8[l + 32] & 0x0f) | ((l8[l + 96] & 0x0f) << 4));
        qh[32 * half + l] = static_cast<uint8_t>((l8[l] >> 4) | ((l8[l + 32] >> 4) << 2) |
                                                 ((l8[l + 64] >> 4) << 4) | ((l8[l + 96] >> 4) << 6));
      }
    }
  }
}

// ---- Q1_0_g128 ----------------------------------------------------------------------------

void DequantQ1_0_g128(const void* src, float* dst, int64_t n) {
  DequantBlocks<kQ1Block, kQ1BlockBytes, DecodeQ1_0_g128Block>(src, dst, n);
}

void QuantizeQ1_0_g128(const float* src, void* dst, int64_t n) {
  assert(n % kQ1Block == 0);
  auto* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kQ1Block; ++b) {
    const float* x = src + b * kQ1Block;
    uint8_t* blk = out + b * kQ1BlockBytes;
    float sum = 0.0f;
    for (int i = 0; i < kQ1Block; ++i) sum += std::fabs(x[i]);
    StoreHalf(blk, sum / kQ1Block);
    std::memset(blk + 2, 0, 16);
    for (int i = 0; i < kQ1Block; ++i)
      if (x[i] >= 0.0f) blk[2 + i / 8] |= static_cast<uint8_t>(1u << (i % 8));
  }
}

}  // namespace bitnet::ref
