// AArch64 NEON + dot product (armv8.2-a+dotprod) prefill path of the block formats (Q8_0, Q4_0,
// Q4_K, Q6_K, Q1_0_g128 times q8_32 activations): the decoded panels of blocks_neon_tiles.h with
// SDOT, which adds groups of 4 signed products (|w q| <= 128 * 127) straight into int32 lanes
// (exact). Few tokens (decode) use baseline NEON's per-token path (blocks_neon.cc).
#include <arm_neon.h>

#include "kernels/arm/arm_kernels.h"
#include "kernels/arm/blocks_neon_tiles.h"

namespace bitnet::neon_dotprod {
namespace {

constexpr int64_t kPanelMinTokens = 4;  // as blocks_neon.cc (untuned)

template <bool kSub16>
struct SdotDot {
  static int32x4_t Run(int8x16_t w0, int8x16_t w1, int8x16_t q0, int8x16_t q1, int32_t sa, int32_t sb) {
    const int32x4_t zero = vdupq_n_s32(0);
    if constexpr (kSub16) return vmlaq_n_s32(vmulq_n_s32(vdotq_s32(zero, w0, q0), sa), vdotq_s32(zero, w1, q1), sb);
    return vdotq_s32(vdotq_s32(zero, w0, q0), w1, q1);
  }
};

using GemmFn = void (*)(const uint8_t*, int64_t, int64_t, int64_t, const int8_t*, const float*, int64_t, float*,
                        int64_t);

template <class P>
void Gemm(GemmFn few, const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
          int64_t m, float* y, int64_t ldy) {
  if (m >= kPanelMinTokens) return arm_blocks::GemmPanels<P, SdotDot>(w, k, r0, r1, q, qd, m, y, ldy);
  few(w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace

void GemmQ8_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q8_0>(neon::GemmQ8_0, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q4_0>(neon::GemmQ4_0, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q4_K>(neon::GemmQ4_K, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ6_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q6_K>(neon::GemmQ6_K, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ1_0_g128(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                   int64_t m, float* y, int64_t ldy) {
  Gemm<panel::Q1_0_g128>(neon::GemmQ1_0_g128, w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace bitnet::neon_dotprod
