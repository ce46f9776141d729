#pragma once
// A persistent pool: n-1 worker threads plus the caller. Work is handed out dynamically: a parallel
// region is a list of tasks, and every thread that is running (the caller included) claims the next
// task from one atomic counter until none is left. When the machine is shared and a worker is
// descheduled, the threads that run do its share instead of waiting for it; the caller only ever waits
// for tasks that were claimed and are still executing.
//
// Which thread runs a task never changes a result: tasks are fixed before the region starts (their
// boundaries depend on the sizes and size() only), and each task's arithmetic is its own.
// Workers spin briefly before sleeping, so the many small parallel regions of a decode step do not pay a
// wake-up each.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bitnet {

class ThreadPool {
 public:
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }

  // Calls fn(task, thread) once for every task in [0, n_tasks). Tasks are claimed in increasing order
  // by whichever threads are running; `thread` in [0, size()) names the executing thread (0 is the
  // caller), and no two tasks run concurrently with the same `thread`, so it may index per-thread
  // scratch. Returns when every task is done; an exception thrown by a task is rethrown here (the
  // first one; the remaining tasks still run).
  void ForEachTask(int64_t n_tasks, const std::function<void(int64_t task, int thread)>& fn);

  // Calls fn(ith, nth) once for every ith in [0, nth = size()), each on some thread (several may run
  // on the same thread one after the other; do not wait for each other inside fn).
  void Run(const std::function<void(int ith, int nth)>& fn);

  // Splits [0, n) into contiguous chunks that are multiples of `grain` (a few per thread, so that the
  // running threads can take over a descheduled one's share) and calls fn(begin, end) on each.
  // The chunk boundaries depend only on n, grain and size().
  void ParallelFor(int64_t n, int64_t grain, const std::function<void(int64_t begin, int64_t end)>& fn);

  // The chunks ParallelFor uses for n items of `grain` on this pool: the number of chunks.
  int64_t ChunkCount(int64_t n, int64_t grain) const;

 private:
  void WorkerLoop(int thread);
  // Claims and runs tasks of the current region until none is left; returns the generation seen.
  uint32_t Drain(int thread);
  void RunRegion(int64_t n_tasks, const std::function<void(int64_t, int)>& fn);

  int n_threads_;
  std::vector<std::thread> workers_;
  // The current region: generation, task count and next unclaimed task packed in one word, so a claim
  // (one fetch_add) also tells which region and how many tasks it has. A claim past the task count
  // stops the claiming thread; a thread late by a region claims from the current one, never a stale one.
  std::atomic<uint64_t> region_{0};
  std::atomic<int64_t> done_{0};  // tasks of the current region finished
  const std::function<void(int64_t, int)>* fn_ = nullptr;
  std::mutex error_mu_;
  std::exception_ptr error_;
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
};

}  // namespace bitnet
