#include "harness/suite/interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <stdexcept>

namespace bitnet::suite {

namespace {

sigset_t Signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

InterruptGuard::InterruptGuard(std::function<void(const std::string&)> on_signal) : on_signal_(std::move(on_signal)) {
  const sigset_t set = Signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::thread([this, set] {
    const timespec tick = {0, 100 * 1000 * 1000};
    while (!stop_.load()) {
      const int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig < 0) continue;  // EAGAIN (timeout) or EINTR
      const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
      try {
        on_signal_(name);
      } catch (...) {
        // Exiting is what matters; the handler reports its own failures.
      }
      _exit(128 + sig);
    }
  });
}

InterruptGuard::~InterruptGuard() {
  stop_.store(true);
  if (waiter_.joinable()) waiter_.join();
}

void InterruptGuard::Raise(const std::string& signal) {
  int sig = 0;
  if (signal == "SIGINT") sig = SIGINT;
  else if (signal == "SIGTERM") sig = SIGTERM;
  else if (signal == "SIGKILL") sig = SIGKILL;
  else throw std::invalid_argument("unknown signal " + signal);
  kill(getpid(), sig);
  if (sig != SIGKILL) {
    // The waiting thread exits the process; give it the time to write the partial report.
    for (;;) pause();
  }
}

}  // namespace bitnet::suite
