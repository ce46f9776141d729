#pragma once
// Reference dequantizers and packers of the block formats real GGUF downloads use besides Q8_0
// (kernels/generic/quant_ref.h): llama.cpp's Q4_0, Q4_K and Q6_K, and Bonsai's 1-bit Q1_0_g128
// (FORMATS.md §6). Whole tensors of n values (a multiple of the block size).
//
// Packers: Q4_0 and Q1_0_g128 reproduce their projects' reference quantizers bit for bit
// (llama.cpp quantize_row_q4_0_ref; Q1_0_g128: d = mean|x| of the block, bit = x >= 0).
// Q4_K and Q6_K write valid blocks with llama.cpp's scale packing but choose the sub-block scales
// directly (Q4_K: min/max per 32 values; Q6_K: llama.cpp's make_qx_quants without the RMSE
// search, i.e. its rmse_type 0) instead of llama.cpp's iterative search: files round-trip through
// any reader, with a slightly larger quantization error than llama-quantize's.
#include <cstdint>

namespace bitnet::ref {

void DequantQ4_0(const void* src, float* dst, int64_t n);
void QuantizeQ4_0(const float* src, void* dst, int64_t n);
void DequantQ4_K(const void* src, float* dst, int64_t n);
void QuantizeQ4_K(const float* src, void* dst, int64_t n);
void DequantQ6_K(const void* src, float* dst, int64_t n);
void QuantizeQ6_K(const float* src, void* dst, int64_t n);
void DequantQ1_0_g128(const void* src, float* dst, int64_t n);
void QuantizeQ1_0_g128(const float* src, void* dst, int64_t n);

}  // namespace bitnet::ref
