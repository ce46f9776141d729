// Every kernel variant this CPU can run, slot by slot, against the scalar references
// (kernels/generic/reference_kernels.cc): odd row counts, row sub-ranges with r0 > 0, token
// counts around the tile sizes, k from one block to the 2B4T widths, buffers misaligned by 1..3
// bytes or elements, guard values around every output. Integer paths and quantization must be
// bit-exact; float paths agree within the tolerances stated below. Variants compiled in but not
// runnable here are listed with the missing feature.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "kernels/generic/reference_kernels.h"
#include "kernels/kernels.h"
#include "kernels/quant_types.h"

namespace bitnet {
namespace {

// Stated tolerances. F16/F32 GEMM: |y - y_ref| <= kFloatTol * sum_i |w_i x_i| (both sides sum
// k products in float, in different orders). TQ2_0/TQ1_0: per-block integer sums are exact and
// the float accumulation over blocks may differ in order: |y - y_ref| <= kTQTol * sum_b |d_b s_b|;
// with power-of-two scales everything is exact and must match bit for bit.
constexpr double kFloatTol = 1e-5;
constexpr double kTQTol = 1e-6;

constexpr int64_t kRows[] = {1, 2, 3, 5, 17, 31, 33};
constexpr int64_t kTokens[] = {1, 2, 3, 5, 8, 13};
constexpr int64_t kKI2S[] = {128, 256, 384, 2560, 6912};
constexpr int64_t kKTQ[] = {256, 512, 768, 2560, 6912};
constexpr int32_t kGuardI = 0x5eadbeef;
constexpr float kGuardF = -777.25f;

struct Shape {
  int64_t rows, m, k, r0, ldy;
  int mis;  // misalignment of every buffer, in bytes (int8/uint8) or elements (wider types)
  std::string Str() const {
    return "rows=" + std::to_string(rows) + " m=" + std::to_string(m) + " k=" + std::to_string(k) +
           " r0=" + std::to_string(r0) + " ldy=" + std::to_string(ldy) + " mis=" + std::to_string(mis);
  }
};

// All shapes for a list of k: every (rows, m, k); r0 and misalignment vary with the index.
std::vector<Shape> Shapes(const int64_t* ks, size_t nk) {
  std::vector<Shape> out;
  int i = 0;
  for (size_t ki = 0; ki < nk; ++ki)
    for (int64_t rows : kRows)
      for (int64_t m : kTokens) {
        const int64_t r0 = (i % 3 == 0) ? 0 : 1 + i % 5;
        out.push_back({rows, m, ks[ki], r0, r0 + rows + 1 + i % 3, i % 4});
        ++i;
      }
  return out;
}

// A buffer of n values of T starting `mis` bytes past a 64-byte boundary, padded at both ends.
template <typename T>
struct Buf {
  std::vector<unsigned char> raw;
  T* p;
  int64_t n;
  Buf(int64_t count, int mis_bytes) : raw(static_cast<size_t>(count) * sizeof(T) + 128), n(count) {
    auto base = reinterpret_cast<uintptr_t>(raw.data());
    p = reinterpret_cast<T*>(raw.data() + ((64 - base % 64) % 64) + mis_bytes);
  }
};

const std::vector<const KernelTable*>& Variants() {
  static const std::vector<const KernelTable*> v = [] {
    for (const KernelVariantInfo& b : BuiltKernels())
      if (!b.missing.empty())
        std::printf("kernel variant %s: built but skipped here (CPU/OS lacks %s)\n", b.name,
                    b.missing.c_str());
    return UsableKernels();
  }();
  return v;
}

template <typename T>
void FillRandom(T* p, int64_t n, std::mt19937& rng) {
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (sizeof(T) == 1) p[i] = static_cast<T>(rng() & 0xff);
    else p[i] = static_cast<T>(std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng));
  }
}

