#pragma once
// One traits table per weight format: the single source of truth for sizes and
// reference conversions. Ids are the GGUF type ids of bitnet.cpp's llama.cpp fork
// (upstream reuses 39 for MXFP4: the model loader decides by file origin, never by id alone).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bitnet {

enum class QuantType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  BF16 = 30,
  TQ1_0 = 34,
  TQ2_0 = 35,
  I2_S = 36,
  I8_S = 37,
  TL1 = 38,
  TL2 = 39,
  // PrismML's llama.cpp fork (Bonsai): 40 is its 32-value Q1_0 (not read), 41 Q1_0_g128. Other
  // forks give 40/41 other meanings: the model loader checks the file's block sizes.
  Q1_0_g128 = 41,
};
inline constexpr uint32_t kQuantTypeIdLimit = 42;

// Whole-tensor conversions (I2_S keeps one scale per tensor after the codes, so the
// unit of conversion is the tensor, not the block). `n` is the number of values.
using ToFloatFn = void (*)(const void* src, float* dst, int64_t n);
using FromFloatFn = void (*)(const float* src, void* dst, int64_t n);

struct QuantTraits {
  std::string_view name;      // "" for ids that have no format
  int64_t block_size = 0;     // values per block (1 for scalar types)
  size_t type_bytes = 0;      // bytes per block
  size_t tensor_tail = 0;     // bytes after the blocks (I2_S: 32, scale in the first 4)
  bool ternary = false;       // weights are {-1,0,+1} times a scale
  ToFloatFn to_float = nullptr;          // reference dequantizer (nullptr: not readable here)
  FromFloatFn from_float_ref = nullptr;  // reference packer (nullptr: not writable here)
  const char* why_missing = "";          // for types we know but do not read: the reason
};

// Traits for a type id, or nullptr if the id is not a known type.
const QuantTraits* GetQuantTraits(uint32_t type_id);
const QuantTraits& GetQuantTraits(QuantType t);
std::optional<QuantType> QuantTypeFromName(std::string_view name);  // "i2_s", "F16", ...

// Bytes a tensor of n values takes in this type; nullopt if n is not a whole number
// of blocks or the size overflows.
std::optional<uint64_t> TensorBytes(QuantType t, uint64_t n);

// Bytes one row of k values takes (I2_S: k/4, its tail is per tensor). nullopt as above.
std::optional<uint64_t> RowBytes(QuantType t, uint64_t k);

// I2_S's per-tensor scale, read from the tail of a tensor of n values.
float I2SScale(const void* tensor, int64_t n);

// Half-precision helpers (round to nearest even), used by the references and packers.
float Fp16ToFp32(uint16_t h);
uint16_t Fp32ToFp16(float f);
float Bf16ToFp32(uint16_t h);
uint16_t Fp32ToBf16(float f);

}  // namespace bitnet
