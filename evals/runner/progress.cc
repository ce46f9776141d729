#include "evals/runner/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>

namespace bitnet::evals {

namespace {
double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

std::string FormatDuration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long long t = std::llround(s);
  if (t >= 3600) return fmt::format("{}h{:02}m{:02}s", t / 3600, (t / 60) % 60, t % 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

Progress::Progress(size_t total, std::FILE* out, bool tty)
    : total_(total), out_(out), tty_(tty), start_(std::chrono::steady_clock::now()), last_print_(start_) {}

bool Progress::IsTerminal(std::FILE* out) { return out && ::isatty(::fileno(out)) == 1; }

std::string Progress::Line() const {
  const double secs = Since(start_);
  const double rate = secs > 0 ? static_cast<double>(computed_) / secs : 0.0;
  const size_t left = total_ > done_ ? total_ - done_ : 0;
  const double pct = total_ ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100.0;
  std::string s = fmt::format("[eval] {}{}{}/{} requests ({:.1f}%)", task_, task_.empty() ? "" : " ", done_, total_, pct);
  if (done_ > computed_) s += fmt::format(", {} from cache", done_ - computed_);
  s += fmt::format(", {:.2f} req/s", rate);
  if (left == 0) s += fmt::format(", done in {}", FormatDuration(secs));
  else s += ", ETA " + (rate > 0 ? FormatDuration(static_cast<double>(left) / rate) : std::string("?"));
  return s;
}

void Progress::Print(bool force) {
  if (!out_) return;
  const double since = Since(last_print_);
  if (!force && since < (tty_ ? tty_interval : log_interval)) return;
  last_print_ = std::chrono::steady_clock::now();
  if (tty_) fmt::print(out_, "\r\033[K{}", Line());
  else fmt::print(out_, "{}\n", Line());
  std::fflush(out_);
  printed_ = true;
  printed_done_ = done_;
}

void Progress::Advance(bool from_cache) {
  ++done_;
  if (!from_cache) ++computed_;
  Print(false);
}

void Progress::Finish() {
  // The last Advance may already have printed the final state; a log gets each state once.
  if (!printed_ || printed_done_ != done_) Print(true);
  if (tty_ && printed_ && out_) fmt::print(out_, "\n");
}

}  // namespace bitnet::evals
