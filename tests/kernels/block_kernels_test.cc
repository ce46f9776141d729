// The non-ternary weight formats of real downloads (BF16, Q8_0, Q4_0, Q4_K, Q6_K, Q1_0_g128):
// layouts against hand-built blocks, packer round trips, the reference matmuls against a double
// computation on the dequantized weights, and every kernel variant this CPU can run against the
// references (odd row ranges, token counts, misaligned buffers, guard values around outputs).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/generic/block_kernels.h"
#include "kernels/kernels.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

constexpr QuantType kBlockTypes[] = {QuantType::Q8_0, QuantType::Q4_0, QuantType::Q4_K, QuantType::Q6_K,
                                     QuantType::Q1_0_g128};
constexpr float kGuard = -777.25f;

KernelTable::GemmBlockFn Slot(const KernelTable& t, QuantType type) {
  switch (type) {
    case QuantType::Q8_0: return t.gemm_q8_0;
    case QuantType::Q4_0: return t.gemm_q4_0;
    case QuantType::Q4_K: return t.gemm_q4_k;
    case QuantType::Q6_K: return t.gemm_q6_k;
    default: return t.gemm_q1_0_g128;
  }
}

std::vector<uint8_t> Pack(QuantType t, const std::vector<float>& x) {
  std::vector<uint8_t> out(*TensorBytes(t, x.size()));
  GetQuantTraits(t).from_float_ref(x.data(), out.data(), static_cast<int64_t>(x.size()));
  return out;
}

std::vector<float> Unpack(QuantType t, const std::vector<uint8_t>& b, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  GetQuantTraits(t).to_float(b.data(), out.data(), n);
  return out;
}

void StoreHalf(uint8_t* p, float v) {
  const uint16_t h = Fp32ToFp16(v);
  std::memcpy(p, &h, 2);
}

// Bytes starting `mis` bytes past a 64-byte boundary (a copy of src).
struct Misaligned {
  std::vector<uint8_t> raw;
  uint8_t* p;
  Misaligned(const void* src, size_t n, int mis) : raw(n + 128) {
    const auto base = reinterpret_cast<uintptr_t>(raw.data());
    p = raw.data() + (64 - base % 64) % 64 + mis;
    std::memcpy(p, src, n);
  }
};

// One variant's block GEMM (and its q8_32 quantizer) against the references on random packed
// weights: rows [r0, r0 + rows) of ldy, m tokens, buffers misaligned by `mis` bytes, guard values
// around the outputs; |y - y_ref| <= 1e-5 * sum |w q d| (the integer sums are exact, the float
// accumulation order differs).
void CheckBlockGemm(const KernelTable* kt, QuantType type, int64_t k, int64_t rows, int64_t m, int64_t r0,
                    int64_t ldy, int mis, uint32_t i) {
  const auto w = test::RandomFloats(static_cast<size_t>(k * (r0 + rows)), static_cast<uint32_t>(i));
  const auto x = test::RandomFloats(static_cast<size_t>(k * m), static_cast<uint32_t>(i + 1000));
  const auto packed = Pack(type, w);
  std::vector<int8_t> q_ref(static_cast<size_t>(k * m));
  std::vector<float> d_ref(static_cast<size_t>(k * m / 32));
  ref::QuantizeRowsQ8_32(x.data(), m, k, q_ref.data(), d_ref.data());
  std::vector<int8_t> q(q_ref.size());
  std::vector<float> d(d_ref.size());
  kt->quantize_rows_q8_32(x.data(), m, k, q.data(), d.data());
  REQUIRE(q == q_ref);
  REQUIRE(std::memcmp(d.data(), d_ref.data(), d.size() * sizeof(float)) == 0);

  Misaligned wb(packed.data(), packed.size(), mis), qb(q.data(), q.size(), mis);
  Misaligned db(d.data(), d.size() * sizeof(float), 4 * (mis % 2));
  std::vector<float> y(static_cast<size_t>(m * ldy), kGuard), y_ref(y.size(), kGuard);
  Slot(*kt, type)(wb.p, k, r0, r0 + rows, reinterpret_cast<const int8_t*>(qb.p),
                  reinterpret_cast<const float*>(db.p), m, y.data(), ldy);
  Slot(GenericKernels(), type)(packed.data(), k, r0, r0 + rows, q_ref.data(), d_ref.data(), m,
                               y_ref.data(), ldy);
  const auto wd = Unpack(type, packed, static_cast<int64_t>(w.size()));
  for (int64_t t = 0; t < m; ++t)
    for (int64_t c = 0; c < ldy; ++c) {
      const float got = y[t * ldy + c], want = y_ref[t * ldy + c];
      if (c < r0 || c >= r0 + rows) {
        CHECK(got == kGuard);
        continue;
      }
      double mag = 0;
      for (int64_t j = 0; j < k; ++j)
        mag += std::fabs(wd[c * k + j] * q_ref[t * k + j] * d_ref[t * k / 32 + j / 32]);
      CHECK(std::fabs(got - want) <= 1e-5 * mag + 1e-30);
    }
}

}  // namespace

