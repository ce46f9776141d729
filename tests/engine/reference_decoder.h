#pragma once
// An independent, deliberately simple forward pass of the decoder architectures (llama, qwen2,
// qwen3, gemma3, minicpm, bitnet) for tests only: every weight dequantized to float through the
// traits table, double-precision arithmetic, no KV cache, no threads, no kernel table, written
// from the architectures' published descriptions (engine/model/arch_*.cc comments). The
// activation quantization of the engine's integer matmuls is emulated so it computes the same
// function: per-token int8 (absmax) for ternary weights, blocks of 32 (amax/127) for Q8_0, Q4_0,
// Q4_K, Q6_K and Q1_0_g128.
#include <cstdint>
#include <vector>

#include "engine/model/model.h"

namespace bitnet::test {

// Logits (tokens.size(), n_vocab) for a whole sequence starting at position 0.
std::vector<float> ReferenceDecoderLogits(const Model& model, const std::vector<int32_t>& tokens);

}  // namespace bitnet::test
