// Pack/unpack round trips of every readable weight format, the half-precision helpers, the
// byte layouts pinned with hand-built vectors, and the size rules of the traits table.
#include <array>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/generic/quant_ref.h"
#include "kernels/generic/ternary_codes.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

uint16_t F32ToHalfBits(float f) { return Fp32ToFp16(f); }

bool IsHalfNaN(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0; }
bool IsBf16NaN(uint16_t h) { return (h & 0x7f80) == 0x7f80 && (h & 0x7f) != 0; }

// Ternary values in {-1, 0, +1} (fixed seed), with roughly a third of each.
std::vector<int8_t> RandomTernary(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> w(n);
  for (auto& v : w) v = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
  return w;
}

std::vector<uint8_t> Pack(QuantType t, const std::vector<float>& x) {
  const auto bytes = TensorBytes(t, x.size());
  REQUIRE(bytes.has_value());
  std::vector<uint8_t> out(*bytes, 0xCD);  // poison: every byte must be written
  GetQuantTraits(t).from_float_ref(x.data(), out.data(), static_cast<int64_t>(x.size()));
  return out;
}

std::vector<float> Unpack(QuantType t, const std::vector<uint8_t>& bytes, size_t n) {
  std::vector<float> out(n);
  GetQuantTraits(t).to_float(bytes.data(), out.data(), static_cast<int64_t>(n));
  return out;
}

}  // namespace

// ---- half precision ---------------------------------------------------------------------

TEST_CASE("fp16: all 65536 halves survive fp16 -> fp32 -> fp16", "[quant]") {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const float f = Fp16ToFp32(static_cast<uint16_t>(h));
    const uint16_t back = Fp32ToFp16(f);
    if (IsHalfNaN(static_cast<uint16_t>(h))) {
      INFO("half 0x" << std::hex << h);
      REQUIRE(std::isnan(f));
      REQUIRE(IsHalfNaN(back));
      REQUIRE((back & 0x8000) == (h & 0x8000));
    } else if (back != h) {
      FAIL("half 0x" << std::hex << h << " came back as 0x" << back);
    }
  }
}

TEST_CASE("fp16: decoded values are exact", "[quant]") {
  CHECK(Fp16ToFp32(0x3c00) == 1.0f);
  CHECK(Fp16ToFp32(0xc000) == -2.0f);
  CHECK(Fp16ToFp32(0x7bff) == 65504.0f);
  CHECK(Fp16ToFp32(0x0001) == std::ldexp(1.0f, -24));
  CHECK(Fp16ToFp32(0x03ff) == std::ldexp(1023.0f, -24));
  CHECK(Fp16ToFp32(0x0400) == std::ldexp(1.0f, -14));
  CHECK(std::bit_cast<uint32_t>(Fp16ToFp32(0x8000)) == 0x80000000u);
  CHECK(Fp16ToFp32(0x7c00) == std::numeric_limits<float>::infinity());
  CHECK(Fp16ToFp32(0xfc00) == -std::numeric_limits<float>::infinity());
}

