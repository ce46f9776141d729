// Single-threaded microbenchmarks of every kernel variant compiled in, on the 2B4T projection
// shapes (rows x k: q/o 2560x2560, k/v 640x2560, gate/up 6912x2560, down 2560x6912; the tied
// F16 head 128256x2560) for one token (decode, GEMV) and 128 tokens (prefill, GEMM).
// bytes_per_second counts the weight bytes streamed; MAC/s counts multiply-adds. Variants the CPU
// cannot run are reported with SkipWithError.
//   build-kern/kernels/bench/bench_kernels --benchmark_filter=i2s
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/aligned_vector.h"
#include "kernels/generic/lut_ternary.h"
#include "kernels/kernels.h"
#include "kernels/quant_types.h"

namespace bitnet {
void RegisterBandwidth();  // bench_bandwidth.cc
namespace {

struct Shape {
  const char* name;
  int64_t rows, k;
};
constexpr Shape kProj[] = {{"qo", 2560, 2560}, {"kv", 640, 2560}, {"gate_up", 6912, 2560},
                           {"down", 2560, 6912}};
constexpr Shape kHead = {"head", 128256, 2560};

// 64-byte aligned like the engine's buffers (misaligned activation rows cost the AVX2 GEMM ~1.35x).
template <typename T>
const AlignedVector<T>& Random(size_t n, uint32_t seed) {
  static AlignedVector<T> v;  // one buffer per type, grown as needed (benchmarks run one at a time)
  if (v.size() < n) {
    std::mt19937 rng(seed);
    v.resize(n);
    for (auto& x : v) {
      if constexpr (std::is_floating_point_v<T>) x = std::uniform_real_distribution<T>(-1, 1)(rng);
      else x = static_cast<T>(rng());
    }
  }
  return v;
}

const KernelTable* Usable(benchmark::State& state, const std::string& name) {
  for (const KernelVariantInfo& b : BuiltKernels())
    if (name == b.name && !b.missing.empty()) {
      state.SkipWithError(("CPU/OS lacks " + b.missing).c_str());
      return nullptr;
    }
  return &SelectKernels(name);
}

void Counters(benchmark::State& state, int64_t weight_bytes, int64_t macs, int64_t m) {
  state.SetBytesProcessed(state.iterations() * weight_bytes);
  state.counters["MAC/s"] = benchmark::Counter(static_cast<double>(macs), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tok/s"] = benchmark::Counter(static_cast<double>(m), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_GemmI2S(benchmark::State& state, std::string variant, Shape s) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0);
  const auto& w = Random<uint8_t>(static_cast<size_t>(s.rows * s.k / 4), 1);
  const auto& q = Random<int8_t>(static_cast<size_t>(m * s.k), 2);
  std::vector<int32_t> y(static_cast<size_t>(m * s.rows));
  for (auto _ : state) {
    kt->gemm_i2s(w.data(), s.k, 0, s.rows, q.data(), m, y.data(), s.rows);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  Counters(state, s.rows * s.k / 4, s.rows * s.k * m, m);
}

// The lookup-table kernel on the same random ternary codes repacked to TL16 (packing not timed).
void BM_GemmTL16(benchmark::State& state, std::string variant, Shape s) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0);
  const auto& w = Random<uint8_t>(static_cast<size_t>(s.rows * s.k / 4), 1);
  std::vector<uint8_t> packed(static_cast<size_t>(TL16PackedBytes(s.rows, s.k)));
  PackI2SToTL16(w.data(), s.rows, s.k, packed.data());
  const auto& q = Random<int8_t>(static_cast<size_t>(m * s.k), 2);
  std::vector<int32_t> y(static_cast<size_t>(m * s.rows));
  for (auto _ : state) {
    kt->gemm_tl16(packed.data(), s.k, 0, s.rows, q.data(), m, y.data(), s.rows);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  Counters(state, static_cast<int64_t>(packed.size()), s.rows * s.k * m, m);
}

void BM_GemmTQ(benchmark::State& state, std::string variant, Shape s, bool tq1) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0), bytes = (tq1 ? 54 : 66) * s.rows * (s.k / 256);
  AlignedVector<uint8_t> w = Random<uint8_t>(static_cast<size_t>(bytes), 3);
  for (int64_t b = 0; b < s.rows * (s.k / 256); ++b) {  // sane fp16 scales
    const uint16_t h = Fp32ToFp16(0.01f);
    std::memcpy(w.data() + b * (tq1 ? 54 : 66) + (tq1 ? 52 : 64), &h, 2);
  }
  const auto& q = Random<int8_t>(static_cast<size_t>(m * s.k), 2);
  std::vector<float> y(static_cast<size_t>(m * s.rows));
  auto fn = tq1 ? kt->gemm_tq1_0 : kt->gemm_tq2_0;
  for (auto _ : state) {
    fn(w.data(), s.k, 0, s.rows, q.data(), m, y.data(), s.rows);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  Counters(state, bytes, s.rows * s.k * m, m);
}

void BM_GemmF16(benchmark::State& state, std::string variant, Shape s) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0);
  const auto& w = Random<uint16_t>(static_cast<size_t>(s.rows * s.k), 4);  // random halves
  const auto& x = Random<float>(static_cast<size_t>(m * s.k), 5);
  std::vector<float> y(static_cast<size_t>(m * s.rows));
  for (auto _ : state) {
    kt->gemm_f16(w.data(), s.k, 0, s.rows, x.data(), m, y.data(), s.rows);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  Counters(state, s.rows * s.k * 2, s.rows * s.k * m, m);
}

void BM_Quantize(benchmark::State& state, std::string variant, int64_t k) {
  const KernelTable* kt = Usable(state, variant);
  if (!kt) return;
  const int64_t m = state.range(0);
  const auto& x = Random<float>(static_cast<size_t>(m * k), 6);
  std::vector<int8_t> q(static_cast<size_t>(m * k));
  std::vector<float> s(static_cast<size_t>(m));
  for (auto _ : state) {
    kt->quantize_rows_i8(x.data(), m, k, q.data(), s.data());
    benchmark::DoNotOptimize(q.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * m * k * 4);
}

void RegisterAll() {
  for (const KernelVariantInfo& v : BuiltKernels()) {
    const std::string n = v.name;
    for (const Shape& s : kProj) {
      benchmark::RegisterBenchmark(("i2s/" + n + "/" + s.name).c_str(), BM_GemmI2S, n, s)
          ->Arg(1)->Arg(128)->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("tl16/" + n + "/" + s.name).c_str(), BM_GemmTL16, n, s)
          ->Arg(1)->Arg(128)->Unit(benchmark::kMillisecond);
    }
    for (bool tq1 : {false, true})
      for (const Shape& s : {kProj[0], kProj[3]})  // qo (2560x2560) and down (2560x6912)
        benchmark::RegisterBenchmark(((tq1 ? "tq1_0/" : "tq2_0/") + n + "/" + s.name).c_str(), BM_GemmTQ,
                                     n, s, tq1)
            ->Arg(1)->Arg(128)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("f16/" + n + "/head").c_str(), BM_GemmF16, n, kHead)
        ->Arg(1)->Arg(128)->Unit(benchmark::kMillisecond)->MinTime(0.2);
    benchmark::RegisterBenchmark(("quantize/" + n + "/k6912").c_str(), BM_Quantize, n, int64_t{6912})
        ->Arg(1)->Arg(128)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace bitnet

int main(int argc, char** argv) {
  bitnet::RegisterAll();
  bitnet::RegisterBandwidth();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
