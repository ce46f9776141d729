// qwen2: Qwen2.5. Pre-norm blocks, SiLU GLU, NEOX RoPE, biases on the q/k/v projections
// (attn_{q,k,v}.bias, F32), tied head for the small models and output.weight for the large ones.
#include "engine/model/architectures.h"

namespace bitnet {

void ConfigureQwen2(const gguf::File&, ModelConfig& c) {
  c.rope_style = RopeStyle::kNeox;
  c.ffn_act = FfnActivation::kSilu;
  c.sub_norms = false;
  c.qkv_bias = true;
}

}  // namespace bitnet