TEST_CASE("fp16: rounding to nearest even, subnormals and overflow", "[quant]") {
  const float ulp1 = std::ldexp(1.0f, -10);  // half ulp at 1.0 is 2^-11
  CHECK(F32ToHalfBits(1.0f) == 0x3c00);
  CHECK(F32ToHalfBits(1.0f + ulp1 / 2) == 0x3c00);               // tie -> even (down)
  CHECK(F32ToHalfBits(1.0f + 3 * ulp1 / 2) == 0x3c02);           // tie -> even (up)
  CHECK(F32ToHalfBits(std::nextafter(1.0f + ulp1 / 2, 2.0f)) == 0x3c01);  // just above a tie
  CHECK(F32ToHalfBits(-(1.0f + ulp1 / 2)) == 0xbc00);
  // Subnormals: the smallest is 2^-24; 2^-25 is a tie between 0 and it (-> 0, even).
  CHECK(F32ToHalfBits(std::ldexp(1.0f, -24)) == 0x0001);
  CHECK(F32ToHalfBits(std::ldexp(1.0f, -25)) == 0x0000);
  CHECK(F32ToHalfBits(std::nextafter(std::ldexp(1.0f, -25), 1.0f)) == 0x0001);
  CHECK(F32ToHalfBits(std::ldexp(3.0f, -25)) == 0x0002);  // 1.5 * 2^-24: tie -> 2
  CHECK(F32ToHalfBits(-std::ldexp(1.0f, -25)) == 0x8000);  // signed zero
  CHECK(F32ToHalfBits(std::ldexp(1.0f, -30)) == 0x0000);
  CHECK(F32ToHalfBits(std::numeric_limits<float>::denorm_min()) == 0x0000);
  // The largest subnormal and the step into the normals.
  CHECK(F32ToHalfBits(std::ldexp(1023.0f, -24)) == 0x03ff);
  CHECK(F32ToHalfBits(std::ldexp(2047.0f, -25)) == 0x0400);  // tie 0x3ff/0x400 -> even
  CHECK(F32ToHalfBits(std::ldexp(1.0f, -14)) == 0x0400);
  // Overflow: 65504 is the largest half; 65520 is the tie with 65536 and rounds to inf.
  CHECK(F32ToHalfBits(65504.0f) == 0x7bff);
  CHECK(F32ToHalfBits(std::nextafter(65520.0f, 0.0f)) == 0x7bff);
  CHECK(F32ToHalfBits(65520.0f) == 0x7c00);
  CHECK(F32ToHalfBits(-65520.0f) == 0xfc00);
  CHECK(F32ToHalfBits(1e9f) == 0x7c00);
  CHECK(F32ToHalfBits(std::numeric_limits<float>::max()) == 0x7c00);
  CHECK(F32ToHalfBits(std::numeric_limits<float>::infinity()) == 0x7c00);
  CHECK(F32ToHalfBits(-std::numeric_limits<float>::infinity()) == 0xfc00);
  CHECK(IsHalfNaN(F32ToHalfBits(std::numeric_limits<float>::quiet_NaN())));
  CHECK(IsHalfNaN(F32ToHalfBits(std::bit_cast<float>(0x7f800001u))));  // signalling, low payload
  CHECK(IsHalfNaN(F32ToHalfBits(std::bit_cast<float>(0xff800001u))));
}

#if defined(__FLT16_MAX__)
// The compiler's own conversion (_Float16, IEEE round to nearest even) as an oracle.
TEST_CASE("fp16: matches the compiler's _Float16 conversions", "[quant]") {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    _Float16 v;
    const uint16_t hb = static_cast<uint16_t>(h);
    std::memcpy(&v, &hb, 2);
    const float ours = Fp16ToFp32(hb);
    const float theirs = static_cast<float>(v);
    if (std::isnan(theirs)) {
      REQUIRE(std::isnan(ours));
    } else if (std::bit_cast<uint32_t>(ours) != std::bit_cast<uint32_t>(theirs)) {
      FAIL("half 0x" << std::hex << h);
    }
  }
  auto check = [](float f) {
    const volatile float vf = f;
    const _Float16 c = static_cast<_Float16>(vf);
    uint16_t cb;
    std::memcpy(&cb, &c, 2);
    const uint16_t ours = Fp32ToFp16(f);
    if (IsHalfNaN(cb)) return IsHalfNaN(ours);
    return ours == cb;
  };
  // Every half boundary: each finite half, the midpoints to its neighbour and one float
  // either side of them, both signs.
  size_t checked = 0;
  for (uint32_t h = 0; h < 0x7c00; ++h) {
    const float lo = Fp16ToFp32(static_cast<uint16_t>(h));
    const float hi = Fp16ToFp32(static_cast<uint16_t>(h + 1));  // 0x7c00 is +inf
    const float mid = h + 1 == 0x7c00 ? 65520.0f : lo + (hi - lo) / 2;  // exact in float
    for (float f : {lo, mid, std::nextafter(mid, 0.0f), std::nextafter(mid, 1e30f)}) {
      if (!check(f) || !check(-f)) FAIL("f32 " << f << " (bits 0x" << std::hex << std::bit_cast<uint32_t>(f) << ")");
      checked += 2;
    }
  }
  // Random bit patterns over the whole float range (fixed seed).
  std::mt19937 rng(20240601);
  for (int i = 0; i < 1 << 20; ++i) {
    const float f = std::bit_cast<float>(static_cast<uint32_t>(rng()));
    if (!check(f)) FAIL("f32 bits 0x" << std::hex << std::bit_cast<uint32_t>(f) << " (seed 20240601)");
    ++checked;
  }
  CHECK(checked > 1000000);
}
#endif

