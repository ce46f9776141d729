// qwen3: Qwen3 and PrismML's Bonsai 8B (every weight Q1_0_g128, FORMATS.md §6). Pre-norm
// blocks, SiLU GLU, NEOX RoPE, no biases, RMSNorm of each q and k head (attn_q_norm /
// attn_k_norm, head_dim values) before RoPE; the head size comes from attention.key_length.
#include "engine/model/architectures.h"

namespace bitnet {

void ConfigureQwen3(const gguf::File&, ModelConfig& c) {
  c.rope_style = RopeStyle::kNeox;
  c.ffn_act = FfnActivation::kSilu;
  c.sub_norms = false;
  c.qk_norm = true;
}

}  // namespace bitnet
