// Files of the decoder architectures that are valid GGUF but wrong for their architecture:
// clean FormatErrors naming the file, the key or tensor, and what was wrong.
#include <catch2/catch.hpp>

#include <functional>

#include "engine/engine.h"
#include "engine/gguf/gguf.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet {
namespace {

using KV = std::vector<std::pair<std::string, gguf::Value>>;
using TS = std::vector<const gguf::TensorInfo*>;

// Rewrites a tiny synthetic model of `shape` with one change to its keys or tensors.
std::string Mutate(const std::string& shape, const std::string& tag, const std::function<void(KV&, TS&)>& edit) {
  const gguf::File src = gguf::File::Open(test::SyntheticModelPath(shape, QuantType::F16));
  KV kv = src.kv();
  TS tensors;
  for (const auto& t : src.tensors()) tensors.push_back(&t);
  edit(kv, tensors);
  gguf::Writer w;
  for (auto& [k, v] : kv) w.Set(k, v);
  for (const auto* t : tensors)
    w.AddTensor(t->name, t->type_id, t->dims, std::vector<uint8_t>(t->data, t->data + t->n_bytes));
  static const auto dir = test::TempDir("decoder-mutated");
  const std::string path = (dir / (shape + "-" + tag + ".gguf")).string();
  w.Write(path);
  return path;
}

void Drop(TS& t, const std::string& name) {
  std::erase_if(t, [&](auto* x) { return x->name == name; });
}
void EraseKey(KV& kv, const std::string& key) {
  std::erase_if(kv, [&](auto& p) { return p.first == key; });
}
void SetKey(KV& kv, const std::string& key, gguf::Value v) {
  for (auto& [k, val] : kv)
    if (k == key) return void(val = v);
  kv.emplace_back(key, v);
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

TEST_CASE("decoder architectures name the key or tensor that is wrong", "[decoder]") {
  ExpectError(Mutate("tiny-qwen2", "no-bias", [](KV&, TS& t) { Drop(t, "blk.1.attn_k.bias"); }),
              "blk.1.attn_k.bias", "missing");
  ExpectError(Mutate("tiny-qwen3", "no-qnorm", [](KV&, TS& t) { Drop(t, "blk.0.attn_q_norm.weight"); }),
              "blk.0.attn_q_norm.weight", "missing");
  ExpectError(Mutate("tiny-gemma3", "no-post-norm", [](KV&, TS& t) { Drop(t, "blk.6.post_ffw_norm.weight"); }),
              "blk.6.post_ffw_norm.weight", "missing");
  ExpectError(Mutate("tiny-minicpm", "no-scale", [](KV& kv, TS&) { EraseKey(kv, "minicpm.residual_scale"); }),
              "minicpm.residual_scale", "");
  ExpectError(Mutate("tiny-minicpm", "bad-scale",
                     [](KV& kv, TS&) { SetKey(kv, "minicpm.logit_scale", gguf::Value::F32(-3.0f)); }),
              "minicpm.logit_scale", "outside");
  ExpectError(Mutate("tiny-gemma3", "softcap",
                     [](KV& kv, TS&) { SetKey(kv, "gemma3.final_logit_softcapping", gguf::Value::F32(30.0f)); }),
              "gemma3.final_logit_softcapping", "not supported");
  ExpectError(Mutate("tiny-qwen3", "value-length",
                     [](KV& kv, TS&) { SetKey(kv, "qwen3.attention.key_length", gguf::Value::U32(64)); }),
              "qwen3.attention.value_length", "differs");
  ExpectError(Mutate("tiny-qwen3", "head-dim",
                     [](KV& kv, TS&) {
                       for (const char* k : {"qwen3.attention.key_length", "qwen3.attention.value_length",
                                             "qwen3.rope.dimension_count"})
                         SetKey(kv, k, gguf::Value::U32(64));
                     }),
              "blk.0.attn_q.weight", "shape");
  ExpectError(Mutate("tiny-llama", "rope-scaling",
                     [](KV& kv, TS&) { SetKey(kv, "llama.rope.scaling.type", gguf::Value::Str("yarn")); }),
              "llama.rope.scaling.type", "not supported");
}

TEST_CASE("a llama file with a bitnet sub-norm is refused, the same tensors as bitnet load", "[decoder]") {
  // tiny-bitnet renamed to llama keeps attn_sub_norm tensors the llama graph does not have.
  const std::string path = Mutate("tiny-bitnet", "as-llama", [](KV& kv, TS&) {
    for (auto& [k, v] : kv) {
      if (k == "general.architecture") v = gguf::Value::Str("llama");
      if (k.rfind("bitnet.", 0) == 0) k = "llama." + k.substr(7);
    }
  });
  ExpectError(path, "sub_norm.weight", "not part of this architecture");
}

}  // namespace bitnet