// Outputs [r0, r0+rows) of m tokens, ldy apart; everything else must still hold the guard.
template <typename T>
void CheckGuards(const T* y, int64_t total, const Shape& s, T guard) {
  for (int64_t i = 0; i < total; ++i) {
    const int64_t t = i / s.ldy, r = i % s.ldy;
    const bool written = t < s.m && r >= s.r0 && r < s.r0 + s.rows;
    if (!written && std::memcmp(&y[i], &guard, sizeof(T)) != 0) {
      FAIL("guard overwritten at element " << i << " (" << s.Str() << ")");
    }
  }
}

using GemmI2SFn = decltype(KernelTable::gemm_i2s);
using GemmTQFn = decltype(KernelTable::gemm_tq2_0);

void CheckI2S(const KernelTable& kt, const Shape& s, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t total_rows = s.r0 + s.rows, row_bytes = s.k / 4;
  Buf<uint8_t> w(total_rows * row_bytes, s.mis);
  Buf<int8_t> q(s.m * s.k, (s.mis + 1) % 4);
  FillRandom(w.p, w.n, rng);  // every 2-bit code, including the unused 3
  FillRandom(q.p, q.n, rng);
  const int64_t ny = s.m * s.ldy + 7;
  Buf<int32_t> y(ny, 4 * s.mis), yr(ny, 0);
  std::fill(y.p, y.p + ny, kGuardI);
  std::fill(yr.p, yr.p + ny, kGuardI);
  kt.gemm_i2s(w.p, s.k, s.r0, s.r0 + s.rows, q.p, s.m, y.p, s.ldy);
  ref::GemmI2S(w.p, s.k, s.r0, s.r0 + s.rows, q.p, s.m, yr.p, s.ldy);
  INFO(kt.name << " gemm_i2s " << s.Str() << " seed=" << seed);
  REQUIRE(std::memcmp(y.p, yr.p, sizeof(int32_t) * ny) == 0);
  CheckGuards(y.p, ny, s, kGuardI);
}

// TQ weights: random code bytes with fp16 scales (powers of two when `exact`).
void CheckTQ(const KernelTable& kt, bool tq1, bool exact, const Shape& s, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t bytes = tq1 ? 54 : 66, scale_at = tq1 ? 52 : 64, nb = s.k / 256;
  const int64_t total_rows = s.r0 + s.rows;
  Buf<uint8_t> w(total_rows * nb * bytes, s.mis);
  Buf<int8_t> q(s.m * s.k, (s.mis + 2) % 4);
  FillRandom(w.p, w.n, rng);
  FillRandom(q.p, q.n, rng);
  for (int64_t b = 0; b < total_rows * nb; ++b) {
    const float d = exact ? std::ldexp(1.0f, static_cast<int>(rng() % 3) - 1)
                          : std::uniform_real_distribution<float>(-0.05f, 0.05f)(rng);
    const uint16_t h = Fp32ToFp16(d);
    std::memcpy(w.p + b * bytes + scale_at, &h, 2);
  }
  const int64_t ny = s.m * s.ldy + 5;
  Buf<float> y(ny, 4 * s.mis), yr(ny, 0);
  std::fill(y.p, y.p + ny, kGuardF);
  std::fill(yr.p, yr.p + ny, kGuardF);
  GemmTQFn fn = tq1 ? kt.gemm_tq1_0 : kt.gemm_tq2_0;
  GemmTQFn rf = tq1 ? ref::GemmTQ1_0 : ref::GemmTQ2_0;
  fn(w.p, s.k, s.r0, s.r0 + s.rows, q.p, s.m, y.p, s.ldy);
  rf(w.p, s.k, s.r0, s.r0 + s.rows, q.p, s.m, yr.p, s.ldy);
  INFO(kt.name << (tq1 ? " gemm_tq1_0 " : " gemm_tq2_0 ") << s.Str() << " seed=" << seed
               << (exact ? " (power-of-two scales)" : ""));
  // Bound: sum over blocks of |d_b| * 256 * 256 >= sum |d_b s_b| (|w| <= 2, |q| <= 128).
  for (int64_t t = 0; t < s.m; ++t)
    for (int64_t r = s.r0; r < s.r0 + s.rows; ++r) {
      const float a = y.p[t * s.ldy + r], b = yr.p[t * s.ldy + r];
      if (exact) {
        REQUIRE(a == b);
      } else {
        double bound = 0;
        for (int64_t blk = 0; blk < nb; ++blk) {
          uint16_t h;
          std::memcpy(&h, w.p + (r * nb + blk) * bytes + scale_at, 2);
          bound += std::fabs(Fp16ToFp32(h)) * 256.0 * 256.0;
        }
        REQUIRE(std::fabs(double(a) - double(b)) <= kTQTol * bound);
      }
    }
  CheckGuards(y.p, ny, s, kGuardF);
}

