// aarch64 CPU-feature probe: the kernel's AT_HWCAP bits (ASIMD = Advanced SIMD, ASIMDDP = the
// SDOT/UDOT dot-product instructions). The OS enables what it reports, so no further check.
#include <sys/auxv.h>

#include <string>
#include <string_view>

#include "kernels/arm/arm_kernels.h"

namespace bitnet {
namespace {
constexpr unsigned long kHwcapAsimd = 1ul << 1;     // HWCAP_ASIMD in <asm/hwcap.h>
constexpr unsigned long kHwcapAsimdDp = 1ul << 20;  // HWCAP_ASIMDDP
}  // namespace

std::string MissingArmFeature(std::string_view variant) {
  static const unsigned long hwcap = getauxval(AT_HWCAP);
  if (!(hwcap & kHwcapAsimd)) return "ASIMD (NEON)";
  if (variant == "neon_dotprod" && !(hwcap & kHwcapAsimdDp)) return "ASIMDDP (dotprod)";
  return "";
}

}  // namespace bitnet
