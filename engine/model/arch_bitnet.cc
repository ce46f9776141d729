// bitnet: 1bitLLM's bitnet_b1_58-large / 3B as llama.cpp converts them (LLM_ARCH_BITNET):
// the 2B4T block structure (attn_sub_norm before the o-projection, ffn_sub_norm before down) with
// a SiLU-gated FFN, NEOX RoPE, and optional per-projection `.scale` tensors (bound by weights.cc).
// Ternary projection types get W1.58A8 (per-token int8 activations) like 2B4T; F16 ones run in float.
#include "engine/model/architectures.h"

namespace bitnet {

void ConfigureBitnet(const gguf::File&, ModelConfig& c) {
  c.rope_style = RopeStyle::kNeox;
  c.ffn_act = FfnActivation::kSilu;
  c.sub_norms = true;
}

}  // namespace bitnet