template <typename W>
void CheckFloatGemm(const KernelTable& kt, const Shape& s, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t total_rows = s.r0 + s.rows;
  Buf<W> w(total_rows * s.k, static_cast<int>(sizeof(W)) * s.mis);
  Buf<float> x(s.m * s.k, 4 * ((s.mis + 1) % 4));
  std::vector<float> wf(static_cast<size_t>(w.n));
  FillRandom(wf.data(), w.n, rng);
  for (int64_t i = 0; i < w.n; ++i) {
    if constexpr (sizeof(W) == 2) {
      w.p[i] = Fp32ToFp16(wf[static_cast<size_t>(i)]);
      wf[static_cast<size_t>(i)] = Fp16ToFp32(w.p[i]);
    } else {
      w.p[i] = wf[static_cast<size_t>(i)];
    }
  }
  FillRandom(x.p, x.n, rng);
  const int64_t ny = s.m * s.ldy + 5;
  Buf<float> y(ny, 4 * s.mis), yr(ny, 0);
  std::fill(y.p, y.p + ny, kGuardF);
  std::fill(yr.p, yr.p + ny, kGuardF);
  if constexpr (sizeof(W) == 2) {
    kt.gemm_f16(w.p, s.k, s.r0, s.r0 + s.rows, x.p, s.m, y.p, s.ldy);
    ref::GemmF16(w.p, s.k, s.r0, s.r0 + s.rows, x.p, s.m, yr.p, s.ldy);
  } else {
    kt.gemm_f32(w.p, s.k, s.r0, s.r0 + s.rows, x.p, s.m, y.p, s.ldy);
    ref::GemmF32(w.p, s.k, s.r0, s.r0 + s.rows, x.p, s.m, yr.p, s.ldy);
  }
  INFO(kt.name << (sizeof(W) == 2 ? " gemm_f16 " : " gemm_f32 ") << s.Str() << " seed=" << seed);
  for (int64_t t = 0; t < s.m; ++t)
    for (int64_t r = s.r0; r < s.r0 + s.rows; ++r) {
      double absdot = 0;
      for (int64_t i = 0; i < s.k; ++i)
        absdot += std::fabs(double(wf[static_cast<size_t>(r * s.k + i)]) * x.p[t * s.k + i]);
      const double diff = std::fabs(double(y.p[t * s.ldy + r]) - double(yr.p[t * s.ldy + r]));
      REQUIRE(diff <= kFloatTol * absdot + 1e-30);
    }
  CheckGuards(y.p, ny, s, kGuardF);
}