TEST_CASE("block layouts decode hand-built blocks", "[blocks]") {
  SECTION("Q4_0: low nibbles are values 0..15, high nibbles 16..31, minus 8") {
    std::vector<uint8_t> b(18, 0);
    StoreHalf(b.data(), 0.5f);
    for (int j = 0; j < 16; ++j) b[2 + j] = static_cast<uint8_t>(j | ((15 - j) << 4));
    const auto x = Unpack(QuantType::Q4_0, b, 32);
    CHECK(x[0] == -4.0f);    // (0 - 8) * 0.5
    CHECK(x[15] == 3.5f);    // (15 - 8) * 0.5
    CHECK(x[16] == 3.5f);    // high nibble of byte 0 = 15
    CHECK(x[31] == -4.0f);
  }
  SECTION("Q1_0_g128: d first, bit i%8 of byte i/8, 1 -> +d, 0 -> -d") {
    std::vector<uint8_t> b(18, 0);
    StoreHalf(b.data(), 0.25f);
    b[2] = 0x01;   // value 0
    b[3] = 0x80;   // value 15
    b[17] = 0x80;  // value 127
    const auto x = Unpack(QuantType::Q1_0_g128, b, 128);
    CHECK(x[0] == 0.25f);
    CHECK(x[1] == -0.25f);
    CHECK(x[15] == 0.25f);
    CHECK(x[126] == -0.25f);
    CHECK(x[127] == 0.25f);
  }
  SECTION("Q4_K: sub-block scales/mins of 6 bits, sub-block 1 in the high nibbles of qs[0..31]") {
    std::vector<uint8_t> b(144, 0);
    StoreHalf(b.data(), 1.0f);   // d
    StoreHalf(b.data() + 2, 0.5f);  // dmin
    b[4 + 0] = 2;   // scale of sub-block 0
    b[4 + 4] = 3;   // min of sub-block 0
    b[4 + 1] = 5;   // scale of sub-block 1
    b[4 + 5] = 1;   // min of sub-block 1
    b[4 + 8] = 0x21;             // sub-block 4: scale low 4 bits 1, min low 4 bits 2
    b[4 + 0] |= 1 << 6;          //   scale high bits 1 -> 17
    b[4 + 4] |= 2 << 6;          //   min high bits 2 -> 34
    b[16] = 0x73;                // value 0 = 3, value 32 = 7
    b[16 + 64] = 0x09;           // value 128 (sub-block 4, chunk 2 low nibble) = 9
    const auto x = Unpack(QuantType::Q4_K, b, 256);
    CHECK(x[0] == 2.0f * 3 - 0.5f * 3);
    CHECK(x[32] == 5.0f * 7 - 0.5f * 1);
    CHECK(x[128] == 17.0f * 9 - 0.5f * 34);
  }
  SECTION("Q6_K: 4 low bits in ql, 2 high bits in qh, minus 32, int8 scale per 16 values") {
    std::vector<uint8_t> b(210, 0);
    StoreHalf(b.data() + 208, 0.5f);
    auto* sc = reinterpret_cast<int8_t*>(b.data() + 192);
    for (int i = 0; i < 16; ++i) sc[i] = static_cast<int8_t>(i + 1);
    b[0] = 0x5a;           // value 0 low 10, value 64 low 5
    b[128] = 0x02 | 0x30;  // value 0 high 2 (-> 42), value 64 high 3 (-> 53)
    const auto x = Unpack(QuantType::Q6_K, b, 256);
    CHECK(x[0] == 0.5f * 1 * (42 - 32));
    CHECK(x[64] == 0.5f * 5 * (53 - 32));  // scale index 4 for values 64..79
    CHECK(x[1] == 0.5f * 1 * (0 - 32));
  }
}

