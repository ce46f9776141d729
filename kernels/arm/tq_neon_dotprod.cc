// AArch64 NEON + dot product (armv8.2-a+dotprod) TQ2_0 / TQ1_0 kernels: the per-block integer
// sum with SDOT, which adds groups of 4 signed products (|w q| <= 2 * 128) straight into int32
// lanes: exact. Driver and decoders: tq_neon_tiles.h (shared with tq_neon.cc).
#include <arm_neon.h>

#include "kernels/arm/arm_kernels.h"
#include "kernels/arm/tq_neon_tiles.h"
#include "kernels/generic/ternary_codes.h"

namespace bitnet::neon_dotprod {
namespace {

template <int T>
struct DotSdot {
  static void Run(const int8_t* w, const int8_t* q, int64_t k, int32_t* out) {
    int32x4_t acc[T][2];
    for (int t = 0; t < T; ++t) acc[t][0] = acc[t][1] = vdupq_n_s32(0);
    for (int i = 0; i < arm_tq::kTQ; i += 32) {
      const int8x16_t w0 = vld1q_s8(w + i), w1 = vld1q_s8(w + i + 16);
      for (int t = 0; t < T; ++t) {
        acc[t][0] = vdotq_s32(acc[t][0], w0, vld1q_s8(q + t * k + i));
        acc[t][1] = vdotq_s32(acc[t][1], w1, vld1q_s8(q + t * k + i + 16));
      }
    }
    for (int t = 0; t < T; ++t) out[t] = vaddvq_s32(vaddq_s32(acc[t][0], acc[t][1]));
  }
};

}  // namespace

void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  arm_tq::GemmTQ<ref::kTQ2Bytes, 64, arm_tq::DecodeTQ2, DotSdot>(w, k, r0, r1, q, m, y, ldy);
}

void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  arm_tq::GemmTQ<ref::kTQ1Bytes, 52, arm_tq::DecodeTQ1, DotSdot>(w, k, r0, r1, q, m, y, ldy);
}

}  // namespace bitnet::neon_dotprod
