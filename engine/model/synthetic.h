#pragma once
// Synthetic models: valid GGUF files with the exact tensor set of an architecture and
// deterministic random weights, for tests, benchmarks and the built-in demo when no real
// model is at hand. Their accuracy is meaningless by construction.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/quant_types.h"

namespace bitnet {

struct SyntheticShape {
  std::string name;
  int64_t n_vocab, n_ctx, n_embd, n_layer, n_ff, n_head, n_head_kv;
  float rope_theta = 500000.0f;
  float rms_eps = 1e-5f;
};

// "2b4t" (BitNet b1.58 2B4T exactly), "small", "tiny". Throws UsageError for other names.
SyntheticShape ShapeByName(const std::string& name);
std::vector<std::string> ShapeNames();

struct SyntheticOptions {
  SyntheticShape shape;
  QuantType type = QuantType::I2_S;  // projections: I2_S, TQ2_0, TQ1_0, F16 or F32
  uint64_t seed = 1;
  std::string tokenizer_ranks;       // tiktoken ranks file; empty: a byte-level vocabulary
  int threads = 0;                   // 0: all hardware threads (the output does not depend on it)
};

// Writes the model to `path` (atomically). Weights: each projection is a ternary matrix
// (P(0) = 0.31, as absmean ternarization of Gaussian latents gives) times a per-tensor scale
// 1/sqrt(0.69 K), so every projection of an RMS-normed input has unit-variance outputs and the
// residual stream stays well-conditioned over any depth; norms are 1 +- 0.1; the tied F16
// embedding has std 3/sqrt(n_embd), giving logits of std ~3 (neither flat nor one-hot), except the
// rows of tokens that are not text (fillers, specials, control bytes): 1/20 of that.
void WriteSyntheticModel(const SyntheticOptions& opts, const std::string& path);

}  // namespace bitnet
