#include "engine/model/weights.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <set>

#include "common/error.h"
#include "engine/gguf/gguf.h"

namespace bitnet {

namespace {

constexpr QuantType kBlockTypes[] = {QuantType::Q8_0, QuantType::Q4_0, QuantType::Q4_K, QuantType::Q6_K,
                                     QuantType::Q1_0_g128};
constexpr QuantType kFloatTypes[] = {QuantType::F16, QuantType::BF16, QuantType::F32};
constexpr QuantType kTernaryTypes[] = {QuantType::I2_S, QuantType::TQ1_0, QuantType::TQ2_0};

template <size_t N>
bool In(QuantType t, const QuantType (&set)[N]) {
  for (QuantType x : set)
    if (x == t) return true;
  return false;
}

std::string AllowedTypes(bool embedding) {
  std::string out;
  auto add = [&](QuantType t) { out += (out.empty() ? "" : ", ") + std::string(GetQuantTraits(t).name); };
  if (!embedding)
    for (QuantType t : kTernaryTypes) add(t);
  for (QuantType t : kFloatTypes) add(t);
  for (QuantType t : kBlockTypes) add(t);
  return out;
}

}  // namespace

bool IsBlockQuantType(QuantType t) { return In(t, kBlockTypes); }

bool IsProjectionType(QuantType t) { return In(t, kTernaryTypes) || In(t, kFloatTypes) || In(t, kBlockTypes); }

bool IsEmbeddingType(QuantType t) { return In(t, kFloatTypes) || In(t, kBlockTypes); }

void EmbeddingRow(const Linear& embd, int64_t row, float* dst) {
  const uint64_t row_bytes = *RowBytes(embd.type, static_cast<uint64_t>(embd.n_in));
  GetQuantTraits(embd.type).to_float(embd.data + static_cast<uint64_t>(row) * row_bytes, dst, embd.n_in);
}

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
                        fmt::format("norm weights and biases must be F32, found type {}", TypeName(t.type_id)));
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
                                    AllowedTypes(embedding)));
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
  if (c.rope_freqs && f.FindTensor("rope_freqs.weight")) w.rope_freqs = b.GetNorm("rope_freqs.weight", c.head_dim / 2);
  const int64_t E = c.n_embd, QD = c.q_dim(), KV = c.kv_dim();
  w.layers.resize(static_cast<size_t>(c.n_layer));
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = fmt::format("blk.{}.", i);
    LayerWeights& l = w.layers[static_cast<size_t>(i)];
    l.attn_norm = b.GetNorm(p + "attn_norm.weight", E);
    l.wq = b.GetLinear(p + "attn_q.weight", E, QD, false);
    l.wk = b.GetLinear(p + "attn_k.weight", E, KV, false);
    l.wv = b.GetLinear(p + "attn_v.weight", E, KV, false);
    if (c.sub_norms) l.attn_sub_norm = b.GetNorm(p + "attn_sub_norm.weight", QD);
    l.wo = b.GetLinear(p + "attn_output.weight", QD, E, false);
    l.ffn_norm = b.GetNorm(p + "ffn_norm.weight", E);
    l.gate = b.GetLinear(p + "ffn_gate.weight", E, c.n_ff, false);
    l.up = b.GetLinear(p + "ffn_up.weight", E, c.n_ff, false);
    if (c.sub_norms) l.ffn_sub_norm = b.GetNorm(p + "ffn_sub_norm.weight", c.n_ff);
    l.down = b.GetLinear(p + "ffn_down.weight", c.n_ff, E, false);
    if (c.qkv_bias) {
      l.bq = b.GetNorm(p + "attn_q.bias", QD);
      l.bk = b.GetNorm(p + "attn_k.bias", KV);
      l.bv = b.GetNorm(p + "attn_v.bias", KV);
    }
    if (c.qk_norm) {
      l.q_norm = b.GetNorm(p + "attn_q_norm.weight", c.head_dim);
      l.k_norm = b.GetNorm(p + "attn_k_norm.weight", c.head_dim);
    }
    if (c.post_norms) {
      l.post_attn_norm = b.GetNorm(p + "post_attention_norm.weight", E);
      l.post_ffn_norm = b.GetNorm(p + "post_ffw_norm.weight", E);
    }
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
