#pragma once
// Views of a model's tensors inside the mapped GGUF file, checked against the architecture:
// every expected tensor present with its exact shape and an allowed type, nothing unexpected.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/config.h"
#include "kernels/quant_types.h"

namespace bitnet {
namespace gguf { class File; }

// A projection y = W x with W of shape (n_out, n_in), rows contiguous.
struct Linear {
  std::string name;
  QuantType type = QuantType::F32;
  int64_t n_in = 0;    // K: row length
  int64_t n_out = 0;   // N: rows
  const uint8_t* data = nullptr;
  float scale = 1.0f;  // per-tensor weight scale (I2_S tail, or a `.scale` tensor), 1 otherwise
  uint64_t n_bytes = 0;
};

// A vector of f32 (norm weights).
struct Norm {
  const float* data = nullptr;
  int64_t n = 0;
};

struct LayerWeights {
  Norm attn_norm;      // (n_embd)
  Linear wq;           // (n_embd -> q_dim)     q_dim = n_head * head_dim (= n_embd for 2B4T)
  Linear wk;           // (n_embd -> kv_dim)
  Linear wv;           // (n_embd -> kv_dim)
  Norm attn_sub_norm;  // (q_dim)   when config.sub_norms
  Linear wo;           // (q_dim -> n_embd)
  Norm ffn_norm;       // (n_embd)
  Linear gate;         // (n_embd -> n_ff)
  Linear up;           // (n_embd -> n_ff)
  Norm ffn_sub_norm;   // (n_ff)    when config.sub_norms
  Linear down;         // (n_ff -> n_embd)
  // Optional parts of the other architectures (data == nullptr when absent):
  Norm bq, bk, bv;          // (q_dim), (kv_dim), (kv_dim) biases   when config.qkv_bias
  Norm q_norm, k_norm;      // (head_dim) per-head RMSNorm weights   when config.qk_norm
  Norm post_attn_norm;      // (n_embd) post_attention_norm          when config.post_norms
  Norm post_ffn_norm;       // (n_embd) post_ffw_norm                when config.post_norms
};

struct ModelWeights {
  Linear token_embd;   // (n_vocab rows of n_embd): embedding lookup; also the head when tied
  Linear output;       // the head: a copy of token_embd's view when tied
  bool tied_head = true;
  Norm output_norm;    // (n_embd)
  Norm rope_freqs;     // (head_dim/2) LLaMA 3 RoPE frequency factors; data == nullptr when absent
  std::vector<LayerWeights> layers;

  // Non-embedding linear weights (the paper's parameter count) and all parameters.
  int64_t NonEmbeddingParams() const;
  uint64_t ProjectionBytes() const;

  static ModelWeights FromGguf(const gguf::File& file, const ModelConfig& config);
};

// Types a projection may have, and a head/embedding may have.
bool IsProjectionType(QuantType t);
bool IsEmbeddingType(QuantType t);
// The block formats whose matmuls read q8_32 activations (KernelTable::quantize_rows_q8_32).
bool IsBlockQuantType(QuantType t);
// One embedding row (n_in values) dequantized to float.
void EmbeddingRow(const Linear& embd, int64_t row, float* dst);

}  // namespace bitnet
