#include <fmt/format.h>

#include "common/error.h"
#include "kernels/generic/reference_kernels.h"
#include "kernels/kernels.h"

namespace bitnet {

const KernelTable& GenericKernels() {
  static const KernelTable table = [] {
    KernelTable t;
    t.name = "generic";
    t.quantize_rows_i8 = ref::QuantizeRowsI8;
    t.gemm_i2s = ref::GemmI2S;
    t.gemm_tq2_0 = ref::GemmTQ2_0;
    t.gemm_tq1_0 = ref::GemmTQ1_0;
    t.gemm_f16 = ref::GemmF16;
    t.gemm_f32 = ref::GemmF32;
    return t;
  }();
  return table;
}

std::vector<const KernelTable*> UsableKernels() { return {&GenericKernels()}; }

const KernelTable& SelectKernels(std::string_view name) {
  auto usable = UsableKernels();
  if (name.empty()) return *usable.front();
  for (const KernelTable* t : usable)
    if (name == t->name) return *t;
  throw UsageError(fmt::format("unknown kernel variant '{}' (this build has: generic)", name));
}

}  // namespace bitnet
