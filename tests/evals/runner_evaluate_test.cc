// The evaluation runner end to end on a tiny synthetic model and the project's samples:
// result keys, stderr, per-sample logs, determinism and prefix reuse. Scores are meaningless
// (random weights); only structure and invariants are checked.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "datasets/loaders/data_dir.h"
#include "engine/model/synthetic.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/report.h"
#include "tests/evals/tiny_model_runs.h"
#include "tests/test_support.h"

using namespace bitnet;
using namespace bitnet::evals;
using nlohmann::json;

namespace {

const std::string& TinyModel() {
  static const std::string path = test::WriteTinyModel("runner", 5);
  return path;
}

std::vector<TaskRun> RunTasks(const std::vector<std::string>& names, const RunOptions& ro) {
  return test::RunTasksOnModel(TinyModel(), names, ro);
}

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("runner: arc_easy and gsm8k on the samples give lm-eval-shaped results", "[evals][runner]") {
  RunOptions ro;
  ro.limit = 3;
  const auto runs = RunTasks({"arc_easy", "gsm8k"}, ro);
  REQUIRE(runs.size() == 2);
  const json j = ResultsJson(runs);
  for (const char* k : {"results", "configs", "versions", "n-shot", "n-samples", "higher_is_better", "bitnet_eval"})
    CHECK(j.contains(k));

  const json& arc = j["results"]["arc_easy"];
  for (const char* k : {"acc,none", "acc_stderr,none", "acc_norm,none", "acc_norm_stderr,none"}) {
    INFO(k);
    REQUIRE(arc.contains(k));
    REQUIRE(arc[k].is_number());
  }
  CHECK(arc["acc,none"].get<double>() >= 0.0);
  CHECK(arc["acc,none"].get<double>() <= 1.0);
  CHECK(arc["acc_norm,none"].get<double>() >= 0.0);
  CHECK(arc["acc_norm,none"].get<double>() <= 1.0);
  CHECK(j["n-samples"]["arc_easy"]["original"] == 4);
  CHECK(j["n-samples"]["arc_easy"]["effective"] == 3);
  CHECK(j["n-shot"]["arc_easy"] == 0);
  CHECK(j["configs"]["arc_easy"]["task"] == "arc_easy");
  CHECK(j["versions"]["arc_easy"] == 1.0);

  const json& gsm = j["results"]["gsm8k"];
  for (const char* k : {"exact_match,strict-match", "exact_match_stderr,strict-match", "exact_match,flexible-extract",
                        "exact_match_stderr,flexible-extract"}) {
    INFO(k);
    CHECK(gsm.contains(k));
  }
  CHECK(j["n-shot"]["gsm8k"] == 4);
  CHECK(j["n-samples"]["gsm8k"]["effective"] == 3);

  const json& be = j["bitnet_eval"]["tasks"];
  CHECK(be["arc_easy"]["request_stream_sha256"].get<std::string>().size() == 64);
  CHECK(be["arc_easy"]["requests"] == 12);  // 3 documents x 4 choices
  CHECK(be["gsm8k"]["chat"] == true);       // apply_chat_template in the task file
  CHECK(be["gsm8k"]["generated_tokens"].get<int64_t>() > 0);

  // Per-sample logs: one line per document with the per-choice numbers / the generation.
  const std::string arc_log = SamplesJsonl(runs[0]);
  CHECK(Lines(arc_log) == 3);
  const json first = json::parse(arc_log.substr(0, arc_log.find('\n')));
  CHECK(first["loglikelihoods"].size() == 4);
  CHECK(first["is_greedy"].size() == 4);
  CHECK(first["metrics"].contains("acc,none"));
  CHECK(first["arguments"][0][1] == " ice");
  const std::string gsm_log = SamplesJsonl(runs[1]);
  CHECK(Lines(gsm_log) == 3);
  const json g0 = json::parse(gsm_log.substr(0, gsm_log.find('\n')));
  CHECK(g0["resps"].size() == 1);
  CHECK(g0["filtered_resps"].contains("strict-match"));
  CHECK(g0["metrics"].contains("exact_match,flexible-extract"));
  CHECK(g0["prompt"].get<std::string>().rfind("<|begin_of_text|>User: ", 0) == 0);

  const std::string table = FormatTable(runs);
  CHECK_THAT(table, Catch::Contains("| Tasks") && Catch::Contains("| arc_easy") && Catch::Contains("acc_norm") &&
                        Catch::Contains("strict-match") && Catch::Contains("±"));
}

TEST_CASE("runner: two runs give identical results and logs", "[evals][runner]") {
  RunOptions ro;
  ro.limit = 2;
  const auto a = RunTasks({"arc_challenge", "gsm8k"}, ro);
  const auto b = RunTasks({"arc_challenge", "gsm8k"}, ro);
  CHECK(ResultsJson(a)["results"] == ResultsJson(b)["results"]);
  for (size_t i = 0; i < a.size(); ++i) CHECK(SamplesJsonl(a[i]) == SamplesJsonl(b[i]));
}

TEST_CASE("runner: a multiple-choice document evaluates its context once", "[evals][runner]") {
  RunOptions ro;
  ro.limit = 1;
  const auto runs = RunTasks({"arc_easy"}, ro);
  const TaskRun& r = runs.at(0);
  REQUIRE(r.n_requests == 4);
  CHECK(r.tokens_evaluated > 0);
  CHECK(r.tokens_evaluated < r.tokens_naive);
  // Byte-level tokenizer: "Question: Which of these is water in its gas form?\nAnswer:" is 58 bytes + BOS;
  // the context runs once, then each choice's tokens except the last.
  CHECK(r.tokens_naive - r.tokens_evaluated >= 3 * 50);
}

TEST_CASE("runner: BOS choice is applied and recorded", "[evals][runner]") {
  RunOptions ro;
  ro.limit = 2;
  ro.add_bos = false;
  const auto off = RunTasks({"arc_easy"}, ro);
  ro.add_bos = true;
  const auto on = RunTasks({"arc_easy"}, ro);
  CHECK_FALSE(off[0].add_bos);
  CHECK(on[0].add_bos);
  CHECK(on[0].tokens_naive == off[0].tokens_naive + 8);  // one BOS per request
  CHECK(ResultsJson(off)["bitnet_eval"]["tasks"]["arc_easy"]["add_bos"] == false);
}

TEST_CASE("runner: task names, groups and unsupported tasks", "[evals][runner]") {
  CHECK_THROWS_AS(ResolveTasks({"arc_eazy"}, DefaultTasksDir()), InputError);
  CHECK_THROWS_WITH(ResolveTasks({"arc"}, DefaultTasksDir()), Catch::Contains("arc_easy"));
  CHECK(ResolveTasks({"mmlu"}, DefaultTasksDir()).size() == 57);
  const auto he = ResolveTasks({"humaneval_plus", "mt_bench"}, DefaultTasksDir());
  CHECK_THROWS_AS(CheckRunnable(he[0]), InputError);
  CHECK_NOTHROW(CheckRunnable(he[0], /*allow_code_execution=*/true));
  CHECK_NOTHROW(CheckRunnable(he[1]));  // answers generated; judging external
  for (const auto& t : ResolveTasks({"arc_easy", "gsm8k", "ifeval", "math500", "truthfulqa_mc2", "winogrande"},
                                    DefaultTasksDir()))
    CHECK_NOTHROW(CheckRunnable(t));
}

TEST_CASE("runner: WriteFileAtomic replaces the file whole", "[evals][runner]") {
  const auto dir = test::TempDir("runner-atomic");
  const auto p = dir / "r.json";
  WriteFileAtomic(p, "first\n");
  WriteFileAtomic(p, "second\n");
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  CHECK(ss.str() == "second\n");
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
  CHECK_THROWS_AS(WriteFileAtomic(dir / "no-such-dir" / "x", "x"), InputError);
}

TEST_CASE("runner: ifeval, math500, winogrande and an MMLU group run on the samples", "[evals][runner]") {
  RunOptions ro;
  ro.limit = 1;
  ro.num_fewshot = 0;
  const auto runs = RunTasks({"ifeval", "math500", "winogrande", "mmlu_astronomy", "mmlu_elementary_mathematics"}, ro);
  const json j = ResultsJson(runs);
  CHECK(j["results"]["ifeval"]["inst_level_strict_acc_stderr,none"] == "N/A");
  CHECK(j["results"]["ifeval"]["prompt_level_loose_acc,none"].is_number());
  CHECK(j["results"]["math500"].contains("exact_match,none"));
  CHECK(j["results"]["winogrande"].contains("acc,none"));
  CHECK(j["results"]["mmlu"].contains("acc,none"));
  CHECK(j["group_subtasks"]["mmlu"].size() == 2);
  CHECK_THAT(FormatTable(runs), Catch::Contains("mmlu (group)"));
}
