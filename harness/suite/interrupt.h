#pragma once
// Ctrl-C and kill: SIGINT and SIGTERM are blocked in every thread of the process (threads started
// later inherit the mask) and taken by one waiting thread, which calls the handler (it writes the
// partial report from the finished units) and ends the process with 128 + the signal number
// (130 for SIGINT, 143 for SIGTERM). The work itself is never interrupted half-way: what was
// finished is on disk (run_state.h), what was running is redone on restart.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace bitnet::suite {

class InterruptGuard {
 public:
  // `on_signal` gets "SIGINT" or "SIGTERM"; it runs on the waiting thread.
  explicit InterruptGuard(std::function<void(const std::string& signal)> on_signal);
  ~InterruptGuard();  // stops waiting; the signals stay blocked (pending ones are dropped at exit)
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // For tests: raise `signal` ("SIGINT", "SIGTERM" or "SIGKILL") in this process as a user would.
  static void Raise(const std::string& signal);

 private:
  std::function<void(const std::string&)> on_signal_;
  std::atomic<bool> stop_{false};
  std::thread waiter_;
};

}  // namespace bitnet::suite
