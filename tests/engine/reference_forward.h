#pragma once
// An independent, deliberately simple forward pass of the 2B4T graph for tests only:
// every weight dequantized to float through the traits table, double-precision accumulation,
// no KV cache, no threads, no kernel table. W1.58A8 activation quantization is emulated
// (per-token absmax int8 grid) for ternary projections so it computes the same function.
#include <cstdint>
#include <vector>

#include "engine/model/model.h"

namespace bitnet::test {

// Logits (tokens.size(), n_vocab) for a whole sequence starting at position 0.
std::vector<float> ReferenceLogits(const Model& model, const std::vector<int32_t>& tokens);

}  // namespace bitnet::test
