#include "kernels/quant_types.h"

#include <array>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "kernels/generic/block_quant_ref.h"
#include "kernels/generic/quant_ref.h"

namespace bitnet {
namespace {

struct Entry {
  uint32_t id;
  QuantTraits traits;
};

// Known ids. Formats we do not read keep their slot with the reason.
std::array<QuantTraits, kQuantTypeIdLimit> BuildTable() {
  std::array<QuantTraits, kQuantTypeIdLimit> t{};
  auto set = [&](QuantType id, QuantTraits tr) { t[static_cast<uint32_t>(id)] = tr; };
  set(QuantType::F32, {"F32", 1, 4, 0, false, ref::DequantF32, ref::QuantizeF32});
  set(QuantType::F16, {"F16", 1, 2, 0, false, ref::DequantF16, ref::QuantizeF16});
  set(QuantType::BF16, {"BF16", 1, 2, 0, false, ref::DequantBF16, ref::QuantizeBF16});
  set(QuantType::Q8_0, {"Q8_0", 32, 34, 0, false, ref::DequantQ8_0, ref::QuantizeQ8_0});
  set(QuantType::TQ1_0, {"TQ1_0", 256, 54, 0, true, ref::DequantTQ1_0, ref::QuantizeTQ1_0});
  set(QuantType::TQ2_0, {"TQ2_0", 256, 66, 0, true, ref::DequantTQ2_0, ref::QuantizeTQ2_0});
  set(QuantType::I2_S, {"I2_S", 128, 32, 32, true, ref::DequantI2S, ref::QuantizeI2S});
  set(QuantType::Q4_0, {"Q4_0", 32, 18, 0, false, ref::DequantQ4_0, ref::QuantizeQ4_0});
  set(QuantType::Q4_K, {"Q4_K", 256, 144, 0, false, ref::DequantQ4_K, ref::QuantizeQ4_K});
  set(QuantType::Q6_K, {"Q6_K", 256, 210, 0, false, ref::DequantQ6_K, ref::QuantizeQ6_K});
  set(QuantType::Q1_0_g128, {"Q1_0_G128", 128, 18, 0, false, ref::DequantQ1_0_g128, ref::QuantizeQ1_0_g128});
  const char* later = "not read yet: the comparison-models issue adds it";
  set(QuantType::Q4_1, {"Q4_1", 32, 20, 0, false, nullptr, nullptr, later});
  set(QuantType::Q5_0, {"Q5_0", 32, 22, 0, false, nullptr, nullptr, later});
  set(QuantType::Q5_1, {"Q5_1", 32, 24, 0, false, nullptr, nullptr, later});
  set(QuantType::Q8_1, {"Q8_1", 32, 36, 0, false, nullptr, nullptr, "an activation-only type"});
  set(QuantType::Q2_K, {"Q2_K", 256, 84, 0, false, nullptr, nullptr, later});
  set(QuantType::Q3_K, {"Q3_K", 256, 110, 0, false, nullptr, nullptr, later});
  set(QuantType::Q5_K, {"Q5_K", 256, 176, 0, false, nullptr, nullptr, later});
  set(QuantType::Q8_K, {"Q8_K", 256, 292, 0, false, nullptr, nullptr, "an activation-only type"});
  set(QuantType::I8_S, {"I8_S", 1, 1, 0, false, nullptr, nullptr,
                        "bitnet.cpp's activation type; never stored in model files"});
  set(QuantType::TL1, {"TL1", 0, 0, 0, true, nullptr, nullptr,
                       "layout depends on bitnet.cpp's per-model code generator; re-quantize to I2_S"});
  set(QuantType::TL2, {"TL2", 0, 0, 0, true, nullptr, nullptr,
                       "layout depends on bitnet.cpp's per-model code generator; re-quantize to I2_S"});
  return t;
}

const std::array<QuantTraits, kQuantTypeIdLimit>& Table() {
  static const auto table = BuildTable();
  return table;
}

}  // namespace

const QuantTraits* GetQuantTraits(uint32_t type_id) {
  if (type_id >= kQuantTypeIdLimit) return nullptr;
  const QuantTraits& t = Table()[type_id];
  return t.name.empty() ? nullptr : &t;
}

const QuantTraits& GetQuantTraits(QuantType t) { return Table()[static_cast<uint32_t>(t)]; }

std::optional<QuantType> QuantTypeFromName(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (uint32_t id = 0; id < kQuantTypeIdLimit; ++id)
    if (!Table()[id].name.empty() && Table()[id].name == upper) return static_cast<QuantType>(id);
  return std::nullopt;
}

std::optional<uint64_t> RowBytes(QuantType t, uint64_t k) {
  const QuantTraits& tr = GetQuantTraits(t);
  if (tr.block_size <= 0 || k % static_cast<uint64_t>(tr.block_size) != 0) return std::nullopt;
  const uint64_t blocks = k / static_cast<uint64_t>(tr.block_size);
  if (blocks > std::numeric_limits<uint64_t>::max() / tr.type_bytes) return std::nullopt;
  return blocks * tr.type_bytes;
}

std::optional<uint64_t> TensorBytes(QuantType t, uint64_t n) {
  auto body = RowBytes(t, n);
  if (!body) return std::nullopt;
  const uint64_t tail = GetQuantTraits(t).tensor_tail;
  if (*body > std::numeric_limits<uint64_t>::max() - tail) return std::nullopt;
  return *body + tail;
}

float I2SScale(const void* tensor, int64_t n) {
  float s;
  std::memcpy(&s, static_cast<const uint8_t*>(tensor) + n / 4, sizeof(s));
  return s;
}

float Fp16ToFp32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1f;
  const uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: value = mant * 2^-24
      const float v = std::ldexp(static_cast<float>(mant), -24);
      bits = std::bit_cast<uint32_t>(v) | sign;
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(bits);
}

uint16_t Fp32ToFp16(float f) {
  // Round to nearest even, with overflow to infinity and NaN kept quiet.
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (x >> 16) & 0x8000;
  const uint32_t abs = x & 0x7fffffff;
  if (abs > 0x7f800000) return static_cast<uint16_t>(sign | 0x7e00);  // NaN
  if (abs >= 0x477ff000) return static_cast<uint16_t>(sign | 0x7c00);  // rounds to >= 65520: inf
  if (abs < 0x38800000) {  // below the smallest normal half: subnormal or zero
    const float a = std::bit_cast<float>(abs);
    const float scaled = a * 16777216.0f;  // a / 2^-24
    const uint32_t m = static_cast<uint32_t>(std::nearbyint(scaled));
    return static_cast<uint16_t>(sign | m);
  }
  const uint32_t exp = ((abs >> 23) - 112) << 10;
  const uint32_t mant = (abs >> 13) & 0x3ff;
  uint32_t h = exp | mant;
  const uint32_t rest = abs & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) ++h;
  return static_cast<uint16_t>(sign | h);
}

float Bf16ToFp32(uint16_t h) { return std::bit_cast<float>(static_cast<uint32_t>(h) << 16); }

uint16_t Fp32ToBf16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7fffffff) > 0x7f800000) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet NaN
  x += 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>(x >> 16);
}

}  // namespace bitnet
