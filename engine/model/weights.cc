#include "engine/model/weights.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <set>

#include "common/error.h"
#include "engine/gguf/gguf.h"

namespace bitnet {

bool IsProjectionType(QuantType t) {
  switch (t) {
    case QuantType::I2_S:
    case QuantType::TQ1_0:
    case QuantType::TQ2_0:
    case QuantType::F16:
    case QuantType::F32:
      return true;
    default:
      return false;
  }
}

bool IsEmbeddingType(QuantType t) { return t == QuantType::F16 || t == QuantType::F32; }

namespace {

class TensorBinder {
 public:
  TensorBinder(const gguf::File& f) : f_(f) {}

  const gguf::TensorInfo& Get(const std::string& name, std::vector<int64_t> dims) {
    const gguf::TensorInfo* t = f_.FindTensor(name);
    if (!t) throw FormatError(f_.path(), fmt::format("tensor '{}'", name), "missing from the file");
    if (t->dims != dims)
      throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", name, t->file_offset),
                        fmt::format("shape [{}] but the architecture needs [{}]",
                                    fmt::join(t->dims, ", "), fmt::join(dims, ", ")));
    used_.insert(name);
    return *t;
  }

  Norm GetNorm(const std::string& name, int64_t n) {
    const gguf::TensorInfo& t = Get(name, {n});
    if (t.type_id != static_cast<uint32_t>(QuantType::F32))
      throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", name, t.file_offset),
                        fmt::format("norm weights must be F32, found type {}", TypeName(t.type_id)));
    if (reinterpret_cast<uintptr_t>(t.data) % alignof(float) != 0)
      throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", name, t.file_offset),
                        "data is not 4-byte aligned");
    return Norm{reinterpret_cast<const float*>(t.data), n};
  }

  Linear GetLinear(const std::string& name, int64_t n_in, int64_t n_out, bool embedding) {
    const gguf::TensorInfo& t = Get(name, {n_in, n_out});
    const auto type = static_cast<QuantType>(t.type_id);
    const bool ok = embedding ? IsEmbeddingType(type) : IsProjectionType(type);
    if (!ok)
      throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", name, t.file_offset),
                        fmt::format("type {} is not supported for this tensor (allowed: {})",
                                    TypeName(t.type_id),
                                    embedding ? "F16, F32" : "I2_S, TQ1_0, TQ2_0, F16, F32"));
    Linear l;
    l.name = name;
    l.type = type;
    l.n_in = n_in;
    l.n_out = n_out;
    l.data = t.data;
    l.n_bytes = t.n_bytes;
    if (type == QuantType::I2_S) {
      l.scale = I2SScale(t.data, n_in * n_out);
      CheckScale(name, t.file_offset + t.n_bytes - 32, l.scale);
    }
    // Upstream llama.cpp's `bitnet` files keep a separate per-projection scale tensor.
    const std::string scale_name = name.substr(0, name.size() - std::string(".weight").size()) + ".scale";
    if (const gguf::TensorInfo* s = f_.FindTensor(scale_name)) {
      if (s->n_elements() != 1 || s->type_id != static_cast<uint32_t>(QuantType::F32))
        throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", scale_name, s->file_offset),
                          "a projection scale must be one F32 value");
      float v;
      std::memcpy(&v, s->data, sizeof(v));
      CheckScale(scale_name, s->file_offset, v);
      l.scale *= v;
      used_.insert(scale_name);
    }
    return l;
  }

  void CheckNothingElse() const {
    for (const auto& t : f_.tensors())
      if (!used_.count(t.name))
        throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", t.name, t.file_offset),
                          "not part of this architecture");
  }

 private:
  static std::string TypeName(uint32_t id) {
    const QuantTraits* tr = GetQuantTraits(id);
    return tr ? std::string(tr->name) : fmt::format("#{}", id);
  }
  void CheckScale(const std::string& name, uint64_t offset, float v) const {
    if (!std::isfinite(v))
      throw FormatError(f_.path(), fmt::format("tensor '{}' (offset {})", name, offset),
                        fmt::format("weight scale {} is not finite", v));
  }

  const gguf::File& f_;
  std::set<std::string> used_;
};

}  // namespace

ModelWeights ModelWeights::FromGguf(const gguf::File& f, const ModelConfig& c) {
  TensorBinder b(f);
  ModelWeights w;
  w.token_embd = b.GetLinear("token_embd.weight", c.n_embd, c.n_vocab, /*embedding=*/true);
  w.output_norm = b.GetNorm("output_norm.weight", c.n_embd);
  if (f.FindTensor("output.weight")) {
    w.output = b.GetLinear("output.weight", c.n_embd, c.n_vocab, /*embedding=*/true);
    w.tied_head = false;
  } else {
    w.output = w.token_embd;
  }
  w.layers.resize(static_cast<size_t>(c.n_layer));
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = fmt::format("blk.{}.", i);
    LayerWeights& l = w.layers[static_cast<size_t>(i)];
    l.attn_norm = b.GetNorm(p + "attn_norm.weight", c.n_embd);
    l.wq = b.GetLinear(p + "attn_q.weight", c.n_embd, c.n_embd, false);
    l.wk = b.GetLinear(p + "attn_k.weight", c.n_embd, c.kv_dim(), false);
    l.wv = b.GetLinear(p + "attn_v.weight", c.n_embd, c.kv_dim(), false);
    l.attn_sub_norm = b.GetNorm(p + "attn_sub_norm.weight", c.n_embd);
    l.wo = b.GetLinear(p + "attn_output.weight", c.n_embd, c.n_embd, false);
    l.ffn_norm = b.GetNorm(p + "ffn_norm.weight", c.n_embd);
    l.gate = b.GetLinear(p + "ffn_gate.weight", c.n_embd, c.n_ff, false);
    l.up = b.GetLinear(p + "ffn_up.weight", c.n_embd, c.n_ff, false);
    l.ffn_sub_norm = b.GetNorm(p + "ffn_sub_norm.weight", c.n_ff);
    l.down = b.GetLinear(p + "ffn_down.weight", c.n_ff, c.n_embd, false);
  }
  b.CheckNothingElse();
  return w;
}

int64_t ModelWeights::NonEmbeddingParams() const {
  int64_t n = 0;
  for (const auto& l : layers)
    for (const Linear* p : {&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down}) n += p->n_in * p->n_out;
  return n;
}

uint64_t ModelWeights::ProjectionBytes() const {
  uint64_t n = 0;
  for (const auto& l : layers)
    for (const Linear* p : {&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down}) n += p->n_bytes;
  return n;
}

}  // namespace bitnet