TEST_CASE("bf16: all 65536 values round-trip; rounding to nearest even", "[quant]") {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const float f = Bf16ToFp32(static_cast<uint16_t>(h));
    const uint16_t back = Fp32ToBf16(f);
    if (IsBf16NaN(static_cast<uint16_t>(h))) {
      REQUIRE(std::isnan(f));
      REQUIRE(IsBf16NaN(back));
    } else if (back != h) {
      FAIL("bf16 0x" << std::hex << h << " came back as 0x" << back);
    }
  }
  const float ulp = std::ldexp(1.0f, -7);
  CHECK(Fp32ToBf16(1.0f) == 0x3f80);
  CHECK(Fp32ToBf16(1.0f + ulp / 2) == 0x3f80);      // tie -> even
  CHECK(Fp32ToBf16(1.0f + 3 * ulp / 2) == 0x3f82);  // tie -> even
  CHECK(Fp32ToBf16(std::nextafter(1.0f + ulp / 2, 2.0f)) == 0x3f81);
  CHECK(Fp32ToBf16(std::numeric_limits<float>::max()) == 0x7f80);  // rounds up to inf
  CHECK(Fp32ToBf16(-std::numeric_limits<float>::infinity()) == 0xff80);
  CHECK(IsBf16NaN(Fp32ToBf16(std::bit_cast<float>(0x7f800001u))));  // payload only in low bits
  CHECK(IsBf16NaN(Fp32ToBf16(std::numeric_limits<float>::quiet_NaN())));
  CHECK(Fp32ToBf16(std::numeric_limits<float>::denorm_min()) == 0x0000);
}

// ---- sizes --------------------------------------------------------------------------------

TEST_CASE("sizes: TensorBytes and RowBytes per format, non-multiples rejected", "[quant]") {
  CHECK(TensorBytes(QuantType::I2_S, 128) == 32u + 32u);
  CHECK(TensorBytes(QuantType::I2_S, 2560 * 6912) == 2560u * 6912u / 4 + 32);
  CHECK(RowBytes(QuantType::I2_S, 2560) == 640u);
  CHECK(TensorBytes(QuantType::TQ2_0, 256) == 66u);
  CHECK(TensorBytes(QuantType::TQ2_0, 2560) == 660u);
  CHECK(TensorBytes(QuantType::TQ1_0, 256) == 54u);
  CHECK(RowBytes(QuantType::TQ1_0, 6912) == 27u * 54u);
  CHECK(TensorBytes(QuantType::Q8_0, 32) == 34u);
  CHECK(TensorBytes(QuantType::Q8_0, 96) == 102u);
  CHECK(TensorBytes(QuantType::F16, 3) == 6u);
  CHECK(TensorBytes(QuantType::BF16, 5) == 10u);
  CHECK(TensorBytes(QuantType::F32, 7) == 28u);
  CHECK(TensorBytes(QuantType::I2_S, 0) == 32u);
  // Non-multiples.
  CHECK_FALSE(TensorBytes(QuantType::I2_S, 64).has_value());
  CHECK_FALSE(TensorBytes(QuantType::I2_S, 130).has_value());
  CHECK_FALSE(RowBytes(QuantType::I2_S, 100).has_value());
  CHECK_FALSE(TensorBytes(QuantType::TQ2_0, 128).has_value());
  CHECK_FALSE(TensorBytes(QuantType::TQ1_0, 257).has_value());
  CHECK_FALSE(TensorBytes(QuantType::Q8_0, 33).has_value());
  // Formats without a fixed layout, and overflow.
  CHECK_FALSE(TensorBytes(QuantType::TL2, 256).has_value());
  CHECK_FALSE(TensorBytes(QuantType::F32, std::numeric_limits<uint64_t>::max()).has_value());
  // Every readable format has both conversions.
  for (QuantType t : {QuantType::F32, QuantType::F16, QuantType::BF16, QuantType::Q8_0,
                      QuantType::TQ1_0, QuantType::TQ2_0, QuantType::I2_S}) {
    CHECK(GetQuantTraits(t).to_float != nullptr);
    CHECK(GetQuantTraits(t).from_float_ref != nullptr);
  }
}

// ---- plain float formats --------------------------------------------------------------------

