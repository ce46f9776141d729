#pragma once
// Scalar reference kernels: the test oracle for every ISA variant and the dispatch fallback.
// Signatures match the slots of KernelTable (kernels/kernels.h).
#include <cstdint>

namespace bitnet::ref {

void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales);
void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy);
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

}  // namespace bitnet::ref
