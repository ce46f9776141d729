#pragma once
// ARM kernel variants: ternary_neon.cc, tq_neon.cc (baseline ASIMD), ternary_neon_dotprod.cc,
// tq_neon_dotprod.cc (+SDOT) and
// the getauxval probe of cpu_features_arm.cc. No intrinsics here: dispatch.cc includes this.
#include <cstdint>
#include <string>
#include <string_view>

namespace bitnet {

// The name of the first CPU feature the variant ("neon", "neon_dotprod") lacks here, or "".
std::string MissingArmFeature(std::string_view variant);

namespace neon {
void QuantizeRowsI8(const float* x, int64_t m, int64_t k, int8_t* q, float* scales);
void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy);
void GemmTL16(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
              int32_t* y, int64_t ldy);  // lut_neon.cc
void GemmF16(const uint16_t* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy);
void GemmF32(const float* w, int64_t k, int64_t r0, int64_t r1, const float* x, int64_t m,
             float* y, int64_t ldy);
float DotF32(const float* a, const float* b, int64_t n);
void AxpyF32(float a, const float* x, float* y, int64_t n);
// TQ2_0 / TQ1_0 (kernels/arm/tq_neon.cc).
void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy);
void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy);
// Non-ternary formats (kernels/arm/blocks_neon.cc).
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
}  // namespace neon

namespace neon_dotprod {
void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy);
// TQ2_0 / TQ1_0 with SDOT (kernels/arm/tq_neon_dotprod.cc).
void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy);
void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy);
// Block formats' prefill with SDOT (kernels/arm/blocks_neon_dotprod.cc; few tokens: neon's).
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
}  // namespace neon_dotprod

}  // namespace bitnet