TEST_CASE("block packers round-trip within each format's precision", "[blocks]") {
  const auto x = test::RandomFloats(256 * 12, 11);
  // Max error relative to the block's absmax: 8-bit, 4-bit (+ scale rounding), 6-bit.
  const std::pair<QuantType, double> bounds[] = {
      {QuantType::Q8_0, 0.5 / 127 + 1e-3}, {QuantType::Q4_0, 1.0 / 8 + 1e-2},  // d = max/-8: -max clips to 7d
      {QuantType::Q4_K, 2.0 / 15 + 2e-2}, {QuantType::Q6_K, 0.5 / 31 + 2e-2}};
  for (auto [type, bound] : bounds) {
    INFO(GetQuantTraits(type).name);
    const auto y = Unpack(type, Pack(type, x), static_cast<int64_t>(x.size()));
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(x[i]) - y[i]));
    CHECK(worst <= bound * 1.0);  // RandomFloats are in [-1, 1)
    CHECK(worst > 0.0);
  }
  // Q1_0_g128: sign of x times the block's mean |x| (fp16).
  const auto y = Unpack(QuantType::Q1_0_g128, Pack(QuantType::Q1_0_g128, x), static_cast<int64_t>(x.size()));
  for (size_t b = 0; b < x.size() / 128; ++b) {
    double mean = 0;
    for (size_t i = 0; i < 128; ++i) mean += std::fabs(x[b * 128 + i]);
    mean /= 128;
    for (size_t i = 0; i < 128; ++i) {
      const float v = y[b * 128 + i];
      CHECK(std::fabs(std::fabs(v) - mean) <= 1e-3 * mean);
      CHECK((v > 0) == (x[b * 128 + i] >= 0));
    }
  }
}

TEST_CASE("reference block matmuls equal the double product of dequantized weights and activations", "[blocks]") {
  const int64_t k = 512, rows = 7, m = 3;
  const auto w = test::RandomFloats(static_cast<size_t>(k * rows), 5);
  const auto x = test::RandomFloats(static_cast<size_t>(k * m), 6);
  std::vector<int8_t> q(static_cast<size_t>(k * m));
  std::vector<float> qd(static_cast<size_t>(k * m / 32));
  ref::QuantizeRowsQ8_32(x.data(), m, k, q.data(), qd.data());
  for (QuantType type : kBlockTypes) {
    INFO(GetQuantTraits(type).name);
    const auto packed = Pack(type, w);
    const auto wd = Unpack(type, packed, k * rows);
    std::vector<float> y(static_cast<size_t>(m * rows));
    Slot(GenericKernels(), type)(packed.data(), k, 0, rows, q.data(), qd.data(), m, y.data(), rows);
    for (int64_t t = 0; t < m; ++t)
      for (int64_t r = 0; r < rows; ++r) {
        double want = 0, mag = 0;
        for (int64_t i = 0; i < k; ++i) {
          const double a = static_cast<double>(q[t * k + i]) * qd[t * k / 32 + i / 32];
          want += wd[r * k + i] * a;
          mag += std::fabs(wd[r * k + i] * a);
        }
        CHECK(std::fabs(y[t * rows + r] - want) <= 1e-5 * mag);
      }
  }
}

TEST_CASE("q8_32 activation quantization: llama.cpp's Q8_0 rule per block of 32", "[blocks]") {
  std::vector<float> x(64, 0.0f);
  x[0] = 2.54f;
  x[1] = -1.27f;
  x[2] = 0.01f;  // 0.01 / 0.02 = 0.5 -> rounds away from zero to 1
  std::vector<int8_t> q(64);
  std::vector<float> d(2);
  ref::QuantizeRowsQ8_32(x.data(), 1, 64, q.data(), d.data());
  CHECK(d[0] == 2.54f / 127.0f);
  CHECK(q[0] == 127);
  CHECK(q[1] == -64);  // -63.5 rounds away from zero
  CHECK(d[1] == 0.0f);  // an all-zero block
  CHECK(q[40] == 0);
}

