// Writes a small seed corpus of valid GGUF files for gguf_fuzz: usage `gguf_fuzz_seeds DIR`.
// Each seed is under 64 KiB and exercises a different part of the format: every value type,
// string arrays (tokenizer-like), several tensor types, non-default alignment, GGUF v2.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/gguf/gguf.h"
#include "kernels/quant_types.h"

namespace {

using bitnet::QuantType;
using bitnet::gguf::Value;
using bitnet::gguf::ValueType;
using bitnet::gguf::Writer;

uint32_t Id(QuantType t) { return static_cast<uint32_t>(t); }

std::vector<uint8_t> Zeros(QuantType t, uint64_t n) {
  return std::vector<uint8_t>(*bitnet::TensorBytes(t, n), 0x5a);
}

Value Typed(ValueType t, int64_t i, uint64_t u) {
  Value v;
  v.type = t;
  v.i = i;
  v.u = u;
  return v;
}

Value IntArray(ValueType elem, std::vector<int64_t> ints) {
  Value v;
  v.type = ValueType::ARRAY;
  v.elem_type = elem;
  v.ints = std::move(ints);
  return v;
}

Writer AllValueTypes() {
  Writer w;
  w.Set("u8", Typed(ValueType::UINT8, 0, 7));
  w.Set("i8", Typed(ValueType::INT8, -7, 0));
  w.Set("u16", Typed(ValueType::UINT16, 0, 700));
  w.Set("i16", Typed(ValueType::INT16, -700, 0));
  w.Set("u32", Value::U32(70000));
  w.Set("i32", Value::I32(-70000));
  w.Set("f32", Value::F32(0.5f));
  w.Set("bool", Value::Bool(true));
  w.Set("str", Value::Str("text"));
  w.Set("u64", Value::U64(1ull << 40));
  w.Set("i64", Typed(ValueType::INT64, -(1ll << 40), 0));
  Value f64;
  f64.type = ValueType::FLOAT64;
  f64.f = 2.5;
  w.Set("f64", f64);
  w.Set("a.u8", IntArray(ValueType::UINT8, {1, 2}));
  w.Set("a.bool", IntArray(ValueType::BOOL, {0, 1}));
  w.Set("a.i64", IntArray(ValueType::INT64, {-1}));
  w.Set("a.f32", Value::F32Array({1.0f, 2.0f}));
  return w;
}

Writer TinyModel(uint64_t alignment) {
  Writer w(alignment);
  w.Set("general.architecture", Value::Str("bitnet-b1.58"));
  w.Set("bitnet-b1.58.block_count", Value::U32(1));
  w.Set("bitnet-b1.58.attention.layer_norm_rms_epsilon", Value::F32(1e-5f));
  w.Set("tokenizer.ggml.tokens", Value::StrArray({"<unk>", "<s>", "</s>", "a", "b"}));
  w.Set("tokenizer.ggml.token_type", Value::I32Array({2, 3, 3, 1, 1}));
  w.Set("tokenizer.ggml.add_bos_token", Value::Bool(true));
  w.AddTensor("token_embd.weight", Id(QuantType::F16), {8, 5}, Zeros(QuantType::F16, 40));
  w.AddTensor("output_norm.weight", Id(QuantType::F32), {8}, Zeros(QuantType::F32, 8));
  w.AddTensor("blk.0.attn_q.weight", Id(QuantType::I2_S), {128, 2}, Zeros(QuantType::I2_S, 256));
  w.AddTensor("blk.0.ffn_up.weight", Id(QuantType::TQ2_0), {256}, Zeros(QuantType::TQ2_0, 256));
  w.AddTensor("blk.0.ffn_down.weight", Id(QuantType::TQ1_0), {256}, Zeros(QuantType::TQ1_0, 256));
  w.AddTensor("blk.0.q8.weight", Id(QuantType::Q8_0), {32, 1, 1, 2}, Zeros(QuantType::Q8_0, 64));
  return w;
}

void Save(const std::filesystem::path& dir, const std::string& name, std::vector<uint8_t> bytes) {
  const std::filesystem::path p = dir / name;
  FILE* f = std::fopen(p.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    std::perror(p.c_str());
    std::exit(1);
  }
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  Save(dir, "empty-v3.gguf", Writer().ToBytes());
  Save(dir, "values.gguf", AllValueTypes().ToBytes());
  Save(dir, "model-align32.gguf", TinyModel(32).ToBytes());
  Save(dir, "model-align64.gguf", TinyModel(64).ToBytes());
  Save(dir, "model-align1.gguf", TinyModel(1).ToBytes());
  std::vector<uint8_t> v2 = TinyModel(32).ToBytes();
  v2[4] = 2;  // the same layout read as GGUF v2
  Save(dir, "model-v2.gguf", v2);
  std::printf("gguf_fuzz_seeds: wrote 6 seeds to %s\n", dir.c_str());
  return 0;
}
