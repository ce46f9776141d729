// The scalar reference kernels against independent naive computations: activation
// quantization rounding, the ternary GEMMs against integer dot products of the ternary values
// that were packed (not of the decoders' output), row ranges with guard values, and the
// float GEMMs against double-precision dots.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/generic/quant_ref.h"
#include "kernels/generic/reference_kernels.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

constexpr float kGuardF = -777.25f;
constexpr int32_t kGuardI = 0x5eadbeef;

std::vector<int8_t> RandomTernary(size_t n, std::mt19937& rng) {
  std::vector<int8_t> w(n);
  for (auto& v : w) v = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
  return w;
}

std::vector<int8_t> RandomI8(size_t n, std::mt19937& rng) {
  std::vector<int8_t> q(n);
  for (auto& v : q) v = static_cast<int8_t>(static_cast<int>(rng() % 256) - 128);
  return q;
}

std::vector<uint8_t> PackTernary(QuantType t, const std::vector<int8_t>& w,
                                 const std::vector<float>& block_scale, int64_t block) {
  std::vector<float> x(w.size());
  for (size_t i = 0; i < w.size(); ++i) x[i] = w[i] * block_scale[i / static_cast<size_t>(block)];
  std::vector<uint8_t> out(*TensorBytes(t, w.size()));
  GetQuantTraits(t).from_float_ref(x.data(), out.data(), static_cast<int64_t>(w.size()));
  return out;
}

}  // namespace

TEST_CASE("QuantizeRowsI8: half to even, scale, amax floor, zero rows", "[refkernels]") {
  SECTION("ties round to even at s = 1") {
    // amax 127 -> s = 127/127 = 1 exactly, so x*s is x.
    const std::vector<float> x = {127.0f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.5f,
                                  -127.0f, 126.5f, 0.49999997f, -3.5f};
    std::vector<int8_t> q(x.size());
    float s = 0;
    ref::QuantizeRowsI8(x.data(), 1, static_cast<int64_t>(x.size()), q.data(), &s);
    CHECK(s == 1.0f);
    const std::vector<int8_t> want = {127, 0, 2, 2, 0, -2, -2, 4, -127, 126, 0, -4};
    CHECK(q == want);
  }
  SECTION("ties at 0.5*step for a non-unit scale") {
    // amax 254 -> s = 0.5; x = 1 -> 0.5 -> 0, x = 3 -> 1.5 -> 2, x = 5 -> 2.5 -> 2.
    const std::vector<float> x = {254.0f, 1.0f, 3.0f, 5.0f, -1.0f, -3.0f};
    std::vector<int8_t> q(x.size());
    float s = 0;
    ref::QuantizeRowsI8(x.data(), 1, 6, q.data(), &s);
    CHECK(s == 0.5f);
    CHECK(q == std::vector<int8_t>{127, 0, 2, 2, 0, -2});
  }
  SECTION("extremes map to +-127 (never -128), per-row scales") {
    auto x = test::RandomFloats(3 * 200, 5);
    x[17] = -3.0f;        // row 0 amax, negative
    x[200 + 3] = 2.0f;    // row 1 amax
    x[400 + 199] = -0.75f;  // row 2 amax
    for (int i = 400; i < 600; ++i) x[i] = std::max(-0.7f, std::min(0.7f, x[i]));
    x[400 + 199] = -0.75f;
    std::vector<int8_t> q(x.size());
    float s[3];
    ref::QuantizeRowsI8(x.data(), 3, 200, q.data(), s);
    CHECK(s[0] == 127.0f / 3.0f);
    CHECK(s[1] == 127.0f / 2.0f);
    CHECK(s[2] == 127.0f / 0.75f);
    CHECK(q[17] == -127);
    CHECK(q[203] == 127);
    CHECK(q[599] == -127);
    for (int t = 0; t < 3; ++t)
      for (int i = 0; i < 200; ++i) {
        const float v = x[t * 200 + i] * s[t];
        REQUIRE(q[t * 200 + i] == static_cast<int8_t>(std::nearbyint(v)));
        REQUIRE(q[t * 200 + i] >= -127);
      }
  }
  SECTION("amax floor 1e-5 and all-zero rows") {
    std::vector<float> x(2 * 64, 0.0f);
    for (int i = 0; i < 64; ++i) x[i] = (i % 2 ? 1e-7f : -4e-7f);
    std::vector<int8_t> q(x.size(), 99);
    float s[2];
    ref::QuantizeRowsI8(x.data(), 2, 64, q.data(), s);
    CHECK(s[0] == 127.0f / 1e-5f);
    CHECK(s[1] == 127.0f / 1e-5f);
    CHECK(q[1] == 1);   // 1e-7 * 1.27e7 = 1.27
    CHECK(q[0] == -5);  // -4e-7 * 1.27e7 = -5.08
    for (int i = 64; i < 128; ++i) CHECK(q[i] == 0);
  }
}

