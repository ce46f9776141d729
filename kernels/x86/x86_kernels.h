#pragma once
// x86 kernel variants: the functions of kernels/x86/ternary_avx2.cc and ternary_avx512.cc and the
// CPU-feature probe of cpu_features_x86.cc. No intrinsics here: dispatch.cc includes this header.
#include <cstdint>
#include <string>

#include "kernels/kernels.h"

namespace bitnet {

// The name of the first CPU/OS feature the variant needs that this machine lacks, or "".
std::string MissingX86Feature(std::string_view variant);

namespace avx2 {
void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales);
void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy);
void GemmTL16(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
              int32_t* y, int64_t ldy);  // lut_avx2.cc
void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy);
void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy);
void GemmF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy);
void GemmF32(const float* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy);
float DotF32(const float* a, const float* b, int64_t n);
void AxpyF32(float a, const float* x, float* y, int64_t n);
void WeightedSumF32(const float* p, int64_t n, const float* x, int64_t ldx, float* y, int64_t d);
// Non-ternary formats (kernels/x86/blocks_avx2.cc).
void QuantizeRowsQ8_32(const float* x, int64_t m, int64_t k, int8_t* q, float* d);
void GemmBF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
              float* y, int64_t ldy);
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
}  // namespace avx2

namespace avx512 {
void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales);
void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy);
// Block formats' prefill with VNNI (kernels/x86/blocks_avx512.cc; few tokens: avx2's).
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
}  // namespace avx512

}  // namespace bitnet
