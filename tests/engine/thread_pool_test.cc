// The thread pool's dynamic work distribution: every task exactly once, per-thread indices never shared
// by concurrent tasks, no thread waits for another's share, and forward results independent of which
// thread ran what (thread counts, and a competing load that deschedules workers).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/runtime/thread_pool.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet {
namespace {

// Busy threads that compete with the pool for the cores while alive.
class CompetingLoad {
 public:
  explicit CompetingLoad(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back([this] {
        volatile uint64_t x = 0;
        while (!stop_.load(std::memory_order_relaxed)) x = x + 1;
      });
  }
  ~CompetingLoad() {
    stop_.store(true);
    for (auto& t : threads_) t.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace

TEST_CASE("ForEachTask runs every task once, and concurrent tasks never share a thread index", "[thread_pool]") {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{7}, int64_t{1000}}) {
      for (int round = 0; round < 50; ++round) {
        std::vector<std::atomic<int>> runs(static_cast<size_t>(n));
        std::vector<std::atomic<int>> busy(static_cast<size_t>(threads));
        std::atomic<int> bad_thread{0}, shared{0};
        pool.ForEachTask(n, [&](int64_t task, int thread) {
          if (thread < 0 || thread >= threads) {
            bad_thread.fetch_add(1);
            return;
          }
          if (busy[static_cast<size_t>(thread)].fetch_add(1) != 0) shared.fetch_add(1);
          runs[static_cast<size_t>(task)].fetch_add(1);
          busy[static_cast<size_t>(thread)].fetch_sub(1);
        });
        INFO("threads " << threads << ", tasks " << n << ", round " << round);
        REQUIRE(bad_thread.load() == 0);
        REQUIRE(shared.load() == 0);
        for (int64_t t = 0; t < n; ++t) REQUIRE(runs[static_cast<size_t>(t)].load() == 1);
      }
    }
  }
}

// With a static split, the thread that owns task 0 also owns other tasks, so waiting in task 0 for all
// the others would never end. With dynamic claiming the other threads take them.
TEST_CASE("a thread stuck in one task does not hold up the others' work", "[thread_pool]") {
  for (int threads : {2, 3}) {
    ThreadPool pool(threads);
    for (int round = 0; round < 20; ++round) {
      const int64_t n = 64;
      std::atomic<int64_t> finished{0};
      std::atomic<bool> timed_out{false};
      pool.ForEachTask(n, [&](int64_t task, int) {
        if (task == 0) {
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
          while (finished.load() != n - 1) {
            if (std::chrono::steady_clock::now() > deadline) {
              timed_out.store(true);
              break;
            }
            std::this_thread::yield();
          }
        }
        finished.fetch_add(1);
      });
      INFO("threads " << threads << ", round " << round);
      REQUIRE_FALSE(timed_out.load());
      REQUIRE(finished.load() == n);
    }
  }
}

TEST_CASE("ParallelFor covers the range once in grain-aligned chunks that depend only on the sizes", "[thread_pool]") {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int64_t n : {int64_t{1}, int64_t{15}, int64_t{16}, int64_t{17}, int64_t{3840}, int64_t{100003}}) {
      for (int64_t grain : {int64_t{1}, int64_t{16}, int64_t{4096}}) {
        std::vector<std::pair<int64_t, int64_t>> first;
        for (int round = 0; round < 3; ++round) {
          std::vector<std::atomic<int>> covered(static_cast<size_t>(n));
          std::mutex mu;
          std::vector<std::pair<int64_t, int64_t>> chunks;
          pool.ParallelFor(n, grain, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) covered[static_cast<size_t>(i)].fetch_add(1);
            std::lock_guard<std::mutex> lock(mu);
            chunks.emplace_back(b, e);
          });
          INFO("threads " << threads << ", n " << n << ", grain " << grain);
          for (int64_t i = 0; i < n; ++i) REQUIRE(covered[static_cast<size_t>(i)].load() == 1);
          std::sort(chunks.begin(), chunks.end());
          REQUIRE(static_cast<int64_t>(chunks.size()) == pool.ChunkCount(n, grain));
          for (const auto& [b, e] : chunks) {
            REQUIRE(b % grain == 0);
            REQUIRE(b < e);
          }
          if (threads > 1 && n / grain >= 2 * threads) REQUIRE(static_cast<int>(chunks.size()) > threads);
          if (first.empty()) first = chunks;
          REQUIRE(chunks == first);
        }
      }
    }
  }
}

