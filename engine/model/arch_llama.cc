// llama: LLaMA 3.x (3.2 1B), SmolLM2, and the ternary "llama-style" files (Falcon3-1.58bit,
// Llama3-8B-1.58, whose projections are I2_S/TQ1_0/TQ2_0). Pre-norm blocks, SiLU GLU, no biases,
// RoPE on adjacent pairs (llama.cpp's converter permutes the q/k rows of HF checkpoints for that),
// and LLaMA 3's frequency factors as an optional rope_freqs.weight tensor.
#include "engine/model/architectures.h"

namespace bitnet {

void ConfigureLlama(const gguf::File&, ModelConfig& c) {
  c.rope_style = RopeStyle::kNorm;
  c.ffn_act = FfnActivation::kSilu;
  c.sub_norms = false;
  c.rope_freqs = true;
}

}  // namespace bitnet
