#include "engine/runtime/thread_pool.h"

#include <algorithm>

namespace bitnet {
namespace {
// Workers spin this many pauses (a few ms) for the next job before sleeping: the parallel regions of
// one forward pass follow each other within microseconds, and a futex wake-up per region would cost
// more than the region on small shapes. Between requests they sleep.
constexpr int kSpinIterations = 100000;
// The caller waiting for the workers spins this long before it starts yielding its core (only a
// descheduled worker makes it wait that long; yielding earlier hands the core to other processes).
constexpr int kCallerSpinsBeforeYield = 50000;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}
}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(std::max(1, n_threads)) {
  for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::Run(const std::function<void(int, int)>& fn) {
  if (n_threads_ == 1) {
    fn(0, 1);
    return;
  }
  job_ = &fn;
  pending_.store(n_threads_ - 1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  fn(0, n_threads_);
  for (int spins = 0; pending_.load(std::memory_order_acquire) != 0; ++spins) {
    CpuRelax();
    if (spins >= kCallerSpinsBeforeYield) std::this_thread::yield();
  }
  job_ = nullptr;
}

void ThreadPool::WorkerLoop(int ith) {
  uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
      CpuRelax();
      ++spins;
    }
    if (generation_.load(std::memory_order_acquire) == seen) {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load()) return;
    (*job_)(ith, n_threads_);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::ParallelFor(int64_t n, int64_t grain,
                             const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(1, grain);
  const int64_t units = (n + grain - 1) / grain;
  const int nth = static_cast<int>(std::min<int64_t>(n_threads_, units));
  if (nth <= 1) {
    fn(0, n);
    return;
  }
  Run([&](int ith, int total) {
    if (ith >= nth) return;
    const int64_t per = units / nth, extra = units % nth;
    const int64_t u0 = ith * per + std::min<int64_t>(ith, extra);
    const int64_t u1 = u0 + per + (ith < extra ? 1 : 0);
    const int64_t b = std::min(n, u0 * grain), e = std::min(n, u1 * grain);
    if (b < e) fn(b, e);
  });
}

}  // namespace bitnet
