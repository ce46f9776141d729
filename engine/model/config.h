#pragma once
// Hyper-parameters of a model, read from GGUF keys and validated (every value is untrusted).
#include <cmath>
#include <cstdint>
#include <string>

namespace bitnet {
namespace gguf { class File; }

enum class Arch {
  kBitnetB158,  // "bitnet-b1.58": BitNet b1.58 2B4T as bitnet.cpp writes it
  kBitnet25,    // "bitnet-25": older name for the same graph
  kBitnet,      // "bitnet": 1bitLLM bitnet_b1_58-large/3B (sub-norms, SiLU GLU)
  kLlama,       // "llama": LLaMA 3.x, SmolLM2, Falcon3-1.58bit, Llama3-8B-1.58
  kQwen2,       // "qwen2": Qwen2.5 (q/k/v biases)
  kQwen3,       // "qwen3": Qwen3, Bonsai 8B (per-head q/k RMSNorm)
  kGemma3,      // "gemma3": Gemma-3 (q/k norms, post-norms, sliding-window layers, GeGLU)
  kMiniCpm,     // "minicpm": MiniCPM 2B (embedding, residual and logit scales)
};

// How RoPE pairs the values of a head: NEOX rotates (i, i + d/2); "normal" (llama.cpp's
// LLAMA_ROPE_TYPE_NORM, used for llama/minicpm files whose q/k rows were permuted at conversion)
// rotates adjacent pairs (2i, 2i + 1).
enum class RopeStyle { kNeox, kNorm };
// The gated FFN's activation: m = act(gate) * up.
enum class FfnActivation { kSquaredRelu, kSilu, kGeluTanh };

struct ModelConfig {
  Arch arch = Arch::kBitnetB158;
  std::string arch_name;      // the general.architecture string
  std::string name;           // general.name (may be empty)
  int64_t n_vocab = 0;
  int64_t n_ctx_train = 0;
  int64_t n_embd = 0;         // hidden size
  int64_t n_layer = 0;
  int64_t n_ff = 0;           // FFN inner size
  int64_t n_head = 0;
  int64_t n_head_kv = 0;
  int64_t head_dim = 0;       // A.attention.key_length, else n_embd / n_head
  int64_t n_rot = 0;          // rotary dims (= head_dim for 2B4T)
  float rms_eps = 1e-5f;
  float rope_theta = 500000.0f;

  // The graph of the architecture (set by its entry in engine/model/architectures.h).
  RopeStyle rope_style = RopeStyle::kNeox;
  FfnActivation ffn_act = FfnActivation::kSquaredRelu;
  bool sub_norms = true;         // attn_sub_norm before the o-projection, ffn_sub_norm before down
  bool qkv_bias = false;         // attn_{q,k,v}.bias added after the projections
  bool qk_norm = false;          // per-head RMSNorm of q and k (attn_{q,k}_norm) before RoPE
  bool post_norms = false;       // post_attention_norm / post_ffw_norm on the sublayer outputs
  bool rope_freqs = false;       // an optional rope_freqs.weight (LLaMA 3 frequency factors)
  float embedding_scale = 1.0f;  // token embeddings are multiplied by it
  float residual_scale = 1.0f;   // sublayer outputs are multiplied by it before the residual add
  float logit_scale = 1.0f;      // logits are divided by it
  int64_t sliding_window = 0;    // > 0: sliding layers see the last `sliding_window` positions
  int64_t swa_period = 0;        // layer il is global when (il + 1) % swa_period == 0, else sliding
  float rope_theta_swa = 0.0f;   // RoPE base of the sliding layers
  float rope_freq_scale = 1.0f;  // linear RoPE scaling (1 / rope.scaling.factor) of the global layers
  float attention_scale = 0.0f;  // q.k scale; 0: 1/sqrt(head_dim)

  float AttentionScale() const {
    return attention_scale > 0.0f ? attention_scale : 1.0f / std::sqrt(static_cast<float>(head_dim));
  }

  int64_t kv_dim() const { return n_head_kv * head_dim; }
  int64_t q_dim() const { return n_head * head_dim; }
  bool IsSlidingLayer(int64_t il) const {
    return sliding_window > 0 && swa_period > 0 && (il + 1) % swa_period != 0;
  }
  // The 2B4T graph of bitnet-b1.58 / bitnet-25 (engine/model/bitnet_b158.cc); the other
  // architectures run the shared decoder (engine/model/decoder.cc).
  bool IsBitnetB158() const { return arch == Arch::kBitnetB158 || arch == Arch::kBitnet25; }

  // Reads `A.*` keys (A = general.architecture); throws FormatError naming the key.
  static ModelConfig FromGguf(const gguf::File& file);
  // Checks ranges and relations (n_embd = n_head * head_dim, GQA divides, ...).
  void Validate(const std::string& file) const;
};

// Architecture strings this engine runs, and their graph.
bool ParseArch(const std::string& name, Arch* out);

}  // namespace bitnet
