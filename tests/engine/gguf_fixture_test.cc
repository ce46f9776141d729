// The GGUF reader on real files written by bitnet.cpp (../shared/data/fixtures/bitnet-tiny).
// Skipped with a message when ../shared is absent.
#include <catch2/catch.hpp>
#include <iostream>
#include <sstream>

#include "engine/gguf/gguf.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet::gguf {
namespace {

constexpr const char* kProjections[] = {"attn_q", "attn_k", "attn_v", "attn_output",
                                        "ffn_gate", "ffn_up", "ffn_down"};
constexpr const char* kNorms[] = {"attn_norm", "attn_sub_norm", "ffn_norm", "ffn_sub_norm"};

std::string Summary(const Value& v) {
  std::ostringstream out;
  out << ValueTypeName(v.type);
  if (v.type == ValueType::ARRAY) {
    out << "<" << ValueTypeName(v.elem_type) << ">[" << v.array_size() << "]";
    if (!v.strs.empty()) out << " first='" << v.strs[0] << "'";
  } else if (v.type == ValueType::STRING) {
    out << " '" << (v.s.size() > 60 ? v.s.substr(0, 60) + "..." : v.s) << "'";
  } else if (v.is_float()) {
    out << " " << v.f;
  } else if (v.type == ValueType::BOOL) {
    out << " " << (v.b ? "true" : "false");
  } else {
    out << " " << v.i;
  }
  return out.str();
}

// Prints the metadata once per file (useful when writing the model loader).
void PrintKeys(const File& f) {
  std::cout << "== " << f.path() << ": GGUF v" << f.version() << ", " << f.kv().size()
            << " keys, " << f.tensors().size() << " tensors, data at " << f.data_offset() << "\n";
  for (const auto& [key, v] : f.kv()) std::cout << "  " << key << " = " << Summary(v) << "\n";
}

void CheckType(const File& f, const std::string& name, QuantType type) {
  const TensorInfo* t = f.FindTensor(name);
  INFO(name);
  REQUIRE(t != nullptr);
  CHECK(t->type_id == static_cast<uint32_t>(type));
  CHECK(t->n_bytes == *TensorBytes(type, static_cast<uint64_t>(t->n_elements())));
  CHECK(t->offset % f.alignment() == 0);
}

void CheckFixture(const File& f, QuantType projection_type) {
  CHECK(f.GetString("general.architecture") == "bitnet-b1.58");
  const uint64_t n_layer = f.GetUint("bitnet-b1.58.block_count");
  const uint64_t n_embd = f.GetUint("bitnet-b1.58.embedding_length");
  CHECK(n_layer == 2);
  CHECK(n_embd == 256);
  CHECK(f.tensors().size() == 2 + 11 * n_layer);  // token_embd, output_norm, 11 per layer
  CHECK(f.FindTensor("output.weight") == nullptr);  // tied head
  CheckType(f, "token_embd.weight", QuantType::F16);
  CheckType(f, "output_norm.weight", QuantType::F32);
  for (uint64_t l = 0; l < n_layer; ++l) {
    const std::string blk = "blk." + std::to_string(l) + ".";
    for (const char* p : kProjections) CheckType(f, blk + p + ".weight", projection_type);
    for (const char* n : kNorms) CheckType(f, blk + n + ".weight", QuantType::F32);
  }
  const TensorInfo* embd = f.FindTensor("token_embd.weight");
  CHECK(embd->dims == std::vector<int64_t>{static_cast<int64_t>(n_embd), 1000});
}

}  // namespace

TEST_CASE("gguf reader reads bitnet.cpp's tiny I2_S fixture", "[gguf][fixture]") {
  const auto path = test::SharedData("fixtures/bitnet-tiny/tiny-i2_s.gguf");
  if (!path) return;
  const File f = File::Open(path->string());
  PrintKeys(f);
  CheckFixture(f, QuantType::I2_S);
  for (const TensorInfo& t : f.tensors()) {
    if (t.type_id != static_cast<uint32_t>(QuantType::I2_S)) continue;
    INFO(t.name);
    CHECK(t.n_bytes == static_cast<uint64_t>(t.n_elements()) / 4 + 32);
    CHECK(t.dims[0] % 128 == 0);
    const float scale = I2SScale(t.data, t.n_elements());
    CHECK(scale > 0.0f);
  }
}

TEST_CASE("gguf reader reads bitnet.cpp's tiny F16 fixture", "[gguf][fixture]") {
  const auto path = test::SharedData("fixtures/bitnet-tiny/tiny-f16.gguf");
  if (!path) return;
  const File f = File::Open(path->string());
  PrintKeys(f);
  CheckFixture(f, QuantType::F16);
}

}  // namespace bitnet::gguf