TEST_CASE("F32/F16/BF16 tensors: exact for representable values", "[quant]") {
  const auto r = test::RandomFloats(777, 7);
  std::vector<float> halves(r.size()), bf(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    halves[i] = Fp16ToFp32(Fp32ToFp16(r[i] * 100.0f));
    bf[i] = Bf16ToFp32(Fp32ToBf16(r[i] * 1e20f));
  }
  CHECK(Unpack(QuantType::F32, Pack(QuantType::F32, r), r.size()) == r);
  CHECK(Unpack(QuantType::F16, Pack(QuantType::F16, halves), r.size()) == halves);
  CHECK(Unpack(QuantType::BF16, Pack(QuantType::BF16, bf), r.size()) == bf);
  // Byte order: little-endian half bits.
  const auto one = Pack(QuantType::F16, {1.0f, -2.0f});
  CHECK(one == std::vector<uint8_t>{0x00, 0x3c, 0x00, 0xc0});
  const auto b = Pack(QuantType::BF16, {1.0f});
  CHECK(b == std::vector<uint8_t>{0x80, 0x3f});
}

// ---- Q8_0 ---------------------------------------------------------------------------------

TEST_CASE("Q8_0: layout, half-away-from-zero rounding, error bound", "[quant]") {
  SECTION("known block") {
    std::vector<float> x(32, 0.0f);
    x[0] = 127.0f;  // amax 127 -> d = 1 exactly
    x[1] = 2.5f;    // roundf: 3 (half away from zero; half-to-even would give 2)
    x[2] = -2.5f;
    x[3] = 0.5f;
    x[4] = -0.49f;
    x[5] = -127.0f;
    const auto q = Pack(QuantType::Q8_0, x);
    REQUIRE(q.size() == 34);
    CHECK(q[0] == 0x00);
    CHECK(q[1] == 0x3c);  // fp16 1.0 first
    CHECK(static_cast<int8_t>(q[2]) == 127);
    CHECK(static_cast<int8_t>(q[3]) == 3);
    CHECK(static_cast<int8_t>(q[4]) == -3);
    CHECK(static_cast<int8_t>(q[5]) == 1);
    CHECK(static_cast<int8_t>(q[6]) == 0);
    CHECK(static_cast<int8_t>(q[7]) == -127);
    for (int i = 8; i < 34; ++i) CHECK(q[i] == 0);
  }
  SECTION("all-zero block: d = 0, codes 0") {
    const auto q = Pack(QuantType::Q8_0, std::vector<float>(64, 0.0f));
    CHECK(q == std::vector<uint8_t>(68, 0));
    CHECK(Unpack(QuantType::Q8_0, q, 64) == std::vector<float>(64, 0.0f));
  }
  SECTION("random data within d/2 plus the fp16 rounding of d") {
    for (uint32_t seed : {1u, 2u, 3u}) {
      auto x = test::RandomFloats(32 * 41, seed);
      for (size_t i = 0; i < x.size(); ++i) x[i] *= static_cast<float>(1 + (i / 32) % 7);
      const auto y = Unpack(QuantType::Q8_0, Pack(QuantType::Q8_0, x), x.size());
      for (size_t b = 0; b < x.size() / 32; ++b) {
        float amax = 0;
        for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(x[b * 32 + i]));
        const float d = amax / 127.0f;
        const float bound = d * (0.5f + 127.0f / 2048.0f) + 1e-7f;
        for (int i = 0; i < 32; ++i) {
          INFO("seed " << seed << " block " << b << " i " << i);
          REQUIRE(std::fabs(x[b * 32 + i] - y[b * 32 + i]) <= bound);
        }
      }
    }
  }
}

// ---- ternary formats: round trips ------------------------------------------------------------

TEST_CASE("ternary formats: value*scale round-trips", "[quant]") {
  const size_t n = 256 * 12;
  const float scale = 0.8017578f;
  for (uint32_t seed : {11u, 12u}) {
    const auto w = RandomTernary(n, seed);
    std::vector<float> x(n);
    for (size_t i = 0; i < n; ++i) x[i] = w[i] * scale;
    // Make one block all zero (d = 0) and one block all +1.
    for (size_t i = 256; i < 512; ++i) x[i] = 0.0f;
    for (size_t i = 512; i < 768; ++i) x[i] = scale;
    INFO("seed " << seed);

    {  // I2_S: exact, scale in the tail, tail zero-filled
      const auto q = Pack(QuantType::I2_S, x);
      CHECK(I2SScale(q.data(), static_cast<int64_t>(n)) == scale);
      for (size_t i = n / 4 + 4; i < q.size(); ++i) CHECK(q[i] == 0);
      CHECK(Unpack(QuantType::I2_S, q, n) == x);
    }
    // TQ2_0 / TQ1_0: exact up to the fp16 rounding of d.
    for (QuantType t : {QuantType::TQ2_0, QuantType::TQ1_0}) {
      INFO(GetQuantTraits(t).name);
      const float dq = Fp16ToFp32(Fp32ToFp16(scale));
      const auto y = Unpack(t, Pack(t, x), n);
      for (size_t i = 0; i < n; ++i) {
        const float sign = x[i] == 0 ? 0.0f : (x[i] > 0 ? 1.0f : -1.0f);
        if (y[i] != sign * dq) FAIL("i " << i << " got " << y[i] << " want " << sign * dq);
      }
    }
  }
}

