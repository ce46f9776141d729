#pragma once
// The kernel interface: a table of function pointers filled once at startup.
// Generic (scalar reference) kernels fill every slot; ISA variants replace the ones they speed up.
// All matmuls work on a range of output rows [r0, r1) so the engine's thread pool can split them,
// and write y[m * ldy + r] for every token m. Nothing here allocates.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet {

struct KernelTable {
  const char* name = "generic";

  // Per-token int8 activation quantization of m rows of k floats (BitNet b1.58, "absmax"):
  // amax = max(1e-5, max|x|); s = 127/amax; q = clamp(round_half_even(x*s), -128, 127).
  // Writes q (m*k) and scales[m] = s.
  void (*quantize_rows_i8)(const float* x, int64_t m, int64_t k, int8_t* q, float* scales);

  // I2_S ternary weights (rows of k/4 bytes, canonical 128/32 layout, codes 0,1,2 = -1,0,+1)
  // times int8 activations: exact int32 y = sum_i w_ri * q_mi.
  void (*gemm_i2s)(const uint8_t* w, int64_t k, int64_t r0, int64_t r1,
                   const int8_t* q, int64_t m, int32_t* y, int64_t ldy);

  // The same product on weights repacked into the lookup-table layout TL16
  // (kernels/generic/lut_ternary.h, PackI2SToTL16): exact int32, equal to gemm_i2s on the I2_S rows.
  void (*gemm_tl16)(const uint8_t* w, int64_t k, int64_t r0, int64_t r1,
                    const int8_t* q, int64_t m, int32_t* y, int64_t ldy);

  // TQ2_0 / TQ1_0 (upstream llama.cpp blocks of 256 with an fp16 scale d per block) times
  // int8 activations: y = sum_blocks d_b * (sum_{i in b} w_ri * q_mi), in float.
  void (*gemm_tq2_0)(const uint8_t* w, int64_t k, int64_t r0, int64_t r1,
                     const int8_t* q, int64_t m, float* y, int64_t ldy);
  void (*gemm_tq1_0)(const uint8_t* w, int64_t k, int64_t r0, int64_t r1,
                     const int8_t* q, int64_t m, float* y, int64_t ldy);

  // F16 weights (row-major, rows of k halves) times float activations: y = sum_i w_ri * x_mi.
  // Used by the tied head and by F16 models.
  void (*gemm_f16)(const uint16_t* w, int64_t k, int64_t r0, int64_t r1,
                   const float* x, int64_t m, float* y, int64_t ldy);

  // F32 weights times float activations.
  void (*gemm_f32)(const float* w, int64_t k, int64_t r0, int64_t r1,
                   const float* x, int64_t m, float* y, int64_t ldy);

  // Float vector ops of attention (profile: the scalar score dots are ~8% of a 128-token
  // prefill). dot_f32: sum a_i*b_i (summation order is the variant's, within float rounding of
  // the sequential reference). axpy_f32: y_i += a*x_i (the ISA variants multiply then add, without
  // FMA contraction; a reference compiled with contraction may differ by one rounding).
  float (*dot_f32)(const float* a, const float* b, int64_t n);
  void (*axpy_f32)(float a, const float* x, float* y, int64_t n);
  // Attention's value sum: y_i = sum_j p_j * x_{j,i} over n rows of x (ldx floats apart), i < d,
  // summed in row order starting from 0 with one multiply and one add per term, i.e. bit-identical
  // to zeroing y and calling axpy_f32(p_j, row j) for j = 0..n-1, but with y kept in registers.
  void (*weighted_sum_f32)(const float* p, int64_t n, const float* x, int64_t ldx, float* y, int64_t d);

  // ---- Non-ternary formats of real downloads (references: kernels/generic/block_kernels.h) ----
  // BF16 weights times float activations, like gemm_f16.
  void (*gemm_bf16)(const uint16_t* w, int64_t k, int64_t r0, int64_t r1,
                    const float* x, int64_t m, float* y, int64_t ldy);
  // Activations of the block formats: rows of k floats (k a multiple of 32) in blocks of 32,
  // d = amax/127, q = roundf(x/d) (llama.cpp's Q8_0 rule, d kept in f32). q (m*k), d (m*k/32).
  void (*quantize_rows_q8_32)(const float* x, int64_t m, int64_t k, int8_t* q, float* d);
  // Block weights (llama.cpp layouts; Q1_0_g128 per FORMATS.md §6) times q8_32 activations:
  // y = sum over 32-value sub-blocks of d_act * (w_scale * int_dot - w_offset * sum q).
  using GemmBlockFn = void (*)(const uint8_t* w, int64_t k, int64_t r0, int64_t r1, const int8_t* q,
                               const float* qd, int64_t m, float* y, int64_t ldy);
  GemmBlockFn gemm_q8_0;
  GemmBlockFn gemm_q4_0;
  GemmBlockFn gemm_q4_k;
  GemmBlockFn gemm_q6_k;
  GemmBlockFn gemm_q1_0_g128;
};

// The generic table (scalar references); always available.
const KernelTable& GenericKernels();

// Every variant compiled into this binary whose CPU features are present, best first.
std::vector<const KernelTable*> UsableKernels();

// Every variant compiled into this binary, best first, and why it cannot run on this machine
// ("" when it can; otherwise the first missing CPU or OS feature, e.g. "AVX512_VNNI").
struct KernelVariantInfo {
  const char* name;
  std::string missing;
};
std::vector<KernelVariantInfo> BuiltKernels();

// The variant named (e.g. "generic", "avx2"); throws UsageError naming the missing CPU feature
// or the unknown name. An empty name picks the best usable variant.
const KernelTable& SelectKernels(std::string_view name);

}  // namespace bitnet