void CheckQuantize(const KernelTable& kt, const std::vector<float>& xs, int64_t m, int64_t k,
                   int mis, const std::string& what) {
  Buf<float> x(m * k, 4 * mis);
  std::copy(xs.begin(), xs.end(), x.p);
  Buf<int8_t> q(m * k + 16, mis), qr(m * k + 16, 0);
  std::fill(q.p, q.p + q.n, int8_t{0x5a});
  std::fill(qr.p, qr.p + qr.n, int8_t{0x5a});
  std::vector<float> s(static_cast<size_t>(m) + 1, kGuardF), sr(static_cast<size_t>(m) + 1, kGuardF);
  kt.quantize_rows_i8(x.p, m, k, q.p, s.data());
  ref::QuantizeRowsI8(x.p, m, k, qr.p, sr.data());
  INFO(kt.name << " quantize_rows_i8 " << what << " m=" << m << " k=" << k << " mis=" << mis);
  REQUIRE(std::memcmp(q.p, qr.p, static_cast<size_t>(q.n)) == 0);
  REQUIRE(std::memcmp(s.data(), sr.data(), sizeof(float) * s.size()) == 0);
}

}  // namespace

TEST_CASE("kernel variants: dispatch lists, picks and refuses", "[kernels][variants]") {
  const auto built = BuiltKernels();
  REQUIRE(!built.empty());
  CHECK(std::string(built.back().name) == "generic");
  const auto usable = UsableKernels();
  REQUIRE(!usable.empty());
  CHECK(&SelectKernels("") == usable.front());
  CHECK(std::string(SelectKernels("generic").name) == "generic");
  for (const KernelVariantInfo& b : built) {
    if (b.missing.empty()) {
      CHECK(std::string(SelectKernels(b.name).name) == b.name);
    } else {
      try {
        SelectKernels(b.name);
        FAIL("SelectKernels(" << b.name << ") should throw on this CPU");
      } catch (const UsageError& e) {
        CHECK(std::string(e.what()).find(b.missing) != std::string::npos);
      }
    }
  }
  try {
    SelectKernels("no-such-isa");
    FAIL("unknown variant accepted");
  } catch (const UsageError& e) {
    const std::string msg = e.what();
    for (const KernelVariantInfo& b : built) CHECK(msg.find(b.name) != std::string::npos);
  }
  std::string names;
  for (const KernelTable* t : usable) names += std::string(" ") + t->name;
  WARN("usable kernel variants (best first):" << names);
}

TEST_CASE("kernel variants: quantize_rows_i8 is bit-exact", "[kernels][variants]") {
  for (const KernelTable* kt : Variants()) {
    std::mt19937 rng(7);
    for (int64_t k : {1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 100, 128, 2560, 6912}) {
      for (int64_t m : {1, 2, 3}) {
        std::vector<float> x(static_cast<size_t>(m * k));
        for (auto& v : x) v = std::uniform_real_distribution<float>(-3.0f, 3.0f)(rng);
        CheckQuantize(*kt, x, m, k, static_cast<int>(k % 4), "random");
      }
    }
    // Exact .5 ties: amax 127 makes s exactly 1, so x*s = x and every x.5 is a tie.
    std::vector<float> ties;
    for (int i = 0; i < 2560; ++i) ties.push_back(static_cast<float>(i % 254 - 127) + 0.5f);
    ties[17] = 127.0f;
    CheckQuantize(*kt, ties, 1, 2560, 1, "ties at s=1");
    // Ties at s = 0.5 (amax 254): odd integers land on .5.
    std::vector<float> ties2;
    for (int i = 0; i < 256; ++i) ties2.push_back(static_cast<float>(2 * (i % 127) + 1) * (i % 2 ? -1.0f : 1.0f));
    ties2[3] = 254.0f;
    CheckQuantize(*kt, ties2, 1, 256, 2, "ties at s=0.5");
    // Zero rows (amax floor 1e-5), tiny values, extremes that clamp.
    std::vector<float> z(3 * 64, 0.0f);
    for (int i = 0; i < 64; ++i) z[64 + i] = 1e-7f * static_cast<float>(i - 32);
    for (int i = 0; i < 64; ++i) z[128 + i] = (i % 2 ? -1.0f : 1.0f) * 1e30f;
    CheckQuantize(*kt, z, 3, 64, 3, "zero/tiny/huge rows");
  }
}

