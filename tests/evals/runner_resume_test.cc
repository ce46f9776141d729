// The request cache (evals/runner/request_cache.h) and resuming a run from it: an interrupted
// cache (some records, then a truncated line) gives the same samples and results as an
// uninterrupted run, with only the missing requests computed.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "datasets/loaders/data_dir.h"
#include "engine/model/synthetic.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/report.h"
#include "evals/runner/request_cache.h"
#include "tests/evals/tiny_model_runs.h"
#include "tests/test_support.h"

using namespace bitnet;
using namespace bitnet::evals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string& TinyModel() {
  static const std::string path = test::WriteTinyModel("resume", 7);
  return path;
}

std::vector<TaskRun> RunTasks(const std::vector<std::string>& names, const RunOptions& ro) {
  return test::RunTasksOnModel(TinyModel(), names, ro);
}

std::string ReadText(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

const json kSettings = {{"model_sha256", "ab"}, {"kernel", "generic"}};

Request SomeRequest(size_t doc) {
  Request r;
  r.doc_index = doc;
  r.context = "Question: 2+2=";
  r.continuation = " 4";
  return r;
}

}  // namespace

TEST_CASE("request cache: records survive a reopen; keys depend on task and request", "[evals][cache]") {
  const auto dir = test::TempDir("cache-basic");
  const fs::path p = dir / "c.jsonl";
  const std::string k0 = RequestCache::Key("arc_easy", SomeRequest(0));
  CHECK(k0.size() == 64);
  CHECK(k0 != RequestCache::Key("arc_easy", SomeRequest(1)));
  CHECK(k0 != RequestCache::Key("arc_challenge", SomeRequest(0)));
  {
    RequestCache c(p, kSettings);
    CHECK(c.loaded() == 0);
    CHECK(c.Find(k0) == nullptr);
    c.Put(k0, "arc_easy", 0, 0, json{{"logprob", -1.25}});
  }
  RequestCache c(p, kSettings);
  CHECK(c.loaded() == 1);
  CHECK(c.note().empty());
  REQUIRE(c.Find(k0) != nullptr);
  CHECK((*c.Find(k0))["logprob"] == -1.25);
  CHECK(c.hits() == 2);
  CHECK(SplitLines(ReadText(p)).size() == 2);  // header + one record
}

TEST_CASE("request cache: other settings are refused, a truncated last line dropped, a bad line an error",
          "[evals][cache]") {
  const auto dir = test::TempDir("cache-bad");
  const fs::path p = dir / "c.jsonl";
  const std::string k0 = RequestCache::Key("t", SomeRequest(0)), k1 = RequestCache::Key("t", SomeRequest(1));
  {
    RequestCache c(p, kSettings);
    c.Put(k0, "t", 0, 0, json{{"x", 1}});
    c.Put(k1, "t", 1, 0, json{{"x", 2}});
  }
  json other = kSettings;
  other["kernel"] = "avx2";
  CHECK_THROWS_WITH(RequestCache(p, other), Catch::Contains("kernel") && Catch::Contains("--no-cache") &&
                                                Catch::Contains(p.string()));
  // Killed mid-write: a partial record at the end.
  const std::string whole = ReadText(p);
  {
    std::ofstream f(p, std::ios::binary | std::ios::app);
    f << R"({"doc":2,"idx":0,"key":"0123)";
  }
  {
    RequestCache c(p, kSettings);
    CHECK(c.loaded() == 2);
    CHECK_THAT(c.note(), Catch::Contains("line 4") && Catch::Contains("truncated"));
  }
  CHECK(ReadText(p) == whole);  // the partial line is gone, nothing else changed
  // Damage in the middle is not silently skipped.
  std::vector<std::string> lines = SplitLines(whole);
  lines[1] = "{not json";
  std::ofstream(p, std::ios::binary | std::ios::trunc) << lines[0] << "\n" << lines[1] << "\n" << lines[2] << "\n";
  CHECK_THROWS_WITH(RequestCache(p, kSettings), Catch::Contains("line 2") && Catch::Contains(p.string()));
  std::ofstream(p, std::ios::binary | std::ios::trunc) << "{\"something\":1}\n";
  CHECK_THROWS_WITH(RequestCache(p, kSettings), Catch::Contains("not a bitnet-eval request cache"));
}