TEST_CASE("TQ packers: d is the block amax, codes use lroundf (half away from zero)", "[quant]") {
  for (QuantType t : {QuantType::TQ2_0, QuantType::TQ1_0}) {
    std::vector<float> x(256, 0.0f);
    x[0] = -2.0f;   // amax 2, d = 2
    x[1] = 1.0f;    // x/d = 0.5 -> +1
    x[2] = -1.0f;   // -0.5 -> -1
    x[3] = 0.99f;   // 0.495 -> 0
    x[4] = 1.5f;    // 0.75 -> +1
    x[200] = 2.0f;
    x[255] = -1.2f;
    const auto q = Pack(t, x);
    int8_t w[256];
    const float d = t == QuantType::TQ2_0 ? ref::DecodeTQ2Block(q.data(), w) : ref::DecodeTQ1Block(q.data(), w);
    INFO(GetQuantTraits(t).name);
    CHECK(d == 2.0f);
    CHECK(w[0] == -1);
    CHECK(w[1] == 1);
    CHECK(w[2] == -1);
    CHECK(w[3] == 0);
    CHECK(w[4] == 1);
    CHECK(w[200] == 1);
    CHECK(w[255] == -1);
    for (int i = 5; i < 255; ++i)
      if (i != 200) CHECK(w[i] == 0);
  }
}

// ---- ternary formats: layouts pinned by hand-built vectors ------------------------------------

