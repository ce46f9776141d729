// Single-threaded microbenchmarks of the non-ternary formats (BF16, Q8_0, Q4_0, Q4_K, Q6_K,
// Q1_0_g128) for every kernel variant compiled in, on LLaMA 3.2 1B's gate/up projection
// (`gate`: 8192 x 2048, m = 1 and a 32-token prefill) and on a 2B-class shape (`gate2b`: the 2B4T
// gate/up projection, 6912 x 2560, m = 1 and 128); plus the q8_32 activation quantizer.
// Weights are packed from random floats by the reference packers (valid scales).
//   build/kernels/bench/bench_kernels --benchmark_filter='^blocks/'
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/quant_types.h"

namespace bitnet {
namespace {

struct BlockShape {
  const char* name;
  int64_t rows, k;
  int64_t prefill;  // token count of the prefill benchmark
};
constexpr BlockShape kGate1B = {"gate", 8192, 2048, 32}, kGate2B = {"gate2b", 6912, 2560, 128};

std::vector<float> RandomFloats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = std::uniform_real_distribution<float>(-1, 1)(rng);
  return v;
}

const std::vector<uint8_t>& Packed(QuantType t, const BlockShape& s) {
  static std::vector<std::vector<uint8_t>> cache(2 * kQuantTypeIdLimit);
  auto& out = cache[2 * static_cast<uint32_t>(t) + (s.rows == kGate2B.rows ? 1 : 0)];
  if (out.empty()) {
    const auto w = RandomFloats(static_cast<size_t>(s.rows * s.k), 1);
    out.resize(*TensorBytes(t, w.size()));
    GetQuantTraits(t).from_float_ref(w.data(), out.data(), static_cast<int64_t>(w.size()));
  }
  return out;
}

const KernelTable* Usable(benchmark::State& state, const std::string& name) {
  for (const KernelVariantInfo& b : BuiltKernels())
    if (name == b.name && !b.missing.empty()) {
      state.SkipWithError(("CPU/OS lacks " + b.missing).c_str());
      return nullptr;
    }
  return &SelectKernels(name);
}

KernelTable::GemmBlockFn Slot(const KernelTable& t, QuantType type) {
  switch (type) {
    case QuantType::Q8_0: return t.gemm_q8_0;
    case QuantType::Q4_0: return t.gemm_q4_0;
    case QuantType::Q4_K: return t.gemm_q4_k;
    case QuantType::Q6_K: return t.gemm_q6_k;
    default: return t.gemm_q1_0_g128;
  }
}

void BM_Gemm(benchmark::State& state, std::string variant, QuantType type, BlockShape shape) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0), rows = shape.rows, k = shape.k;
  const auto& w = Packed(type, shape);
  const auto x = RandomFloats(static_cast<size_t>(m * k), 2);
  std::vector<int8_t> q(static_cast<size_t>(m * k));
  std::vector<float> d(static_cast<size_t>(m * k / 32)), y(static_cast<size_t>(m * rows));
  kt->quantize_rows_q8_32(x.data(), m, k, q.data(), d.data());
  for (auto _ : state) {
    if (type == QuantType::BF16) {
      kt->gemm_bf16(reinterpret_cast<const uint16_t*>(w.data()), k, 0, rows, x.data(), m, y.data(), rows);
    } else {
      Slot(*kt, type)(w.data(), k, 0, rows, q.data(), d.data(), m, y.data(), rows);
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(w.size()));
  state.counters["MAC/s"] =
      benchmark::Counter(static_cast<double>(rows * k * m), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_QuantizeQ8_32(benchmark::State& state, std::string variant) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0), k = 8192;
  const auto x = RandomFloats(static_cast<size_t>(m * k), 3);
  std::vector<int8_t> q(static_cast<size_t>(m * k));
  std::vector<float> d(static_cast<size_t>(m * k / 32));
  for (auto _ : state) {
    kt->quantize_rows_q8_32(x.data(), m, k, q.data(), d.data());
    benchmark::DoNotOptimize(q.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * m * k * 4);
}

// Registered at static initialization, beside bench_ternary.cc's benchmarks.
const bool kRegistered = [] {
  for (const KernelVariantInfo& v : BuiltKernels()) {
    const std::string n = v.name;
    for (QuantType t : {QuantType::BF16, QuantType::Q8_0, QuantType::Q4_0, QuantType::Q4_K, QuantType::Q6_K,
                        QuantType::Q1_0_g128}) {
      std::string tn(GetQuantTraits(t).name);
      for (const BlockShape& s : {kGate1B, kGate2B})
        benchmark::RegisterBenchmark(("blocks/" + tn + "/" + n + "/" + s.name).c_str(), BM_Gemm, n, t, s)
            ->Arg(1)->Arg(s.prefill)->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark(("blocks/quantize_q8_32/" + n + "/k8192").c_str(), BM_QuantizeQ8_32, n)
        ->Arg(1)->Arg(32)->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
}  // namespace bitnet
