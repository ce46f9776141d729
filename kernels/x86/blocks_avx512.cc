// AVX-512 VNNI (256-bit, AVX512VL) prefill path of the block formats (Q8_0, Q4_0, Q4_K, Q6_K,
// Q1_0_g128 times q8_32 activations): the decoded panels of block_panels_x86.h with vpdpbusd,
// which adds groups of 4 unsigned x signed byte products straight into int32 lanes (exact, no
// int16 stage: one instruction instead of maddubs + madd). Q6_K's per-16 scales still go through
// maddubs + madd. Few tokens (decode) use the AVX2 path (blocks_avx2.cc).
#include <immintrin.h>

#include "kernels/x86/block_panels_x86.h"
#include "kernels/x86/x86_kernels.h"

namespace bitnet::avx512 {
namespace {

constexpr int64_t kPanelMinTokens = 8;  // as blocks_avx2.cc

struct VnniPanelOps {
  static __m256i Signed(__m256i aw, __m256i sw, __m256i q) {
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), aw, _mm256_sign_epi8(q, sw));
  }
  static __m256i Sub16(__m256i aw, __m256i sw, __m256i q, __m256i scl) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(aw, _mm256_sign_epi8(q, sw)), scl);
  }
  static __m256i Unsigned(__m256i u, __m256i q) { return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, q); }
};

using GemmFn = void (*)(const uint8_t*, int64_t, int64_t, int64_t, const int8_t*, const float*, int64_t, float*,
                        int64_t);

template <class P>
void Gemm(GemmFn few, const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
          int64_t m, float* y, int64_t ldy) {
  if (m >= kPanelMinTokens) return x86_blocks::GemmPanels<P, VnniPanelOps>(w, k, r0, r1, q, qd, m, y, ldy);
  few(w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace

void GemmQ8_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q8_0>(avx2::GemmQ8_0, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_0(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q4_0>(avx2::GemmQ4_0, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ4_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q4_K>(avx2::GemmQ4_K, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ6_K(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd, int64_t m,
              float* y, int64_t ldy) {
  Gemm<panel::Q6_K>(avx2::GemmQ6_K, w, k, r0, r1, q, qd, m, y, ldy);
}
void GemmQ1_0_g128(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q, const float* qd,
                   int64_t m, float* y, int64_t ldy) {
  Gemm<panel::Q1_0_g128>(avx2::GemmQ1_0_g128, w, k, r0, r1, q, qd, m, y, ldy);
}

}  // namespace bitnet::avx512
