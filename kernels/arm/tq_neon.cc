// AArch64 Advanced SIMD (baseline armv8-a) TQ2_0 / TQ1_0 kernels (upstream llama.cpp's ternary
// blocks of 256 with an fp16 scale). Driver and decoders: tq_neon_tiles.h. The per-block integer
// sum uses widening multiplies: vmull/vmlal_s8 put two products (|w q| <= 2 * 128) in an int16
// lane (|sum| <= 512) and vpadal widens to int32 at once, so every (token, block) sum is exact.
#include <arm_neon.h>

#include "kernels/arm/arm_kernels.h"
#include "kernels/arm/tq_neon_tiles.h"
#include "kernels/generic/ternary_codes.h"

namespace bitnet::neon {
namespace {

template <int T>
struct DotMull {
  static void Run(const int8_t* w, const int8_t* q, int64_t k, int32_t* out) {
    int32x4_t acc[T];
    for (int t = 0; t < T; ++t) acc[t] = vdupq_n_s32(0);
    for (int i = 0; i < arm_tq::kTQ; i += 16) {
      const int8x16_t wv = vld1q_s8(w + i);
      for (int t = 0; t < T; ++t) {
        const int8x16_t qv = vld1q_s8(q + t * k + i);
        int16x8_t p = vmull_s8(vget_low_s8(wv), vget_low_s8(qv));
        p = vmlal_high_s8(p, wv, qv);
        acc[t] = vpadalq_s16(acc[t], p);
      }
    }
    for (int t = 0; t < T; ++t) out[t] = vaddvq_s32(acc[t]);
  }
};

}  // namespace

void GemmTQ2_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  arm_tq::GemmTQ<ref::kTQ2Bytes, 64, arm_tq::DecodeTQ2, DotMull>(w, k, r0, r1, q, m, y, ldy);
}

void GemmTQ1_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
               float* y, int64_t ldy) {
  arm_tq::GemmTQ<ref::kTQ1Bytes, 52, arm_tq::DecodeTQ1, DotMull>(w, k, r0, r1, q, m, y, ldy);
}

}  // namespace bitnet::neon