TEST_CASE("Run calls every index once; a task's exception reaches the caller and the pool goes on", "[thread_pool]") {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> seen(3);
  std::atomic<int> wrong_nth{0};
  pool.Run([&](int ith, int nth) {
    if (nth != 3) wrong_nth.fetch_add(1);
    seen[static_cast<size_t>(ith)].fetch_add(1);
  });
  CHECK(wrong_nth.load() == 0);
  for (auto& s : seen) CHECK(s.load() == 1);

  std::atomic<int64_t> ran{0};
  CHECK_THROWS_WITH(pool.ForEachTask(100,
                                     [&](int64_t task, int) {
                                       ran.fetch_add(1);
                                       if (task == 37) throw std::runtime_error("task 37 failed");
                                     }),
                    "task 37 failed");
  CHECK(ran.load() == 100);
  std::atomic<int64_t> after{0};
  pool.ForEachTask(100, [&](int64_t, int) { after.fetch_add(1); });
  CHECK(after.load() == 100);
}

TEST_CASE("many small regions under a competing load complete with every task once", "[thread_pool]") {
  CompetingLoad load(2);
  ThreadPool pool(2);
  std::vector<int64_t> out(97);
  for (int round = 0; round < 20000; ++round) {
    pool.ForEachTask(static_cast<int64_t>(out.size()), [&](int64_t task, int) { out[static_cast<size_t>(task)] += task; });
  }
  for (size_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == static_cast<int64_t>(i) * 20000);
}

// The destructor must end workers whatever they were doing (spinning, sleeping, or just past the last
// region); a hang here shows up as the test's time limit.
TEST_CASE("pools are destroyed cleanly right after a region", "[thread_pool]") {
  for (int i = 0; i < 500; ++i) {
    ThreadPool pool(2 + i % 2);
    std::atomic<int64_t> ran{0};
    pool.ForEachTask(3 + i % 5, [&](int64_t, int) { ran.fetch_add(1); });
    REQUIRE(ran.load() == 3 + i % 5);
  }
}

// Which thread executed a chunk (changed here by thread counts and by busy threads that deschedule the
// pool's workers at random points) never changes a bit of the logits.
TEST_CASE("logits are bit-identical across thread counts and under a competing load", "[thread_pool][forward]") {
  auto model = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  std::vector<int32_t> tokens;
  for (int i = 0; i < 23; ++i) tokens.push_back(static_cast<int32_t>((i * 7919 + 13) % model->config().n_vocab));
  for (const KernelTable* k : UsableKernels()) {
    for (int64_t batch : {1, 23}) {
      std::vector<float> base;
      for (int busy : {0, 2}) {
        std::unique_ptr<CompetingLoad> load;
        if (busy > 0) load = std::make_unique<CompetingLoad>(busy);
        for (int threads : {1, 2, 3, 4}) {
          SessionOptions so;
          so.n_threads = threads;
          so.n_batch = batch;
          so.n_ctx = 64;
          so.kernel = k->name;
          Session s(model, so);
          const auto got = s.Eval(tokens, 0);
          if (base.empty()) base = got;
          INFO("kernel " << k->name << ", batch " << batch << ", busy " << busy << ", threads " << threads);
          REQUIRE(got.size() == base.size());
          CHECK(std::memcmp(got.data(), base.data(), got.size() * sizeof(float)) == 0);
        }
      }
    }
  }
}

}  // namespace bitnet
