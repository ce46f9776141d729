// Model files that are valid GGUF but wrong for the architecture: clean FormatErrors naming the
// file, the tensor or key, and what was wrong.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <functional>

#include "engine/engine.h"
#include "engine/gguf/gguf.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet {
namespace {

// Rewrites the tiny synthetic model with one change applied to its keys or tensors.
std::string Mutate(const std::string& tag,
                   const std::function<void(std::vector<std::pair<std::string, gguf::Value>>&,
                                            std::vector<const gguf::TensorInfo*>&, gguf::Writer&)>& edit) {
  const gguf::File src = gguf::File::Open(test::SyntheticModelPath("tiny", QuantType::I2_S));
  auto kv = src.kv();
  std::vector<const gguf::TensorInfo*> tensors;
  for (const auto& t : src.tensors()) tensors.push_back(&t);
  gguf::Writer w;
  edit(kv, tensors, w);
  for (auto& [k, v] : kv) w.Set(k, v);
  for (const auto* t : tensors)
    w.AddTensor(t->name, t->type_id, t->dims, std::vector<uint8_t>(t->data, t->data + t->n_bytes));
  static const auto dir = test::TempDir("mutated");
  const std::string path = (dir / (tag + ".gguf")).string();
  w.Write(path);
  return path;
}

void SetKey(std::vector<std::pair<std::string, gguf::Value>>& kv, const std::string& key, gguf::Value v) {
  for (auto& [k, val] : kv)
    if (k == key) val = v;
}

void ExpectError(const std::string& path, const std::string& where, const std::string& what) {
  try {
    Model::Load(path);
    FAIL("loaded without an error: " << path);
  } catch (const FormatError& e) {
    INFO(e.what());
    CHECK(e.file() == path);
    CHECK_THAT(e.where(), Catch::Contains(where));
    CHECK_THAT(e.reason(), Catch::Contains(what));
  }
}

}  // namespace

TEST_CASE("the tiny synthetic model loads and reports its configuration", "[model]") {
  auto m = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  const ModelConfig& c = m->config();
  CHECK(c.arch == Arch::kBitnetB158);
  CHECK(c.n_embd == 256);
  CHECK(c.n_head == 4);
  CHECK(c.n_head_kv == 1);
  CHECK(c.head_dim == 64);
  CHECK(m->weights().layers.size() == 2);
  CHECK(m->weights().tied_head);
  CHECK(m->WeightTypeName() == "I2_S");
  CHECK(m->tokenizer() != nullptr);
}

TEST_CASE("architecture errors name the tensor or key", "[model]") {
  using KV = std::vector<std::pair<std::string, gguf::Value>>;
  using TS = std::vector<const gguf::TensorInfo*>;
  ExpectError(Mutate("missing", [](KV&, TS& t, gguf::Writer&) {
                std::erase_if(t, [](auto* x) { return x->name == "blk.1.ffn_up.weight"; });
              }),
              "blk.1.ffn_up.weight", "missing");
  ExpectError(Mutate("extra", [](KV&, TS&, gguf::Writer& w) {
                w.AddTensor("blk.9.surprise.weight", 0, {4}, std::vector<uint8_t>(16, 0));
              }),
              "blk.9.surprise.weight", "not part of this architecture");
  ExpectError(Mutate("arch", [](KV& kv, TS&, gguf::Writer&) { SetKey(kv, "general.architecture", gguf::Value::Str("gpt-neox")); }),
              "general.architecture", "not supported");
  ExpectError(Mutate("heads", [](KV& kv, TS&, gguf::Writer&) {
                SetKey(kv, "bitnet-b1.58.attention.head_count", gguf::Value::U32(3));
              }),
              "head_count", "not a multiple");
  ExpectError(Mutate("layers", [](KV& kv, TS&, gguf::Writer&) {
                SetKey(kv, "bitnet-b1.58.block_count", gguf::Value::U32(3));
              }),
              "blk.2.attn_norm.weight", "missing");
  ExpectError(Mutate("zero-layers", [](KV& kv, TS&, gguf::Writer&) {
                SetKey(kv, "bitnet-b1.58.block_count", gguf::Value::U32(0));
              }),
              "block_count", "outside");
  ExpectError(Mutate("eps", [](KV& kv, TS&, gguf::Writer&) {
                SetKey(kv, "bitnet-b1.58.attention.layer_norm_rms_epsilon", gguf::Value::F32(-1.0f));
              }),
              "layer_norm_rms_epsilon", "outside");
  ExpectError(Mutate("ffn", [](KV& kv, TS&, gguf::Writer&) {
                SetKey(kv, "bitnet-b1.58.feed_forward_length", gguf::Value::U32(1024));
              }),
              "ffn_gate.weight", "shape");
}

TEST_CASE("a projection of the wrong type or a non-finite scale is refused", "[model]") {
  using KV = std::vector<std::pair<std::string, gguf::Value>>;
  using TS = std::vector<const gguf::TensorInfo*>;
  // Q5_0 blocks of the same row length: a valid GGUF type this engine does not run.
  std::vector<uint8_t> q5(static_cast<size_t>(256 / 32 * 22 * 256), 0);
  ExpectError(Mutate("type", [&](KV&, TS& t, gguf::Writer& w) {
                std::erase_if(t, [](auto* x) { return x->name == "blk.0.attn_q.weight"; });
                w.AddTensor("blk.0.attn_q.weight", 6, {256, 256}, q5);
              }),
              "blk.0.attn_q.weight", "not supported");
  std::vector<uint8_t> nan_scale(256 * 256 / 4 + 32, 0x55);
  const float nan = std::nanf("");
  std::memcpy(nan_scale.data() + 256 * 256 / 4, &nan, 4);
  ExpectError(Mutate("scale", [&](KV&, TS& t, gguf::Writer& w) {
                std::erase_if(t, [](auto* x) { return x->name == "blk.0.attn_output.weight"; });
                w.AddTensor("blk.0.attn_output.weight", 36, {256, 256}, nan_scale);
              }),
              "blk.0.attn_output.weight", "not finite");
}

}  // namespace bitnet

namespace bitnet {

TEST_CASE("bitnet-25 files (the older name of the 2B4T graph) load and compute the same logits", "[model]") {
  using KV = std::vector<std::pair<std::string, gguf::Value>>;
  using TS = std::vector<const gguf::TensorInfo*>;
  const std::string renamed = Mutate("bitnet-25", [](KV& kv, TS&, gguf::Writer&) {
    for (auto& [k, v] : kv) {
      if (k == "general.architecture") v = gguf::Value::Str("bitnet-25");
      if (k.rfind("bitnet-b1.58.", 0) == 0) k = "bitnet-25." + k.substr(std::string("bitnet-b1.58.").size());
    }
  });
  auto a = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  auto b = Model::Load(renamed);
  CHECK(b->config().arch == Arch::kBitnet25);
  SessionOptions so;
  so.n_threads = 1;
  so.n_ctx = 16;
  Session sa(a, so), sb(b, so);
  const std::vector<int32_t> tokens = {768, 72, 105};
  const auto la = sa.Eval(tokens, 0), lb = sb.Eval(tokens, 0);
  CHECK(std::memcmp(la.data(), lb.data(), la.size() * sizeof(float)) == 0);
}

}  // namespace bitnet