TEST_CASE("kernel variants: gemm_i2s is bit-exact", "[kernels][variants]") {
  const auto shapes = Shapes(kKI2S, std::size(kKI2S));
  for (const KernelTable* kt : Variants())
    for (size_t i = 0; i < shapes.size(); ++i) CheckI2S(*kt, shapes[i], static_cast<uint32_t>(100 + i));
}

// The prefill path's per-token-group accumulators across segments and token blocks: many tokens
// (tails of the 4-token groups, more than the 256 tokens of one block), k of one and of two
// segments, row tails of the 3-row tiles, aligned and misaligned activations.
TEST_CASE("kernel variants: gemm_i2s is bit-exact for prefill-sized batches", "[kernels][variants]") {
  const Shape shapes[] = {{7, 64, 2560, 2, 12, 0}, {8, 131, 6912, 1, 9, 1}, {4, 300, 2560, 0, 5, 3},
                          {3, 33, 6912, 0, 3, 0}};
  for (const KernelTable* kt : Variants())
    for (size_t i = 0; i < std::size(shapes); ++i) CheckI2S(*kt, shapes[i], static_cast<uint32_t>(900 + i));
}

TEST_CASE("kernel variants: gemm_i2s worst cases cannot wrap", "[kernels][variants]") {
  const int64_t k = 6912, rows = 5;
  for (const KernelTable* kt : Variants())
    for (int64_t m : {3, 9}) {  // small-m tiles and the many-token (prefill) path
    // Codes 2 (+1) and 3 (decoded as +2, the largest |c|) against all -128 / all 127.
    for (uint8_t code_byte : {uint8_t{0xaa}, uint8_t{0xff}, uint8_t{0x00}}) {
      std::vector<uint8_t> w(static_cast<size_t>(rows * k / 4), code_byte);
      std::vector<int8_t> q(static_cast<size_t>(m * k));
      for (int64_t t = 0; t < m; ++t)
        std::fill_n(q.begin() + t * k, k, t == 1 ? int8_t{127} : int8_t{-128});
      std::vector<int32_t> y(static_cast<size_t>(m * rows), kGuardI);
      kt->gemm_i2s(w.data(), k, 0, rows, q.data(), m, y.data(), rows);
      const int32_t wv = (code_byte & 3) - 1;
      for (int64_t t = 0; t < m; ++t)
        for (int64_t r = 0; r < rows; ++r) {
          INFO(kt->name << " code byte " << int(code_byte) << " token " << t);
          CHECK(y[static_cast<size_t>(t * rows + r)] == wv * (t == 1 ? 127 : -128) * k);
        }
    }
  }
}

TEST_CASE("kernel variants: gemm_tq2_0 / gemm_tq1_0 match the reference", "[kernels][variants]") {
  const auto shapes = Shapes(kKTQ, std::size(kKTQ));
  for (const KernelTable* kt : Variants())
    for (size_t i = 0; i < shapes.size(); ++i)
      for (bool tq1 : {false, true}) {
        CheckTQ(*kt, tq1, true, shapes[i], static_cast<uint32_t>(300 + i));
        if (i % 3 == 0) CheckTQ(*kt, tq1, false, shapes[i], static_cast<uint32_t>(600 + i));
      }
}

TEST_CASE("kernel variants: gemm_tq2_0 / gemm_tq1_0 over many tokens", "[kernels][variants]") {
  // Past the token groups of the SIMD drivers (4-token tiles, 16-token decode groups) and with
  // k past one 16-block segment: {rows, m, k, r0, ldy, mis}.
  const Shape shapes[] = {{5, 17, 512, 1, 9, 1},   {3, 33, 4352, 0, 4, 3},  {17, 128, 768, 2, 21, 2},
                          {1, 16, 256, 0, 1, 0},   {2, 31, 6912, 3, 6, 1},  {7, 64, 2560, 0, 8, 2}};
  for (const KernelTable* kt : Variants())
    for (size_t i = 0; i < std::size(shapes); ++i)
      for (bool tq1 : {false, true}) {
        CheckTQ(*kt, tq1, true, shapes[i], static_cast<uint32_t>(1300 + i));
        CheckTQ(*kt, tq1, false, shapes[i], static_cast<uint32_t>(1600 + i));
      }
}

