// The progress line of `eval` (evals/runner/progress.h): counts, cache hits, rate/ETA, and the two
// output modes (rewritten in place on a terminal, plain lines in a log).
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "evals/runner/progress.h"

using namespace bitnet::evals;

namespace {
std::string Contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[1024];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}
}  // namespace

TEST_CASE("progress: durations", "[evals][progress]") {
  CHECK(FormatDuration(7.4) == "7s");
  CHECK(FormatDuration(245) == "4m05s");
  CHECK(FormatDuration(3723) == "1h02m03s");
  CHECK(FormatDuration(-1) == "?");
}

TEST_CASE("progress: plain lines in a log, counting cache hits apart", "[evals][progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  Progress p(10, f, /*tty=*/false);
  p.log_interval = 0;  // a line per request
  p.SetTask("arc_easy");
  p.Advance(true);
  p.Advance(false);
  p.Advance(false);
  CHECK_THAT(p.Line(), Catch::StartsWith("[eval] arc_easy 3/10 requests (30.0%), 1 from cache, ") &&
                           Catch::Contains(" req/s, ETA "));
  p.Finish();  // the last Advance printed 3/10 already: no repeated line
  const std::string out = Contents(f);
  CHECK(std::count(out.begin(), out.end(), '\n') == 3);
  CHECK(out.find('\r') == std::string::npos);
  std::fclose(f);
}

TEST_CASE("progress: a log gets the final state once, whether or not Advance printed it", "[evals][progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  Progress p(2, f, /*tty=*/false);
  p.log_interval = 1e9;  // no periodic line
  p.Advance(false);
  p.Advance(false);
  p.Finish();
  p.Finish();  // idempotent
  const std::string out = Contents(f);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  CHECK_THAT(out, Catch::StartsWith("[eval] 2/2 requests (100.0%)") && Catch::Contains("done in"));
  std::fclose(f);
}

TEST_CASE("progress: one line rewritten in place on a terminal, done at the end", "[evals][progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  Progress p(2, f, /*tty=*/true);
  p.tty_interval = 0;
  p.Advance(false);
  p.Advance(false);
  p.Finish();
  const std::string out = Contents(f);
  CHECK(out.find("\r\033[K[eval] 2/2 requests (100.0%)") != std::string::npos);
  CHECK_THAT(out, Catch::Contains("done in"));
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);  // only the final newline
  std::fclose(f);
  Progress quiet(5, nullptr, false);  // --quiet: nothing written, nothing fails
  quiet.Advance(false);
  quiet.Finish();
}
