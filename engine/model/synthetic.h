#pragma once
// Synthetic models: valid GGUF files with the exact tensor set of an architecture and
// deterministic random weights, for tests, benchmarks and the built-in demo when no real
// model is at hand. Their accuracy is meaningless by construction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/quant_types.h"

namespace bitnet {

struct SyntheticShape {
  std::string name;
  int64_t n_vocab, n_ctx, n_embd, n_layer, n_ff, n_head, n_head_kv;
  float rope_theta = 500000.0f;
  float rms_eps = 1e-5f;
  std::string arch = "bitnet-b1.58";  // general.architecture (engine/model/architectures.h)
  int64_t head_dim = 0;               // 0: n_embd / n_head; otherwise written as attention.key_length
  bool tied = true;                   // false: a separate output.weight
  int64_t sliding_window = 0;         // gemma3: attention.sliding_window
  float embedding_scale = 0, residual_scale = 0, logit_scale = 0;  // minicpm's keys (0: not written)
  bool llama3_rope_freqs = false;     // write rope_freqs.weight (LLaMA 3.x factors: 32, 1, 4, 8192)
  QuantType native_type = QuantType::I2_S;  // the format the model is released in

  int64_t HeadDim() const { return head_dim > 0 ? head_dim : n_embd / n_head; }
  // Non-embedding linear weights (q, k, v, o, gate, up, down of every layer): the paper's count.
  int64_t LinearParams() const;
};

// Table 1 shapes from their public configurations (FORMATS.md §1, §5): "2b4t" (BitNet b1.58 2B4T),
// "llama3.2-1b", "gemma3-1b", "qwen2.5-1.5b", "smollm2-1.7b", "minicpm-2b"; "bonsai-8b" (qwen3,
// untied), "bitnet-0.7b" (1bitLLM bitnet_b1_58-large); test sizes "small", "tiny" (2B4T graph) and
// "tiny-<arch>" for llama, qwen2, qwen3, gemma3, minicpm, bitnet. Throws UsageError for other names.
SyntheticShape ShapeByName(const std::string& name);
std::vector<std::string> ShapeNames();

struct SyntheticOptions {
  SyntheticShape shape;
  QuantType type = QuantType::I2_S;  // projections: any engine projection type (weights.h)
  // Embedding (and untied head) type: F16, BF16, F32 or a block type; unset: BF16 for BF16
  // projections, F16 otherwise.
  std::optional<QuantType> embedding_type;
  uint64_t seed = 1;
  std::string tokenizer_ranks;       // tiktoken ranks file; empty: a byte-level vocabulary
  int threads = 0;                   // 0: all hardware threads (the output does not depend on it)
  bool sync = true;                  // fsync before the rename (false: a scratch file the caller deletes)
};

// Writes the model to `path` (atomically), streaming: one tensor in memory at a time, generated
// and packed on `threads` threads. Same options -> the same bytes, whatever the thread count.
// 2B4T-graph shapes (bitnet-b1.58): each projection is a ternary matrix (P(0) = 0.31, as absmean
// ternarization of Gaussian latents gives) times a per-tensor scale 1/sqrt(0.69 K), so every
// projection of an RMS-normed input has unit-variance outputs and the residual stream stays
// well-conditioned over any depth; norms are 1 +- 0.1; the tied F16 embedding has std
// 3/sqrt(n_embd), giving logits of std ~3 (neither flat nor one-hot), except the rows of tokens that
// are not text (fillers, specials, control bytes): 1/20 of that.
// Other architectures: each projection has Gaussian latent weights of std 1/sqrt(K) (the same
// latents for every type, so a BF16 file and its Q4_0 / I2_S versions are one model quantized
// several ways); ternary types store the absmean ternarization (scale mean|W|, round(W/scale)
// clipped to +-1) as a BitNet conversion would, the other types quantize the latents with their
// reference packer. Biases ~ N(0, 0.2^2); norms 1 +- 0.1; embedding (and head) as above.
void WriteSyntheticModel(const SyntheticOptions& opts, const std::string& path);

}  // namespace bitnet