TEST_CASE("every kernel variant matches the block references", "[blocks][variants]") {
  const int64_t row_counts[] = {1, 3, 17, 33};
  const int64_t token_counts[] = {1, 2, 5, 8};
  for (const KernelTable* kt : UsableKernels()) {
    for (QuantType type : kBlockTypes) {
      const int64_t block = GetQuantTraits(type).block_size;
      for (int64_t k : {block, 2 * block, 5 * block, 2560 / block * block + block}) {
        int i = 0;
        for (int64_t rows : row_counts)
          for (int64_t m : token_counts) {
            const int64_t r0 = i % 3 == 0 ? 0 : 1 + i % 4, ldy = r0 + rows + 1 + i % 2;
            const int mis = i % 4;
            ++i;
            DYNAMIC_SECTION(kt->name << " " << GetQuantTraits(type).name << " k=" << k << " rows=" << rows
                                     << " m=" << m << " r0=" << r0 << " mis=" << mis) {
              CheckBlockGemm(kt, type, k, rows, m, r0, ldy, mis, static_cast<uint32_t>(i));
            }
          }
      }
    }
    // BF16 against its reference: same tolerance as F16.
    for (int64_t k : {1, 7, 32, 100, 257, 2560}) {
      DYNAMIC_SECTION(kt->name << " BF16 k=" << k) {
        const int64_t rows = 5, m = 3, r0 = 2, ldy = 8;
        const auto wf = test::RandomFloats(static_cast<size_t>(k * (r0 + rows)), 77);
        const auto x = test::RandomFloats(static_cast<size_t>(k * m), 78);
        std::vector<uint16_t> w(wf.size());
        for (size_t j = 0; j < w.size(); ++j) w[j] = Fp32ToBf16(wf[j]);
        std::vector<float> y(static_cast<size_t>(m * ldy), kGuard), y_ref(y.size(), kGuard);
        kt->gemm_bf16(w.data(), k, r0, r0 + rows, x.data(), m, y.data(), ldy);
        ref::GemmBF16(w.data(), k, r0, r0 + rows, x.data(), m, y_ref.data(), ldy);
        for (int64_t t = 0; t < m; ++t)
          for (int64_t c = 0; c < ldy; ++c) {
            if (c < r0 || c >= r0 + rows) {
              CHECK(y[t * ldy + c] == kGuard);
              continue;
            }
            double mag = 0;
            for (int64_t j = 0; j < k; ++j) mag += std::fabs(Bf16ToFp32(w[c * k + j]) * x[t * k + j]);
            CHECK(std::fabs(y[t * ldy + c] - y_ref[t * ldy + c]) <= 1e-5 * mag);
          }
      }
    }
  }
}

}  // namespace bitnet

namespace bitnet {

// The prefill paths (decoded panels, register tiles of several rows x tokens) switch on at a
// token count and cut rows, tokens and k into tiles: every batch size 1..9, some past the tiles
// (17, 33), odd row counts and ranges, k past one panel segment (2048 weights).
TEST_CASE("block kernels: batch sizes 1..9 and more; odd shapes", "[blocks][variants]") {
  const int64_t token_counts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 33};
  for (const KernelTable* kt : UsableKernels()) {
    for (QuantType type : kBlockTypes) {
      const int64_t block = GetQuantTraits(type).block_size;
      const int64_t ks[] = {3 * block, 4096 / block * block + block};  // k=4352 for 256-blocks: 2 segments + 1
      uint32_t i = 0;
      for (int64_t k : ks)
        for (int64_t m : token_counts) {
          const int64_t rows = 1 + (i * 3) % 8;  // 1, 4, 7, 2, 5, 8, 3, 6
          const int64_t r0 = i % 3, ldy = r0 + rows + i % 2;
          const int mis = static_cast<int>(i % 4);
          ++i;
          DYNAMIC_SECTION(kt->name << " " << GetQuantTraits(type).name << " k=" << k << " rows=" << rows << " m="
                                   << m << " r0=" << r0 << " mis=" << mis) {
            CheckBlockGemm(kt, type, k, rows, m, r0, ldy, mis, 5000 + i);
          }
        }
    }
    for (int64_t k : {1, 7, 31, 100, 2600})
      for (int64_t m : token_counts) {
        const int64_t rows = 1 + (k + m) % 7, r0 = m % 3, ldy = r0 + rows + 1;
        DYNAMIC_SECTION(kt->name << " BF16 k=" << k << " rows=" << rows << " m=" << m << " r0=" << r0) {
          const auto wf = test::RandomFloats(static_cast<size_t>(k * (r0 + rows)), static_cast<uint32_t>(k + m));
          const auto xs = test::RandomFloats(static_cast<size_t>(k * m + 1), static_cast<uint32_t>(k * m));
          std::vector<uint16_t> w(wf.size() + 1);
          for (size_t j = 0; j < wf.size(); ++j) w[j + 1] = Fp32ToBf16(wf[j]);  // misaligned by one element
          const float* x = xs.data() + 1;
          std::vector<float> y(static_cast<size_t>(m * ldy), kGuard), y_ref(y.size(), kGuard);
          kt->gemm_bf16(w.data() + 1, k, r0, r0 + rows, x, m, y.data(), ldy);
          ref::GemmBF16(w.data() + 1, k, r0, r0 + rows, x, m, y_ref.data(), ldy);
          for (int64_t t = 0; t < m; ++t)
            for (int64_t c = 0; c < ldy; ++c) {
              if (c < r0 || c >= r0 + rows) {
                CHECK(y[t * ldy + c] == kGuard);
                continue;
              }
              double mag = 0;
              for (int64_t j = 0; j < k; ++j) mag += std::fabs(Bf16ToFp32(w[1 + c * k + j]) * x[t * k + j]);
              CHECK(std::fabs(y[t * ldy + c] - y_ref[t * ldy + c]) <= 1e-5 * mag);
            }
        }
      }
  }
}

}  // namespace bitnet