TEST_CASE("kernel variants: gemm_tq2_0 / gemm_tq1_0 worst cases are exact", "[kernels][variants]") {
  // Largest |w| (TQ2_0 code 3 reads as +2; TQ1_0 trit 2 is +1) against all -128 / all 127, k =
  // 6912, scale 1: every block sum is +-65536 (TQ2_0) and y is exact in float.
  const int64_t k = 6912, nb = k / 256, rows = 3;
  for (const KernelTable* kt : Variants())
    for (bool tq1 : {false, true})
      for (int64_t m : {1, 6}) {
        const int64_t bytes = tq1 ? 54 : 66, scale_at = tq1 ? 52 : 64;
        // TQ1_0 byte 0xff holds trits 2,2,2,2,2 (ceil(242 * 256 / 243) = 255).
        std::vector<uint8_t> w(static_cast<size_t>(rows * nb * bytes), 0xff);
        const uint16_t one = Fp32ToFp16(1.0f);
        for (int64_t b = 0; b < rows * nb; ++b) std::memcpy(&w[size_t(b * bytes + scale_at)], &one, 2);
        std::vector<int8_t> q(static_cast<size_t>(m * k));
        for (int64_t t = 0; t < m; ++t) std::fill_n(q.begin() + t * k, k, t % 2 ? int8_t{127} : int8_t{-128});
        std::vector<float> y(static_cast<size_t>(m * rows), kGuardF), yr(y);
        (tq1 ? kt->gemm_tq1_0 : kt->gemm_tq2_0)(w.data(), k, 0, rows, q.data(), m, y.data(), rows);
        (tq1 ? ref::GemmTQ1_0 : ref::GemmTQ2_0)(w.data(), k, 0, rows, q.data(), m, yr.data(), rows);
        const float wv = tq1 ? 1.0f : 2.0f;
        for (int64_t t = 0; t < m; ++t)
          for (int64_t r = 0; r < rows; ++r) {
            INFO(kt->name << (tq1 ? " tq1_0" : " tq2_0") << " m=" << m << " token " << t);
            CHECK(yr[size_t(t * rows + r)] == wv * (t % 2 ? 127.0f : -128.0f) * k);
            CHECK(y[size_t(t * rows + r)] == yr[size_t(t * rows + r)]);
          }
      }
}

TEST_CASE("kernel variants: gemm_f16 / gemm_f32 within tolerance", "[kernels][variants]") {
  static constexpr int64_t kKF[] = {1, 7, 8, 33, 128, 520, 2560};
  const auto shapes = Shapes(kKF, std::size(kKF));
  for (const KernelTable* kt : Variants())
    for (size_t i = 0; i < shapes.size(); ++i) {
      CheckFloatGemm<uint16_t>(*kt, shapes[i], static_cast<uint32_t>(900 + i));
      CheckFloatGemm<float>(*kt, shapes[i], static_cast<uint32_t>(1900 + i));
    }
}

}  // namespace bitnet