TEST_CASE("GemmI2S: exact integer dots, row ranges leave other outputs alone", "[refkernels]") {
  std::mt19937 rng(101);
  for (int64_t k : {128, 384, 640}) {
    for (int64_t rows : {1, 3, 7, 13}) {
      for (int64_t m : {1, 3, 7}) {
        INFO("k " << k << " rows " << rows << " m " << m << " (seed 101)");
        const auto w = RandomTernary(static_cast<size_t>(rows * k), rng);
        const auto packed = PackTernary(QuantType::I2_S, w, {0.75f}, rows * k);
        auto q = RandomI8(static_cast<size_t>(m * k), rng);
        q[0] = -128;
        const int64_t ldy = rows + 2;
        std::vector<int32_t> want(static_cast<size_t>(m * rows));
        for (int64_t t = 0; t < m; ++t)
          for (int64_t r = 0; r < rows; ++r) {
            int32_t acc = 0;
            for (int64_t i = 0; i < k; ++i) acc += w[r * k + i] * q[t * k + i];
            want[t * rows + r] = acc;
          }
        const std::vector<std::pair<int64_t, int64_t>> ranges = {
            {0, rows}, {rows / 2, rows}, {0, (rows + 1) / 2}, {rows - 1, rows}};
        for (const auto& [r0, r1] : ranges) {
          std::vector<int32_t> y(static_cast<size_t>(m * ldy), kGuardI);
          ref::GemmI2S(packed.data(), k, r0, r1, q.data(), m, y.data(), ldy);
          for (int64_t t = 0; t < m; ++t)
            for (int64_t c = 0; c < ldy; ++c) {
              const int32_t got = y[t * ldy + c];
              if (c >= r0 && c < r1) {
                REQUIRE(got == want[t * rows + c]);
              } else {
                REQUIRE(got == kGuardI);
              }
            }
        }
      }
    }
  }
}

TEST_CASE("GemmTQ2_0 / GemmTQ1_0: per-block d times integer dots", "[refkernels]") {
  std::mt19937 rng(202);
  for (QuantType type : {QuantType::TQ2_0, QuantType::TQ1_0}) {
    const auto gemm = type == QuantType::TQ2_0 ? ref::GemmTQ2_0 : ref::GemmTQ1_0;
    for (int64_t k : {256, 768}) {
      for (int64_t rows : {1, 3, 7}) {
        for (int64_t m : {1, 3, 7}) {
          INFO(GetQuantTraits(type).name << " k " << k << " rows " << rows << " m " << m << " (seed 202)");
          const int64_t nb = k / 256;
          auto w = RandomTernary(static_cast<size_t>(rows * k), rng);
          std::vector<float> scale(static_cast<size_t>(rows * nb));
          for (auto& s : scale) s = 0.25f + static_cast<float>(rng() % 1000) / 997.0f;
          // One all-zero block: its d is 0.
          for (int i = 0; i < 256; ++i) w[i] = 0;
          const auto packed = PackTernary(type, w, scale, 256);
          const auto q = RandomI8(static_cast<size_t>(m * k), rng);
          const int64_t ldy = rows + 1;
          std::vector<float> y(static_cast<size_t>(m * ldy), kGuardF);
          const int64_t r0 = rows > 1 ? 1 : 0;
          gemm(packed.data(), k, r0, rows, q.data(), m, y.data(), ldy);
          for (int64_t t = 0; t < m; ++t)
            for (int64_t c = 0; c < ldy; ++c) {
              const float got = y[t * ldy + c];
              if (c < r0 || c >= rows) {
                REQUIRE(got == kGuardF);
                continue;
              }
              double want = 0, mag = 0;
              for (int64_t b = 0; b < nb; ++b) {
                const float d = Fp16ToFp32(Fp32ToFp16(c == 0 && b == 0 ? 0.0f : scale[c * nb + b]));
                int32_t acc = 0;
                for (int64_t i = 0; i < 256; ++i) acc += w[c * k + b * 256 + i] * q[t * k + b * 256 + i];
                want += static_cast<double>(d) * acc;
                mag += std::fabs(static_cast<double>(d) * acc);
              }
              REQUIRE(std::fabs(got - want) <= 1e-6 * mag + 1e-6);
            }
        }
      }
    }
  }
}

TEST_CASE("GemmF16 / GemmF32 against double-precision dots", "[refkernels]") {
  std::mt19937 rng(303);
  for (int64_t k : {1, 7, 255, 257, 513}) {
    for (int64_t rows : {1, 5}) {
      for (int64_t m : {1, 3}) {
        INFO("k " << k << " rows " << rows << " m " << m << " (seed 303)");
        const auto wf = test::RandomFloats(static_cast<size_t>(rows * k), static_cast<uint32_t>(rng()));
        const auto x = test::RandomFloats(static_cast<size_t>(m * k), static_cast<uint32_t>(rng()));
        std::vector<uint16_t> wh(wf.size());
        for (size_t i = 0; i < wf.size(); ++i) wh[i] = Fp32ToFp16(wf[i]);
        const int64_t ldy = rows + 3;
        std::vector<float> y16(static_cast<size_t>(m * ldy), kGuardF), y32 = y16;
        const int64_t r0 = rows / 2, r1 = rows;
        ref::GemmF16(wh.data(), k, r0, r1, x.data(), m, y16.data(), ldy);
        ref::GemmF32(wf.data(), k, r0, r1, x.data(), m, y32.data(), ldy);
        for (int64_t t = 0; t < m; ++t)
          for (int64_t c = 0; c < ldy; ++c) {
            if (c < r0 || c >= r1) {
              REQUIRE(y16[t * ldy + c] == kGuardF);
              REQUIRE(y32[t * ldy + c] == kGuardF);
              continue;
            }
            double d16 = 0, d32 = 0, mag = 0;
            for (int64_t i = 0; i < k; ++i) {
              d16 += static_cast<double>(Fp16ToFp32(wh[c * k + i])) * x[t * k + i];
              d32 += static_cast<double>(wf[c * k + i]) * x[t * k + i];
              mag += std::fabs(static_cast<double>(wf[c * k + i]) * x[t * k + i]);
            }
            const double tol = 2e-7 * static_cast<double>(k) * mag + 1e-12;
            REQUIRE(std::fabs(y16[t * ldy + c] - d16) <= tol);
            REQUIRE(std::fabs(y32[t * ldy + c] - d32) <= tol);
          }
      }
    }
  }
}

}  // namespace bitnet
