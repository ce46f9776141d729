// Picks a KernelTable once per session: every variant compiled into this binary (the build
// defines BITNET_KERNELS_<ISA> for each ISA file it could compile), best first, filtered by
// what the CPU and the OS support. The only file besides kernels/{x86,arm}/ that knows ISAs.
#include <string>

#include "common/error.h"
#include "kernels/generic/block_kernels.h"
#include "kernels/generic/lut_ternary.h"
#include "kernels/generic/reference_kernels.h"
#include "kernels/kernels.h"
#if defined(BITNET_KERNELS_AVX2) || defined(BITNET_KERNELS_AVX512)
#include "kernels/x86/x86_kernels.h"
#endif
#if defined(BITNET_KERNELS_NEON) || defined(BITNET_KERNELS_NEON_DOTPROD)
#include "kernels/arm/arm_kernels.h"
#endif

namespace bitnet {

const KernelTable& GenericKernels() {
  static const KernelTable table = [] {
    KernelTable t;
    t.name = "generic";
    t.quantize_rows_i8 = ref::QuantizeRowsI8;
    t.gemm_i2s = ref::GemmI2S;
    t.gemm_tl16 = ref::GemmTL16;
    t.gemm_tq2_0 = ref::GemmTQ2_0;
    t.gemm_tq1_0 = ref::GemmTQ1_0;
    t.gemm_f16 = ref::GemmF16;
    t.gemm_f32 = ref::GemmF32;
    t.dot_f32 = ref::DotF32;
    t.axpy_f32 = ref::AxpyF32;
    t.weighted_sum_f32 = ref::WeightedSumF32;
    t.gemm_bf16 = ref::GemmBF16;
    t.quantize_rows_q8_32 = ref::QuantizeRowsQ8_32;
    t.gemm_q8_0 = ref::GemmQ8_0;
    t.gemm_q4_0 = ref::GemmQ4_0;
    t.gemm_q4_k = ref::GemmQ4_K;
    t.gemm_q6_k = ref::GemmQ6_K;
    t.gemm_q1_0_g128 = ref::GemmQ1_0_g128;
    return t;
  }();
  return table;
}

namespace {

struct Variant {
  const KernelTable& (*table)();
  std::string (*missing)();  // first missing CPU/OS feature, "" if usable
};

#if defined(BITNET_KERNELS_AVX2)
const KernelTable& Avx2Kernels() {
  static const KernelTable table = [] {
    KernelTable t = GenericKernels();
    t.name = "avx2";
    t.quantize_rows_i8 = avx2::QuantizeRowsI8;
    t.gemm_i2s = avx2::GemmI2S;
    t.gemm_tl16 = avx2::GemmTL16;
    t.gemm_tq2_0 = avx2::GemmTQ2_0;
    t.gemm_tq1_0 = avx2::GemmTQ1_0;
    t.gemm_f16 = avx2::GemmF16;
    t.gemm_f32 = avx2::GemmF32;
    t.dot_f32 = avx2::DotF32;
    t.axpy_f32 = avx2::AxpyF32;
    t.weighted_sum_f32 = avx2::WeightedSumF32;
    t.gemm_bf16 = avx2::GemmBF16;
    t.quantize_rows_q8_32 = avx2::QuantizeRowsQ8_32;
    t.gemm_q8_0 = avx2::GemmQ8_0;
    t.gemm_q4_0 = avx2::GemmQ4_0;
    t.gemm_q4_k = avx2::GemmQ4_K;
    t.gemm_q6_k = avx2::GemmQ6_K;
    t.gemm_q1_0_g128 = avx2::GemmQ1_0_g128;
    return t;
  }();
  return table;
}
#endif

#if defined(BITNET_KERNELS_AVX2) && defined(BITNET_KERNELS_AVX512)
const KernelTable& Avx512Kernels() {  // AVX-512 where it exists, AVX2 for the other slots
  static const KernelTable table = [] {
    KernelTable t = Avx2Kernels();
    t.name = "avx512";
    t.quantize_rows_i8 = avx512::QuantizeRowsI8;
    t.gemm_i2s = avx512::GemmI2S;
    t.gemm_q8_0 = avx512::GemmQ8_0;
    t.gemm_q4_0 = avx512::GemmQ4_0;
    t.gemm_q4_k = avx512::GemmQ4_K;
    t.gemm_q6_k = avx512::GemmQ6_K;
    t.gemm_q1_0_g128 = avx512::GemmQ1_0_g128;
    return t;
  }();
  return table;
}
#endif

#if defined(BITNET_KERNELS_NEON)
const KernelTable& NeonKernels() {
  static const KernelTable table = [] {
    KernelTable t = GenericKernels();
    t.name = "neon";
    t.quantize_rows_i8 = neon::QuantizeRowsI8;
    t.gemm_i2s = neon::GemmI2S;
    t.gemm_tl16 = neon::GemmTL16;
    t.gemm_tq2_0 = neon::GemmTQ2_0;
    t.gemm_tq1_0 = neon::GemmTQ1_0;
    t.gemm_f16 = neon::GemmF16;
    t.gemm_f32 = neon::GemmF32;
    t.dot_f32 = neon::DotF32;
    t.axpy_f32 = neon::AxpyF32;
    t.gemm_bf16 = neon::GemmBF16;
    t.quantize_rows_q8_32 = neon::QuantizeRowsQ8_32;
    t.gemm_q8_0 = neon::GemmQ8_0;
    t.gemm_q4_0 = neon::GemmQ4_0;
    t.gemm_q4_k = neon::GemmQ4_K;
    t.gemm_q6_k = neon::GemmQ6_K;
    t.gemm_q1_0_g128 = neon::GemmQ1_0_g128;
    return t;
  }();
  return table;
}
#endif

#if defined(BITNET_KERNELS_NEON) && defined(BITNET_KERNELS_NEON_DOTPROD)
const KernelTable& NeonDotprodKernels() {
  static const KernelTable table = [] {
    KernelTable t = NeonKernels();
    t.name = "neon_dotprod";
    t.gemm_i2s = neon_dotprod::GemmI2S;
    t.gemm_tq2_0 = neon_dotprod::GemmTQ2_0;
    t.gemm_tq1_0 = neon_dotprod::GemmTQ1_0;
    t.gemm_q8_0 = neon_dotprod::GemmQ8_0;
    t.gemm_q4_0 = neon_dotprod::GemmQ4_0;
    t.gemm_q4_k = neon_dotprod::GemmQ4_K;
    t.gemm_q6_k = neon_dotprod::GemmQ6_K;
    t.gemm_q1_0_g128 = neon_dotprod::GemmQ1_0_g128;
    return t;
  }();
  return table;
}
#endif

// Best first; generic last.
const std::vector<Variant>& Variants() {
  static const std::vector<Variant> v = {
#if defined(BITNET_KERNELS_AVX2) && defined(BITNET_KERNELS_AVX512)
      {Avx512Kernels, [] { return MissingX86Feature("avx512"); }},
#endif
#if defined(BITNET_KERNELS_AVX2)
      {Avx2Kernels, [] { return MissingX86Feature("avx2"); }},
#endif
#if defined(BITNET_KERNELS_NEON) && defined(BITNET_KERNELS_NEON_DOTPROD)
      {NeonDotprodKernels, [] { return MissingArmFeature("neon_dotprod"); }},
#endif
#if defined(BITNET_KERNELS_NEON)
      {NeonKernels, [] { return MissingArmFeature("neon"); }},
#endif
      {GenericKernels, [] { return std::string(); }},
  };
  return v;
}

}  // namespace

std::vector<KernelVariantInfo> BuiltKernels() {
  std::vector<KernelVariantInfo> out;
  for (const Variant& v : Variants()) out.push_back({v.table().name, v.missing()});
  return out;
}

std::vector<const KernelTable*> UsableKernels() {
  std::vector<const KernelTable*> out;
  for (const Variant& v : Variants())
    if (v.missing().empty()) out.push_back(&v.table());
  return out;
}

const KernelTable& SelectKernels(std::string_view name) {
  if (name.empty()) return *UsableKernels().front();
  std::string built;
  for (const Variant& v : Variants()) {
    const KernelTable& t = v.table();
    if (name == t.name) {
      const std::string missing = v.missing();
      if (!missing.empty())
        throw UsageError("kernel variant '" + std::string(name) + "' needs " + missing +
                         ", which this CPU/OS lacks");
      return t;
    }
    built += (built.empty() ? "" : ", ") + std::string(t.name);
  }
  throw UsageError("unknown kernel variant '" + std::string(name) + "' (this build has: " + built +
                   ")");
}

}  // namespace bitnet
