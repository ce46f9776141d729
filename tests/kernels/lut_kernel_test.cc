// The lookup-table kernel (gemm_tl16 on the TL16 layout, kernels/generic/lut_ternary.h) of every
// variant this CPU runs, against the I2_S reference on the same ternary weights: bit-exact int32 for
// every batch size, odd row counts and sub-ranges (r0 inside a 16-row tile), every k the I2_S format
// allows up to the 2B4T widths, misaligned buffers, guard values around the outputs, and worst cases.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/generic/lut_ternary.h"
#include "kernels/generic/reference_kernels.h"
#include "kernels/kernels.h"

namespace bitnet {
namespace {

constexpr int32_t kGuard = 0x5eadbeef;

// n bytes starting `mis` bytes past a 64-byte boundary.
struct Bytes {
  std::vector<unsigned char> raw;
  unsigned char* p;
  Bytes(int64_t n, int mis) : raw(static_cast<size_t>(n) + 128) {
    const auto base = reinterpret_cast<uintptr_t>(raw.data());
    p = raw.data() + (64 - base % 64) % 64 + mis;
  }
};

struct Case {
  int64_t rows, m, k, r0, ldy;
  int mis;
  std::string Str() const {
    return "rows=" + std::to_string(rows) + " m=" + std::to_string(m) + " k=" + std::to_string(k) +
           " r0=" + std::to_string(r0) + " ldy=" + std::to_string(ldy) + " mis=" + std::to_string(mis);
  }
};

// Random I2_S codes (all four, including the unused 3) and activations; the variant's gemm_tl16 on the
// repacked matrix must equal ref::GemmI2S on the original, and leave every other output untouched.
void Check(const KernelTable& kt, const Case& c, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t n_rows = c.r0 + c.rows + seed % 3;  // rows past r1 exist too
  std::vector<uint8_t> i2s(static_cast<size_t>(n_rows * c.k / 4));
  for (auto& b : i2s) b = static_cast<uint8_t>(rng());
  Bytes packed(TL16PackedBytes(n_rows, c.k), c.mis);
  PackI2SToTL16(i2s.data(), n_rows, c.k, packed.p);
  Bytes qb(c.m * c.k, (c.mis + 1) % 4);
  auto* q = reinterpret_cast<int8_t*>(qb.p);
  for (int64_t i = 0; i < c.m * c.k; ++i) q[i] = static_cast<int8_t>(rng());
  const int64_t ny = c.m * c.ldy + 5;
  Bytes yb(ny * 4, 4 * (c.mis % 2) + c.mis % 4);
  auto* y = reinterpret_cast<int32_t*>(yb.p);
  std::vector<int32_t> yr(static_cast<size_t>(ny), kGuard);
  std::fill(y, y + ny, kGuard);
  kt.gemm_tl16(packed.p, c.k, c.r0, c.r0 + c.rows, q, c.m, y, c.ldy);
  ref::GemmI2S(i2s.data(), c.k, c.r0, c.r0 + c.rows, q, c.m, yr.data(), c.ldy);
  INFO(kt.name << " gemm_tl16 " << c.Str() << " seed=" << seed);
  REQUIRE(std::memcmp(y, yr.data(), sizeof(int32_t) * static_cast<size_t>(ny)) == 0);
}

}  // namespace

TEST_CASE("TL16 packing: size and padding rows", "[kernels][lut]") {
  CHECK(TL16PackedBytes(16, 128) == 16 * 32);
  CHECK(TL16PackedBytes(17, 128) == 32 * 32);
  CHECK(TL16PackedBytes(2560, 2560) == 2560 * 640);
  // One row of +1 (code 2) weights: its bytes hold index 2 | 2 << 2 = 10 in both nibbles; the 15
  // padding rows hold index 1 | 1 << 2 = 5 (weight 0).
  std::vector<uint8_t> i2s(128 / 4, 0xaa), packed(static_cast<size_t>(TL16PackedBytes(1, 128)));
  PackI2SToTL16(i2s.data(), 1, 128, packed.data());
  for (size_t i = 0; i < packed.size(); ++i) {
    INFO("byte " << i);
    CHECK(packed[i] == (i % 16 == 0 ? 0xaa : 0x55));
  }
}

TEST_CASE("gemm_tl16 equals gemm_i2s's reference on odd shapes and misaligned buffers", "[kernels][lut]") {
  uint32_t seed = 1;
  for (const KernelTable* kt : UsableKernels())
    for (int64_t k : {128, 256, 384, 2560, 6912})
      for (int64_t rows : {1, 2, 3, 5, 15, 16, 17, 31, 33, 47})
        for (int64_t m : {1, 2, 3, 7}) {
          const int64_t r0 = seed % 4 == 0 ? 0 : (seed * 7) % 23;
          Check(*kt, {rows, m, k, r0, r0 + rows + static_cast<int64_t>(seed % 3), static_cast<int>(seed % 4)}, seed);
          ++seed;
        }
}

TEST_CASE("gemm_tl16 is exact for every batch size", "[kernels][lut]") {
  for (const KernelTable* kt : UsableKernels())
    for (int64_t m = 1; m <= 33; ++m) Check(*kt, {37, m, 640, 5, 45, static_cast<int>(m % 4)}, static_cast<uint32_t>(1000 + m));
}

TEST_CASE("gemm_tl16 worst cases cannot wrap", "[kernels][lut]") {
  const int64_t k = 6912, rows = 19;
  for (const KernelTable* kt : UsableKernels())
    for (uint8_t code_byte : {uint8_t{0xaa}, uint8_t{0xff}, uint8_t{0x00}}) {
      std::vector<uint8_t> i2s(static_cast<size_t>(rows * k / 4), code_byte);
      std::vector<uint8_t> packed(static_cast<size_t>(TL16PackedBytes(rows, k)));
      PackI2SToTL16(i2s.data(), rows, k, packed.data());
      const int64_t m = 3;
      std::vector<int8_t> q(static_cast<size_t>(m * k));
      for (int64_t t = 0; t < m; ++t) std::fill_n(q.begin() + t * k, k, t == 1 ? int8_t{127} : int8_t{-128});
      std::vector<int32_t> y(static_cast<size_t>(m * rows), kGuard);
      kt->gemm_tl16(packed.data(), k, 0, rows, q.data(), m, y.data(), rows);
      const int32_t wv = (code_byte & 3) - 1;
      for (int64_t t = 0; t < m; ++t)
        for (int64_t r = 0; r < rows; ++r) {
          INFO(kt->name << " code byte " << int(code_byte) << " token " << t << " row " << r);
          CHECK(y[static_cast<size_t>(t * rows + r)] == wv * (t == 1 ? 127 : -128) * k);
        }
    }
}

}  // namespace bitnet
