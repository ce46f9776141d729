// minicpm: MiniCPM 2B as llama.cpp converts it: the LLaMA block (SiLU GLU, RoPE on adjacent
// pairs, tied head) with three scales from the file (convert_hf_to_gguf.py MiniCPMModel):
//   minicpm.embedding_scale = scale_emb (12): embeddings are multiplied by it;
//   minicpm.residual_scale  = scale_depth / sqrt(n_layer) (1.4 / sqrt(40)): each sublayer's
//                             output is multiplied by it before the residual add;
//   minicpm.logit_scale     = hidden_size / dim_model_base (2304 / 256 = 9): logits are divided
//                             by it (Hugging Face divides the final hidden state by it).
#include "engine/gguf/gguf.h"
#include "engine/model/architectures.h"
#include "engine/model/gguf_keys.h"

namespace bitnet {

void ConfigureMiniCpm(const gguf::File& f, ModelConfig& c) {
  const std::string& a = c.arch_name;
  c.rope_style = RopeStyle::kNorm;
  c.ffn_act = FfnActivation::kSilu;
  c.sub_norms = false;
  c.embedding_scale = ReadFloatKey(f, ArchKey(keys::kEmbeddingScale, a), 1e-6, 1e6);
  c.residual_scale = ReadFloatKey(f, ArchKey(keys::kResidualScale, a), 1e-6, 1e6);
  c.logit_scale = ReadFloatKey(f, ArchKey(keys::kLogitScale, a), 1e-6, 1e6);
}

}  // namespace bitnet
