// Memory read bandwidth: 1 or 2 threads each summing its share of a 1 GiB buffer (far larger than
// any cache). The decode bound of a model is (weight bytes per token) / (this bandwidth).
//   build-kern/kernels/bench/bench_kernels --benchmark_filter=read_bandwidth
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace bitnet {
namespace {

constexpr size_t kBytes = size_t{1} << 30;

const uint64_t* Buffer() {
  static const uint64_t* buf = [] {
    auto* p = static_cast<uint64_t*>(std::aligned_alloc(4096, kBytes));
    std::memset(p, 1, kBytes);  // touch every page so reads hit memory, not the zero page
    return p;
  }();
  return buf;
}

uint64_t SumRange(const uint64_t* p, size_t n) {
  uint64_t a[8] = {};
  for (size_t i = 0; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) a[j] += p[i + j];
  return a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
}

// Each iteration streams the whole buffer once with n threads (the caller and n-1 std::threads
// started per iteration, ~0.1 ms against ~50 ms of reading), each summing one contiguous share.
void BM_ReadBandwidth(benchmark::State& state) {
  const uint64_t* buf = Buffer();
  const auto n = static_cast<size_t>(state.range(0));
  const size_t share = kBytes / 8 / n;
  std::vector<uint64_t> sums(n);
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (size_t i = 1; i < n; ++i)
      pool.emplace_back([&, i] { sums[i] = SumRange(buf + i * share, share); });
    sums[0] = SumRange(buf, share);
    for (auto& t : pool) t.join();
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kBytes));
}

}  // namespace

void RegisterBandwidth() {
  benchmark::RegisterBenchmark("read_bandwidth/1GiB/threads", BM_ReadBandwidth)
      ->Arg(1)->Arg(2)->UseRealTime()->MinTime(1.0)->Unit(benchmark::kMillisecond);
}

}  // namespace bitnet
