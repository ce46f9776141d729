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
  Linear wq;           // (n_embd -> n_embd)
  Linear wk;           // (n_embd -> kv_dim)
  Linear wv;           // (n_embd -> kv_dim)
  Norm attn_sub_norm;  // (n_embd)
  Linear wo;           // (n_embd -> n_embd)
  Norm ffn_norm;       // (n_embd)
  Linear gate;         // (n_embd -> n_ff)
  Linear up;           // (n_embd -> n_ff)
  Norm ffn_sub_norm;   // (n_ff)
  Linear down;         // (n_ff -> n_embd)
};

struct ModelWeights {
  Linear token_embd;   // (n_vocab rows of n_embd): embedding lookup; also the head when tied
  Linear output;       // the head: a copy of token_embd's view when tied
  bool tied_head = true;
  Norm output_norm;    // (n_embd)
  std::vector<LayerWeights> layers;

  // Non-embedding linear weights (the paper's parameter count) and all parameters.
  int64_t NonEmbeddingParams() const;
  uint64_t ProjectionBytes() const;

  static ModelWeights FromGguf(const gguf::File& file, const ModelConfig& config);
};

// Types a projection may have, and a head/embedding may have.
bool IsProjectionType(QuantType t);
bool IsEmbeddingType(QuantType t);

}  // namespace bitnet
