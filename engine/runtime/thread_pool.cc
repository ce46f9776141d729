#include "engine/runtime/thread_pool.h"

#include <algorithm>

namespace bitnet {
namespace {
// Workers spin this many pauses (a few ms) for the next region before sleeping: the parallel regions
// of one forward pass follow each other within microseconds, and a futex wake-up per region would cost
// more than the region on small shapes. Between requests they sleep.
constexpr int kSpinIterations = 100000;
// ... yielding the core every so many pauses: when the machine is oversubscribed, a worker waiting for
// a descheduled caller then hands its core to a thread with work instead of burning its own share.
// With nothing else runnable a yield returns at once.
constexpr int kWorkerYieldEvery = 256;
// The caller waiting for claimed tasks to finish spins this long (~0.1 ms) before it starts yielding its
// core (a worker finishing its last chunk, or a descheduled one in the middle of a task).
constexpr int kCallerSpinsBeforeYield = 2000;
// ParallelFor cuts its range into up to this many chunks per thread: enough that the threads that run
// take over most of a descheduled thread's share, few enough that claiming (one atomic add) is free.
constexpr int64_t kChunksPerThread = 8;

// The region word: generation (20 bits) | task count (22 bits) | next task (22 bits). The next-task
// field never exceeds count + threads (every thread stops at its first claim past the count), so it
// cannot carry into the count.
constexpr int kIndexBits = 22;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
constexpr int64_t kMaxTasksPerRegion = int64_t{1} << (kIndexBits - 1);
constexpr int kGenShift = 2 * kIndexBits;
constexpr uint32_t kGenMask = (uint32_t{1} << (64 - kGenShift)) - 1;

inline uint32_t Gen(uint64_t w) { return static_cast<uint32_t>(w >> kGenShift); }
inline int64_t Count(uint64_t w) { return static_cast<int64_t>((w >> kIndexBits) & kIndexMask); }
inline int64_t Index(uint64_t w) { return static_cast<int64_t>(w & kIndexMask); }
inline uint64_t Word(uint32_t gen, int64_t count) {
  return (static_cast<uint64_t>(gen & kGenMask) << kGenShift) | (static_cast<uint64_t>(count) << kIndexBits);
}

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
  stop_.store(true);
  {
    std::lock_guard<std::mutex> lock(mu_);
    region_.store(Word(Gen(region_.load()) + 1, 0));
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

uint32_t ThreadPool::Drain(int thread) {
  for (;;) {
    const uint64_t w = region_.fetch_add(1, std::memory_order_acq_rel);
    const int64_t task = Index(w);
    if (task >= Count(w)) return Gen(w);
    try {
      (*fn_)(task, thread);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mu_);
      if (!error_) error_ = std::current_exception();
    }
    done_.fetch_add(1, std::memory_order_release);
  }
}

void ThreadPool::RunRegion(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
  fn_ = &fn;
  done_.store(0, std::memory_order_relaxed);
  // seq_cst store, then the sleepers_ load: a worker going to sleep either sees the new generation in
  // its wait predicate or is counted here and notified.
  region_.store(Word(Gen(region_.load(std::memory_order_relaxed)) + 1, n_tasks));
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mu_); }
    wake_.notify_all();
  }
  Drain(0);
  for (int spins = 0; done_.load(std::memory_order_acquire) != n_tasks; ++spins) {
    CpuRelax();
    if (spins >= kCallerSpinsBeforeYield) std::this_thread::yield();
  }
  fn_ = nullptr;
}

void ThreadPool::ForEachTask(int64_t n_tasks, const std::function<void(int64_t, int)>& fn) {
  if (n_tasks <= 0) return;
  if (n_threads_ == 1 || n_tasks == 1) {
    for (int64_t t = 0; t < n_tasks; ++t) fn(t, 0);
    return;
  }
  for (int64_t first = 0; first < n_tasks; first += kMaxTasksPerRegion) {
    const int64_t count = std::min(kMaxTasksPerRegion, n_tasks - first);
    if (first == 0) {
      RunRegion(count, fn);
    } else {
      const std::function<void(int64_t, int)> shifted = [&](int64_t t, int th) { fn(first + t, th); };
      RunRegion(count, shifted);
    }
  }
  std::exception_ptr error;
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    std::swap(error, error_);
  }
  if (error) std::rethrow_exception(error);
}

void ThreadPool::Run(const std::function<void(int, int)>& fn) {
  const int nth = n_threads_;
  ForEachTask(nth, [&](int64_t task, int) { fn(static_cast<int>(task), nth); });
}

void ThreadPool::WorkerLoop(int thread) {
  uint32_t seen = 0;
  // stop_ is checked with the generation: the last claim before the destructor may already have
  // landed in the destructor's (empty) region, so no further generation change would come.
  const auto ready = [&] { return Gen(region_.load()) != seen || stop_.load(); };
  for (;;) {
    for (int spins = 1; !ready() && spins <= kSpinIterations; ++spins) {
      CpuRelax();
      if (spins % kWorkerYieldEvery == 0) std::this_thread::yield();
    }
    if (!ready()) {
      std::unique_lock<std::mutex> lock(mu_);
      sleepers_.fetch_add(1);
      wake_.wait(lock, ready);
      sleepers_.fetch_sub(1);
    }
    if (stop_.load()) return;
    seen = Drain(thread);
  }
}

int64_t ThreadPool::ChunkCount(int64_t n, int64_t grain) const {
  if (n <= 0) return 0;
  grain = std::max<int64_t>(1, grain);
  const int64_t units = (n + grain - 1) / grain;
  return std::min<int64_t>(units, n_threads_ == 1 ? 1 : n_threads_ * kChunksPerThread);
}

void ThreadPool::ParallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(1, grain);
  const int64_t units = (n + grain - 1) / grain;
  const int64_t chunks = ChunkCount(n, grain);
  if (chunks <= 1) {
    fn(0, n);
    return;
  }
  const int64_t per = units / chunks, extra = units % chunks;
  ForEachTask(chunks, [&](int64_t c, int) {
    const int64_t u0 = c * per + std::min(c, extra);
    const int64_t u1 = u0 + per + (c < extra ? 1 : 0);
    const int64_t b = std::min(n, u0 * grain), e = std::min(n, u1 * grain);
    if (b < e) fn(b, e);
  });
}

}  // namespace bitnet
