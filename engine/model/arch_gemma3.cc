// gemma3: Gemma-3 (1B) as llama.cpp converts it. Differences from LLaMA:
// - embeddings multiplied by sqrt(n_embd); GeGLU (tanh GELU) FFN; NEOX RoPE;
// - RMSNorm of each q and k head (attn_q_norm/attn_k_norm), and post-norms on both sublayer
//   outputs (post_attention_norm, post_ffw_norm) before the residual add; the converter already
//   folded Gemma's (1 + w) into the stored norm weights, so every norm is x * w;
// - attention scale 1/sqrt(head_dim) (query_pre_attn_scalar = head_dim for 1B/4B/12B), and
//   1/sqrt(n_embd / n_head) for the 62-layer 27B model (query_pre_attn_scalar 168), as llama.cpp;
// - five sliding-window layers (window `gemma3.attention.sliding_window`, RoPE base 10000) for
//   each global layer (every 6th, RoPE base `gemma3.rope.freq_base`), llama.cpp's pattern;
//   without the sliding_window key every layer is global (as llama.cpp reads it).
// Logit soft-capping is not part of Gemma 3: a non-zero final_logit_softcapping is refused.
#include <cmath>

#include "engine/gguf/gguf.h"
#include "engine/model/architectures.h"
#include "engine/model/gguf_keys.h"

namespace bitnet {

void ConfigureGemma3(const gguf::File& f, ModelConfig& c) {
  const std::string& a = c.arch_name;
  c.rope_style = RopeStyle::kNeox;
  c.ffn_act = FfnActivation::kGeluTanh;
  c.sub_norms = false;
  c.qk_norm = true;
  c.post_norms = true;
  c.embedding_scale = std::sqrt(static_cast<float>(c.n_embd));
  if (c.n_layer == 62) c.attention_scale = 1.0f / std::sqrt(static_cast<float>(c.n_embd / c.n_head));
  if (f.Find(ArchKey(keys::kSlidingWindow, a))) {
    c.sliding_window = ReadPositiveKey(f, ArchKey(keys::kSlidingWindow, a), int64_t{1} << 24);
    c.swa_period = 6;
    c.rope_theta_swa = 10000.0f;
  }
  RefuseFloatKey(f, ArchKey(keys::kFinalLogitSoftcapping, a), 0.0, "logit soft-capping is not part of Gemma 3");
  RefuseFloatKey(f, ArchKey(keys::kAttnLogitSoftcapping, a), 0.0, "attention soft-capping is not part of Gemma 3");
}

}  // namespace bitnet
