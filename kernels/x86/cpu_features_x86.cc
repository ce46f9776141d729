// x86 CPU-feature probe: CPUID for what the CPU implements, XGETBV(XCR0) for what the OS saves
// on a context switch (YMM state for AVX/AVX2, opmask + ZMM state for AVX-512). A variant is
// usable only when both agree. No intrinsics: <cpuid.h> and one xgetbv instruction.
#include <cpuid.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "kernels/x86/x86_kernels.h"

namespace bitnet {
namespace {

struct X86Features {
  bool avx = false, fma = false, f16c = false, osxsave = false, avx2 = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512vnni = false;
  bool os_ymm = false, os_zmm = false;
};

uint64_t ReadXcr0() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

X86Features Probe() {
  X86Features f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  f.fma = c & (1u << 12);
  f.osxsave = c & (1u << 27);
  f.avx = c & (1u << 28);
  f.f16c = c & (1u << 29);
  if (f.osxsave) {
    const uint64_t xcr0 = ReadXcr0();
    f.os_ymm = (xcr0 & 0x6) == 0x6;     // SSE + AVX state
    f.os_zmm = (xcr0 & 0xe6) == 0xe6;   // + opmask, ZMM_Hi256, Hi16_ZMM
  }
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    f.avx2 = b & (1u << 5);
    f.avx512f = b & (1u << 16);
    f.avx512bw = b & (1u << 30);
    f.avx512vl = b & (1u << 31);
    f.avx512vnni = c & (1u << 11);
  }
  return f;
}

const X86Features& Features() {
  static const X86Features f = Probe();
  return f;
}

}  // namespace

std::string MissingX86Feature(std::string_view variant) {
  const X86Features& f = Features();
  struct Need { bool ok; const char* name; };
  const Need avx2[] = {{f.avx, "AVX"}, {f.os_ymm, "OS support for YMM state (XCR0)"},
                       {f.avx2, "AVX2"}, {f.fma, "FMA"}, {f.f16c, "F16C"}};
  const Need avx512[] = {{f.avx512f, "AVX512F"}, {f.avx512bw, "AVX512BW"},
                         {f.avx512vl, "AVX512VL"}, {f.avx512vnni, "AVX512_VNNI"},
                         {f.os_zmm, "OS support for ZMM/opmask state (XCR0)"}};
  for (const Need& n : avx2)
    if (!n.ok) return n.name;
  if (variant == "avx2") return "";
  for (const Need& n : avx512)
    if (!n.ok) return n.name;
  return "";
}

}  // namespace bitnet