TEST_CASE("resume: a run from a cut cache equals an uninterrupted run and computes only the rest",
          "[evals][cache][runner]") {
  const std::vector<std::string> tasks = {"arc_easy", "mmlu_astronomy", "gsm8k"};
  RunOptions ro;
  ro.limit = 3;
  ro.bootstrap_iters = 100;
  const auto dir = test::TempDir("resume-run");
  const fs::path full_path = dir / "full.jsonl";
  std::vector<TaskRun> whole;
  {
    RequestCache cache(full_path, kSettings);
    RunOptions r = ro;
    r.cache = &cache;
    whole = RunTasks(tasks, r);
    CHECK(cache.written() == 12 + 12 + 3);
    CHECK(cache.hits() == 0);
  }
  // Interrupted after 7 requests (inside arc_easy's second document) with a record half written.
  const std::vector<std::string> lines = SplitLines(ReadText(full_path));
  const fs::path cut = dir / "cut.jsonl";
  {
    std::ofstream f(cut, std::ios::binary);
    for (size_t i = 0; i <= 7; ++i) f << lines[i] << "\n";
    f << lines[8].substr(0, lines[8].size() / 2);
  }
  size_t progress_calls = 0, from_cache = 0;
  RequestCache cache(cut, kSettings);
  CHECK_FALSE(cache.note().empty());
  RunOptions r = ro;
  r.cache = &cache;
  r.on_request = [&](bool c) {
    ++progress_calls;
    from_cache += c ? 1 : 0;
  };
  const std::vector<TaskRun> resumed = RunTasks(tasks, r);
  CHECK(cache.hits() == 7);
  CHECK(from_cache == 7);
  CHECK(progress_calls == 27);
  CHECK(cache.written() == 20);
  REQUIRE(resumed.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    INFO(whole[i].task);
    CHECK(SamplesJsonl(resumed[i]) == SamplesJsonl(whole[i]));
    CHECK(resumed[i].results == whole[i].results);
    // The session's prefix is restored before the first computed request: same token counts.
    CHECK(resumed[i].tokens_evaluated == whole[i].tokens_evaluated);
    CHECK(resumed[i].tokens_naive == whole[i].tokens_naive);
    CHECK(resumed[i].generated_tokens == whole[i].generated_tokens);
  }
  CHECK(resumed[0].requests_from_cache == 7);
  json a = ResultsJson(whole), b = ResultsJson(resumed);
  for (auto* j : {&a, &b})
    for (auto& [t, v] : (*j)["bitnet_eval"]["tasks"].items()) {
      v.erase("seconds");
      v.erase("requests_from_cache");
    }
  CHECK(a == b);
}

TEST_CASE("resume: a well-formed cache record with wrong fields is an error naming the cache", "[evals][cache][runner]") {
  const auto dir = test::TempDir("resume-bad-record");
  const fs::path p = dir / "c.jsonl";
  RunOptions ro;
  ro.limit = 1;
  {
    RequestCache cache(p, kSettings);
    RunOptions r = ro;
    r.cache = &cache;
    RunTasks({"arc_easy"}, r);
  }
  std::vector<std::string> lines = SplitLines(ReadText(p));
  json rec = json::parse(lines[2]);
  rec["result"].erase("logprob");
  lines[2] = rec.dump();
  {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    for (const auto& l : lines) f << l << "\n";
  }
  RequestCache cache(p, kSettings);
  RunOptions r = ro;
  r.cache = &cache;
  CHECK_THROWS_WITH(RunTasks({"arc_easy"}, r), Catch::Contains(p.string()) && Catch::Contains("--no-cache"));
}

// Found by tests/fuzz/request_cache_fuzz (input kept in tests/fuzz/seeds/request_cache): a header
// whose settings were nested 30000 deep overflowed the stack when compared with this run's.
TEST_CASE("request cache: a record nested too deep is an InputError naming the line", "[evals][cache]") {
  const auto dir = test::TempDir("cache-deep");
  const auto p = dir / "request_cache.jsonl";
  std::ofstream(p) << R"({"bitnet_eval_request_cache":1,"settings":{"model":)" << std::string(30000, '[')
                   << std::string(30000, ']') << "}}\n";
  CHECK_THROWS_WITH(RequestCache(p, nlohmann::json{{"model", "m"}}),
                    Catch::Contains(p.string() + ": line 1: JSON nested deeper than 64 levels"));
}
