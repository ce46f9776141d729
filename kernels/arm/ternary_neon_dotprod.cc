// AArch64 NEON + dot product (armv8.2-a+dotprod): the I2_S GEMM with SDOT, which adds groups of
// 4 signed products (|w*q| <= 256) straight into int32 lanes: exact for any k. Canonical 128/32
// I2_S layout (see ternary_neon.cc). The other slots of "neon_dotprod" are baseline NEON's.
#include <arm_neon.h>

#include "kernels/arm/arm_kernels.h"
#include "kernels/arm/i2s_neon_tiles.h"

namespace bitnet::neon_dotprod {
namespace {

template <int T>
struct DotSdot {
  static void Run(const uint8_t* wr, int64_t b0, int64_t b1, const int8_t* q, int64_t k,
                  int32x4_t* acc) {
    int8x16_t wv[4][2];
    int32x4_t a[T];
    for (int t = 0; t < T; ++t) a[t] = acc[t];
    for (int64_t b = b0; b < b1; ++b) {
      arm_tiles::DecodeI2SBlock(wr + 32 * b, wv);
      const int8_t* qb = q + 128 * b;
      for (int t = 0; t < T; ++t)
        for (int n = 0; n < 4; ++n)
          for (int h = 0; h < 2; ++h)
            a[t] = vdotq_s32(a[t], wv[n][h], vld1q_s8(qb + t * k + 32 * n + 16 * h));
    }
    for (int t = 0; t < T; ++t) acc[t] = a[t];
  }
};

}  // namespace

void GemmI2S(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, int64_t m,
             int32_t* y, int64_t ldy) {
  arm_tiles::GemmI2S<DotSdot>(w, k, r0, r1, q, m, y, ldy);
}

}  // namespace bitnet::neon_dotprod