TEST_CASE("I2_S layout: byte j holds values j, j+32, j+64, j+96 (high bits first)", "[quant]") {
  SECTION("decode") {
    std::vector<uint8_t> t(32 + 32, 0x55);  // code 1 everywhere: zeros
    t[0] = 0b10'01'00'10;                   // +1, 0, -1, +1
    t[31] = 0b00'10'01'00;                  // -1, +1, 0, -1 at 31, 63, 95, 127
    const float s = 0.5f;
    std::memcpy(t.data() + 32, &s, 4);
    const auto y = Unpack(QuantType::I2_S, t, 128);
    CHECK(y[0] == 0.5f);
    CHECK(y[32] == 0.0f);
    CHECK(y[64] == -0.5f);
    CHECK(y[96] == 0.5f);
    CHECK(y[31] == -0.5f);
    CHECK(y[63] == 0.5f);
    CHECK(y[95] == 0.0f);
    CHECK(y[127] == -0.5f);
    for (int i : {1, 30, 33, 65, 97, 126}) CHECK(y[i] == 0.0f);
  }
  SECTION("encode, second block, tail") {
    std::vector<float> x(256, 0.0f);
    x[0] = 1.5f;
    x[64] = -1.5f;
    x[96] = 1.5f;
    x[128 + 5] = -1.5f;  // block 1, byte 5, bits 7-6
    x[128 + 127] = 1e-7f;  // below 1e-6: zero
    x[128 + 126] = -2e-6f;  // above 1e-6: -1, and it does not change the scale much
    const auto q = Pack(QuantType::I2_S, x);
    REQUIRE(q.size() == 64 + 32);
    CHECK(q[0] == 0b10'01'00'10);
    CHECK(q[32 + 5] == 0b00'01'01'01);
    CHECK(q[32 + 31] == 0b01'01'01'01);  // value 255: 1e-7 -> zero
    CHECK(q[32 + 30] == 0b01'01'01'00);  // value 254: -2e-6 -> -1
    for (int j : {1, 2, 31, 32, 33, 60}) CHECK(q[j] == 0x55);
    CHECK(I2SScale(q.data(), 256) == 1.5f);
    const std::vector<uint8_t> tail(q.begin() + 68, q.end());
    CHECK(tail == std::vector<uint8_t>(28, 0));
  }
  SECTION("all-zero tensor: scale 0, codes 1") {
    const auto q = Pack(QuantType::I2_S, std::vector<float>(128, 0.0f));
    CHECK(std::vector<uint8_t>(q.begin(), q.begin() + 32) == std::vector<uint8_t>(32, 0x55));
    CHECK(I2SScale(q.data(), 128) == 0.0f);
  }
}

TEST_CASE("TQ2_0 layout: qs[64] then d; value m+32n of a 128-chunk in bits 2n of byte m", "[quant]") {
  std::vector<float> x(256, 0.0f);
  x[0] = 1.0f;
  x[64] = -1.0f;
  x[96] = 1.0f;
  x[128 + 5] = -1.0f;
  x[128 + 32 + 31] = 1.0f;  // chunk 1, byte 31, bits 2-3
  const auto q = Pack(QuantType::TQ2_0, x);
  REQUIRE(q.size() == 66);
  CHECK(q[0] == 0b10'00'01'10);   // value 96 in bits 6-7, 64 in 4-5, 32 in 2-3, 0 in 0-1
  CHECK(q[32 + 5] == 0b01'01'01'00);
  CHECK(q[32 + 31] == 0b01'01'10'01);
  for (int j : {1, 31, 32, 40, 62}) CHECK(q[j] == 0x55);
  CHECK(q[64] == 0x00);
  CHECK(q[65] == 0x3c);  // fp16 1.0 last
  int8_t w[256];
  CHECK(ref::DecodeTQ2Block(q.data(), w) == 1.0f);
  for (int i = 0; i < 256; ++i) CHECK(w[i] == static_cast<int8_t>(x[i]));
}

TEST_CASE("TQ1_0 layout: qs[48], qh[4], d; trits stored as ceil(v*256/243)", "[quant]") {
  SECTION("hand-computed bytes") {
    std::vector<float> x(256, 0.0f);
    x[0] = 1.0f;          // byte 0: trits 2,1,1,1,1 -> v = 202 -> ceil(202*256/243) = 213
    x[32 * 4 + 7] = -1.0f;  // byte 7: trits 1,1,1,1,0 -> v = 120 -> 127
    x[160 + 16 * 2 + 3] = 1.0f;  // byte 35: trits 1,1,2,1,1 -> v = 130 -> 137
    x[240 + 4 * 3 + 1] = 1.0f;   // qh[1]: trits 1,1,1,2 (,0) -> v = 41*3 = 123 -> 130
    const auto q = Pack(QuantType::TQ1_0, x);
    REQUIRE(q.size() == 54);
    CHECK(q[0] == 213);
    CHECK(q[7] == 127);
    CHECK(q[35] == 137);
    CHECK(q[49] == 130);
    CHECK(q[1] == 128);   // all zero trits: v = 121 -> 128
    CHECK(q[47] == 128);
    CHECK(q[48] == 127);  // qh zero trits: v = 40*3 = 120 -> 127
    CHECK(q[51] == 127);
    CHECK(q[52] == 0x00);
    CHECK(q[53] == 0x3c);
    int8_t w[256];
    CHECK(ref::DecodeTQ1Block(q.data(), w) == 1.0f);
    for (int i = 0; i < 256; ++i) CHECK(w[i] == static_cast<int8_t>(x[i]));
  }
  SECTION("every 5-trit and 4-trit value survives pack and TritAt") {
    for (int v = 0; v < 243; ++v) {
      int trits[5];
      for (int k = 4, r = v; k >= 0; --k, r /= 3) trits[k] = r % 3;
      const uint8_t byte = static_cast<uint8_t>((v * 256 + 242) / 243);
      for (int k = 0; k < 5; ++k) REQUIRE(ref::TritAt(byte, k) == trits[k] - 1);
      // The same byte through the packer: put the trits at values m + 32k of a block.
      std::vector<float> x(256, 0.0f);
      x[255] = 1.0f;  // keeps d = 1
      for (int k = 0; k < 5; ++k) x[32 * k + 9] = static_cast<float>(trits[k] - 1);
      REQUIRE(Pack(QuantType::TQ1_0, x)[9] == byte);
    }
    for (int v = 0; v < 81; ++v) {
      const uint8_t byte = static_cast<uint8_t>((v * 3 * 256 + 242) / 243);
      for (int k = 3, r = v; k >= 0; --k, r /= 3) REQUIRE(ref::TritAt(byte, k) == r % 3 - 1);
      REQUIRE(ref::TritAt(byte, 4) == -1);  // the padding trit
    }
  }
}

}  // namespace bitnet
