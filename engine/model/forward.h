#pragma once
// The forward pass of any supported architecture: BitNet b1.58 2B4T files (bitnet-b1.58,
// bitnet-25) run ForwardBitnetB158, the others the shared decoder (ForwardDecoder). Same contract
// as ForwardBitnetB158 (engine/model/bitnet_b158.h).
#include <cstdint>
#include <span>

#include "engine/model/bitnet_b158.h"

namespace bitnet {

void ForwardDecoder(const Model& model, const KernelTable& kernels, ThreadPool& pool, KvCache& kv,
                    ForwardBuffers& buf, std::span<const int32_t> tokens, std::span<const int64_t> rows,
                    float* logits);

void Forward(const Model& model, const KernelTable& kernels, ThreadPool& pool, KvCache& kv, ForwardBuffers& buf,
             std::span<const int32_t> tokens, std::span<const int64_t> rows, float* logits);

}  // namespace bitnet