namespace bitnet {

TEST_CASE("kernel variants: dot_f32 / axpy_f32 within tolerance", "[kernels][variants]") {
  std::mt19937 rng(11);
  for (const KernelTable* kt : Variants())
    for (int64_t n : {0, 1, 3, 7, 8, 9, 31, 32, 33, 128, 1000}) {
      for (int mis = 0; mis < 4; ++mis) {
        std::vector<float> a(static_cast<size_t>(n + 4)), b(a.size()), y(a.size() + 2), yr;
        FillRandom(a.data(), static_cast<int64_t>(a.size()), rng);
        FillRandom(b.data(), static_cast<int64_t>(b.size()), rng);
        FillRandom(y.data(), static_cast<int64_t>(y.size()), rng);
        yr = y;
        INFO(kt->name << " n=" << n << " mis=" << mis);
        double absdot = 0;
        for (int64_t i = 0; i < n; ++i) absdot += std::fabs(double(a[size_t(mis + i)]) * b[size_t(i)]);
        const float d = kt->dot_f32(a.data() + mis, b.data(), n);
        const float dr = ref::DotF32(a.data() + mis, b.data(), n);
        REQUIRE(std::fabs(double(d) - double(dr)) <= kFloatTol * absdot);
        kt->axpy_f32(0.37f, a.data(), y.data() + mis, n);
        ref::AxpyF32(0.37f, a.data(), yr.data() + mis, n);
        // The reference may be compiled with FMA contraction (aarch64 GCC does): one rounding apart.
        for (size_t i = 0; i < y.size(); ++i) {
          const size_t xi = i - static_cast<size_t>(mis);  // y[mis + j] += 0.37 * a[j]
          const double ax = (i >= static_cast<size_t>(mis) && xi < static_cast<size_t>(n)) ? 0.37 * a[xi] : 0.0;
          const double tol = 1e-6 * (std::fabs(double(yr[i])) + std::fabs(ax));
          REQUIRE(std::fabs(double(y[i]) - double(yr[i])) <= tol);
        }
      }
    }
}

// The attention value sum: within float rounding of the reference for every variant, and on x86
// bit-identical to zeroing y and calling the same variant's axpy_f32 row by row (what the forward
// pass did before the slot existed; its logits must not change). Rows ldx apart, misaligned, d
// around the 8-float vector and the 64-float register block, guards after y.
TEST_CASE("kernel variants: weighted_sum_f32 is the axpy sequence", "[kernels][variants]") {
  std::mt19937 rng(12);
  for (const KernelTable* kt : Variants())
    for (int64_t d : {1, 7, 8, 9, 64, 72, 128, 131})
      for (int64_t n : {0, 1, 2, 5, 70}) {
        const int mis = static_cast<int>((d + n) % 4);
        const int64_t ldx = d + 3 + mis;
        std::vector<float> p(static_cast<size_t>(n + 1)), x(static_cast<size_t>(n * ldx + mis + 1));
        FillRandom(p.data(), n, rng);
        FillRandom(x.data(), static_cast<int64_t>(x.size()), rng);
        std::vector<float> y(static_cast<size_t>(d + mis + 3), kGuardF), seq(y.size(), kGuardF), yr(y.size(), kGuardF);
        kt->weighted_sum_f32(p.data(), n, x.data() + mis, ldx, y.data() + mis, d);
        ref::WeightedSumF32(p.data(), n, x.data() + mis, ldx, yr.data() + mis, d);
        std::fill(seq.begin() + mis, seq.begin() + mis + d, 0.0f);
        for (int64_t j = 0; j < n; ++j) kt->axpy_f32(p[size_t(j)], x.data() + mis + j * ldx, seq.data() + mis, d);
        INFO(kt->name << " d=" << d << " n=" << n << " mis=" << mis);
        for (size_t i = 0; i < y.size(); ++i) {
          const bool inside = i >= size_t(mis) && i < size_t(mis + d);
          if (!inside) {
            REQUIRE(y[i] == kGuardF);
            continue;
          }
          double mag = 0;
          for (int64_t j = 0; j < n; ++j) mag += std::fabs(double(p[size_t(j)]) * x[size_t(mis + j * ldx) + i - mis]);
          REQUIRE(std::fabs(double(y[i]) - double(yr[i])) <= 1e-6 * mag + 1e-30);
#if defined(__x86_64__)
          REQUIRE(std::memcmp(&y[i], &seq[i], sizeof(float)) == 0);
#endif
        }
      }
}

}  // namespace bitnet
