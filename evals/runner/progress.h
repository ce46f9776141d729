#pragma once
// Progress of an evaluation on stderr: requests done/total, the rate of computed requests and the
// ETA. On a terminal: one line rewritten in place (at most every `tty_interval` seconds);
// otherwise (a log file, a cluster job): a plain line every `log_interval` seconds. Requests
// answered from the request cache count as done but not in the rate.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace bitnet::evals {

class Progress {
 public:
  Progress(size_t total, std::FILE* out, bool tty);
  // Whether `out` is a terminal.
  static bool IsTerminal(std::FILE* out);

  void SetTask(const std::string& task) { task_ = task; }
  void Advance(bool from_cache);
  void Finish();  // final line (and newline on a terminal)

  // The status text, e.g. "[eval] arc_easy 120/2376 requests (5.1%), 14.2 req/s, ETA 2m39s" (for tests).
  std::string Line() const;

  double tty_interval = 0.2;
  double log_interval = 10.0;

 private:
  void Print(bool force);

  size_t total_, done_ = 0, computed_ = 0;
  std::FILE* out_;
  bool tty_;
  std::string task_;
  std::chrono::steady_clock::time_point start_, last_print_;
  bool printed_ = false;
  size_t printed_done_ = 0;  // done_ when the last line was printed
};

// 1h02m03s / 4m05s / 7s.
std::string FormatDuration(double seconds);

}  // namespace bitnet::evals
