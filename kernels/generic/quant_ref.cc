// Reference packers and dequantizers of the weight formats (whole tensors of n values).
//
// The packers reproduce the reference quantizers of the projects that define each format:
//   Q8_0, TQ1_0, TQ2_0: llama.cpp ggml-quants.c quantize_row_{q8_0,tq1_0,tq2_0}_ref
//   I2_S:               bitnet.cpp src/ggml-bitnet-mad.cpp quantize_i2_s (x86 128/32 layout)
// Rounding matters for bit-exactness: Q8_0 uses roundf and TQ uses lroundf (both round half
// away from zero), the TQ code uses the f32 inverse of the block's amax while the stored d is
// its fp16 rounding, and I2_S computes its scale and signs in double.
// The dequantizers read the ternary layouts through ternary_codes.h so that the matmul
// references and the dequantizers cannot disagree about the layout.
//
// Counts that are not a whole number of blocks are the caller's error (TensorBytes rejects
// them); only whole blocks are converted here.
#include "kernels/generic/quant_ref.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include "kernels/generic/ternary_codes.h"
#include "kernels/quant_types.h"

namespace bitnet::ref {
namespace {

constexpr int kQ8Block = 32;
constexpr int kQ8Bytes = 34;  // fp16 d, then int8 qs[32]

void StoreHalf(uint8_t* dst, uint16_t h) { std::memcpy(dst, &h, sizeof(h)); }

float LoadHalfAsFloat(const uint8_t* src) {
  uint16_t h;
  std::memcpy(&h, src, sizeof(h));
  return Fp16ToFp32(h);
}

float BlockAbsMax(const float* x, int n) {
  float amax = 0.0f;
  for (int i = 0; i < n; ++i) amax = std::max(amax, std::fabs(x[i]));
  return amax;
}

// Ternary code of x under inverse scale id, as llama.cpp's TQ packers compute it:
// lroundf (half away from zero) then +1, so -1/0/+1 become 0/1/2.
int TernaryCode(float x, float id) { return static_cast<int>(std::lround(x * id)) + 1; }

// Packs trits (each 0..2, most significant first) of one TQ1_0 byte: base-3 value v of k
// trits, padded to 5 trits, stored as ceil(v * 256 / 243) so that TritAt can read it back
// by multiplication instead of division.
uint8_t PackTrits(const int* trits, int k) {
  unsigned v = 0;
  for (int i = 0; i < k; ++i) v = v * 3 + static_cast<unsigned>(trits[i]);
  for (int i = k; i < 5; ++i) v *= 3;
  v &= 0xff;  // upstream accumulates in uint8_t; valid trits never exceed 242
  return static_cast<uint8_t>((v * 256 + 242) / 243);
}

}  // namespace

// ---- F32 / F16 / BF16 -------------------------------------------------------------------

void DequantF32(const void* src, float* dst, int64_t n) {
  std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
}

void QuantizeF32(const float* src, void* dst, int64_t n) {
  std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
}

void DequantF16(const void* src, float* dst, int64_t n) {
  const uint8_t* s = static_cast<const uint8_t*>(src);
  for (int64_t i = 0; i < n; ++i) dst[i] = LoadHalfAsFloat(s + 2 * i);
}

void QuantizeF16(const float* src, void* dst, int64_t n) {
  uint8_t* d = static_cast<uint8_t*>(dst);
  for (int64_t i = 0; i < n; ++i) StoreHalf(d + 2 * i, Fp32ToFp16(src[i]));
}

void DequantBF16(const void* src, float* dst, int64_t n) {
  const uint8_t* s = static_cast<const uint8_t*>(src);
  for (int64_t i = 0; i < n; ++i) {
    uint16_t h;
    std::memcpy(&h, s + 2 * i, sizeof(h));
    dst[i] = Bf16ToFp32(h);
  }
}

void QuantizeBF16(const float* src, void* dst, int64_t n) {
  uint8_t* d = static_cast<uint8_t*>(dst);
  for (int64_t i = 0; i < n; ++i) StoreHalf(d + 2 * i, Fp32ToBf16(src[i]));
}

// ---- Q8_0: blocks of 32, fp16 d = amax / 127, qs = roundf(x / d) -------------------------

void DequantQ8_0(const void* src, float* dst, int64_t n) {
  assert(n % kQ8Block == 0);
  const uint8_t* s = static_cast<const uint8_t*>(src);
  for (int64_t b = 0; b < n / kQ8Block; ++b) {
    const uint8_t* blk = s + b * kQ8Bytes;
    const float d = LoadHalfAsFloat(blk);
    const int8_t* qs = reinterpret_cast<const int8_t*>(blk + 2);
    for (int i = 0; i < kQ8Block; ++i) dst[b * kQ8Block + i] = static_cast<float>(qs[i]) * d;
  }
}

void QuantizeQ8_0(const float* src, void* dst, int64_t n) {
  assert(n % kQ8Block == 0);
  uint8_t* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kQ8Block; ++b) {
    const float* x = src + b * kQ8Block;
    uint8_t* blk = out + b * kQ8Bytes;
    const float d = BlockAbsMax(x, kQ8Block) / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    StoreHalf(blk, Fp32ToFp16(d));
    for (int i = 0; i < kQ8Block; ++i) {
      const int8_t q = static_cast<int8_t>(std::round(x[i] * id));
      std::memcpy(blk + 2 + i, &q, 1);
    }
  }
}

// ---- TQ2_0: blocks of 256, qs[64] (4 codes per byte) then fp16 d = amax ------------------

