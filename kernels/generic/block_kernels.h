#pragma once
// Scalar reference matmuls of the non-ternary weight formats real GGUF downloads use: BF16 (float
// activations, like GemmF16) and the block formats Q8_0, Q4_0, Q4_K, Q6_K, Q1_0_g128 times
// activations quantized in blocks of 32 (QuantizeRowsQ8_32: llama.cpp's Q8_0 rule with an f32
// scale). Each sub-block of 32 weights contributes
//   y += da_s * (scale_s * sum_i v_i q_i - offset_s * sum_i q_i)
// in sub-block order (block_codes.h gives v, scale, offset), so the integer sums are exact.
// Signatures match the KernelTable slots.
#include <cstdint>

namespace bitnet::ref {

// k must be a multiple of 32. q: (m, k) int8; d: (m, k/32) scales.
void QuantizeRowsQ8_32(const float* x, int64_t m, int64_t k, int8_t* q, float* d);

void GemmBF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
              float* y, int64_t ldy);

// Rows of k weights (k a multiple of the format's block) times q8_32 activations.
void GemmQ8_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy);
void GemmQ4_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy);
void GemmQ4_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy);
void GemmQ6_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
              int64_t m, float* y, int64_t ldy);
void GemmQ1_0_g128(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                   int64_t m, float* y, int64_t ldy);

}  // namespace bitnet::ref
