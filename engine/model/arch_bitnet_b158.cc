// bitnet-b1.58 / bitnet-25: BitNet b1.58 2B4T as bitnet.cpp writes it (FORMATS.md §1-2):
// sub-norms inside both sublayers, squared-ReLU GLU, NEOX RoPE, tied F16 head. Its forward pass
// is engine/model/bitnet_b158.cc.
#include "engine/model/architectures.h"

namespace bitnet {

void ConfigureBitnetB158(const gguf::File&, ModelConfig& c) {
  c.rope_style = RopeStyle::kNeox;
  c.ffn_act = FfnActivation::kSquaredRelu;
  c.sub_norms = true;
}

}  // namespace bitnet