void DequantTQ2_0(const void* src, float* dst, int64_t n) {
  assert(n % kTQBlock == 0);
  const uint8_t* s = static_cast<const uint8_t*>(src);
  int8_t w[kTQBlock];
  for (int64_t b = 0; b < n / kTQBlock; ++b) {
    const float d = DecodeTQ2Block(s + b * kTQ2Bytes, w);
    for (int i = 0; i < kTQBlock; ++i) dst[b * kTQBlock + i] = static_cast<float>(w[i]) * d;
  }
}

void QuantizeTQ2_0(const float* src, void* dst, int64_t n) {
  assert(n % kTQBlock == 0);
  uint8_t* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kTQBlock; ++b) {
    const float* x = src + b * kTQBlock;
    uint8_t* blk = out + b * kTQ2Bytes;
    const float d = BlockAbsMax(x, kTQBlock);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    // Two 128-value chunks of 32 bytes: value 32n + m of a chunk goes to bits 2n of byte m.
    for (int chunk = 0; chunk < 2; ++chunk) {
      for (int m = 0; m < 32; ++m) {
        unsigned byte = 0;
        for (int k = 0; k < 4; ++k)
          byte |= static_cast<unsigned>(TernaryCode(x[128 * chunk + 32 * k + m], id) & 3) << (2 * k);
        blk[32 * chunk + m] = static_cast<uint8_t>(byte);
      }
    }
    StoreHalf(blk + 64, Fp32ToFp16(d));
  }
}

// ---- TQ1_0: blocks of 256, qs[48] (5 trits per byte), qh[4] (4 trits), fp16 d = amax -----

void DequantTQ1_0(const void* src, float* dst, int64_t n) {
  assert(n % kTQBlock == 0);
  const uint8_t* s = static_cast<const uint8_t*>(src);
  int8_t w[kTQBlock];
  for (int64_t b = 0; b < n / kTQBlock; ++b) {
    const float d = DecodeTQ1Block(s + b * kTQ1Bytes, w);
    for (int i = 0; i < kTQBlock; ++i) dst[b * kTQBlock + i] = static_cast<float>(w[i]) * d;
  }
}

void QuantizeTQ1_0(const float* src, void* dst, int64_t n) {
  assert(n % kTQBlock == 0);
  uint8_t* out = static_cast<uint8_t*>(dst);
  for (int64_t b = 0; b < n / kTQBlock; ++b) {
    const float* x = src + b * kTQBlock;
    uint8_t* blk = out + b * kTQ1Bytes;
    const float d = BlockAbsMax(x, kTQBlock);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    int trits[5];
    // Values 0..159: byte m (0..31) holds values m, m+32, ..., m+128 (first = most significant).
    for (int m = 0; m < 32; ++m) {
      for (int k = 0; k < 5; ++k) trits[k] = TernaryCode(x[32 * k + m], id);
      blk[m] = PackTrits(trits, 5);
    }
    // Values 160..239: byte 32+m (m 0..15) holds 160+m, 176+m, ..., 224+m.
    for (int m = 0; m < 16; ++m) {
      for (int k = 0; k < 5; ++k) trits[k] = TernaryCode(x[160 + 16 * k + m], id);
      blk[32 + m] = PackTrits(trits, 5);
    }
    // Values 240..255: qh[j] (j 0..3) holds 240+j, 244+j, 248+j, 252+j, then a zero trit.
    for (int j = 0; j < 4; ++j) {
      for (int k = 0; k < 4; ++k) trits[k] = TernaryCode(x[240 + 4 * k + j], id);
      blk[48 + j] = PackTrits(trits, 4);
    }
    StoreHalf(blk + 52, Fp32ToFp16(d));
  }
}

// ---- I2_S: n/4 code bytes (128-value blocks of 32 bytes), then a 32-byte tail ------------

void DequantI2S(const void* src, float* dst, int64_t n) {
  assert(n % kI2SBlock == 0);
  const uint8_t* s = static_cast<const uint8_t*>(src);
  const float scale = I2SScale(src, n);
  int8_t w[kI2SBlock];
  for (int64_t b = 0; b < n / kI2SBlock; ++b) {
    DecodeI2SBlock(s + b * kI2SBlockBytes, w);
    for (int i = 0; i < kI2SBlock; ++i) dst[b * kI2SBlock + i] = static_cast<float>(w[i]) * scale;
  }
}

void QuantizeI2S(const float* src, void* dst, int64_t n) {
  assert(n % kI2SBlock == 0);
  uint8_t* out = static_cast<uint8_t*>(dst);
  // bitnet.cpp takes the scale (max |x| over the whole tensor) and the signs in double.
  double max = 0.0;
  for (int64_t i = 0; i < n; ++i) max = std::fmax(max, std::fabs(static_cast<double>(src[i])));
  auto code = [max](float v) -> unsigned {
    const double x = static_cast<double>(v);
    if (std::fabs(x) < 1e-6) return 1;  // zero
    return x * max > 0 ? 2 : 0;         // +1 : -1 (NaN falls to -1, as upstream)
  };
  for (int64_t b = 0; b < n / kI2SBlock; ++b) {
    const float* x = src + b * kI2SBlock;
    uint8_t* blk = out + b * kI2SBlockBytes;
    for (int j = 0; j < kI2SBlockBytes; ++j)
      blk[j] = static_cast<uint8_t>(code(x[j]) << 6 | code(x[j + 32]) << 4 |
                                    code(x[j + 64]) << 2 | code(x[j + 96]));
  }
  // Tail: the f32 scale, then zeros (bitnet.cpp leaves the rest of the tail unwritten).
  uint8_t* tail = out + n / 4;
  std::memset(tail, 0, kI2STail);
  const float scale = static_cast<float>(max);
  std::memcpy(tail, &scale, sizeof(scale));
}

}  // namespace bitnet::ref
