// MT-bench answer generation (both turns, FastChat's answer format) and HumanEval+ tasks whose
// canonical solution cannot run (a per-task error, not an aborted run).
#include <catch2/catch.hpp>

#include "common/error.h"
#include "datasets/loaders/data_dir.h"
#include "engine/model/synthetic.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/humaneval.h"
#include "evals/runner/mt_bench.h"
#include "evals/runner/report.h"
#include "tests/test_support.h"

using namespace bitnet;
using namespace bitnet::evals;
using nlohmann::json;

namespace {

std::shared_ptr<const Model> Tiny() {
  static const std::string path = [] {
    const std::string p = (test::TempDir("mtbench") / "tiny.gguf").string();
    SyntheticOptions o;
    o.shape = ShapeByName("tiny");
    o.type = QuantType::I2_S;
    o.seed = 11;
    o.threads = 2;
    WriteSyntheticModel(o, p);
    return p;
  }();
  return Model::Load(path);
}

// An executor on which every program fails the way a timed-out canonical solution does.
class TimingOutExecutor : public CodeExecutor {
 public:
  CodeResult RunPython(const std::vector<CodeFile>&, const std::string&, const std::string&,
                       const CodeLimits&) override {
    ++calls;
    CodeResult r;
    r.started = true;
    r.timed_out = true;
    r.killed_reason = "wall";
    r.term_signal = 9;
    return r;
  }
  int calls = 0;
};

}  // namespace

TEST_CASE("mt_bench: the turn-2 prompt holds the stripped turn-1 answer in the 2B4T format", "[evals][mt_bench]") {
  CHECK(MtBenchTurn2Prompt("Q1?", "  A1.\n", "Q2?") ==
        "<|begin_of_text|>User: Q1?<|eot_id|>Assistant: A1.<|eot_id|>User: Q2?<|eot_id|>Assistant: ");
  const json sample = {{"doc", {{"question_id", 81}, {"turns", {"a", "b"}}}},
                       {"mt_bench", {{"answers", {"x", "y"}}, {"tstamp", 1700000000.5}}}};
  const json a = FastChatAnswer(sample, "bitnet-2b", "ab12");
  CHECK(a["question_id"] == 81);
  CHECK(a["model_id"] == "bitnet-2b");
  CHECK(a["choices"] == json::parse(R"([{"index":0,"turns":["x","y"]}])"));
  CHECK(a["tstamp"] == 1700000000.5);
  CHECK(a["answer_id"].get<std::string>().size() == 22);
  CHECK(FastChatAnswer(sample, "bitnet-2b", "ab12")["answer_id"] == a["answer_id"]);  // reproducible
  CHECK(FastChatAnswer(sample, "bitnet-2b", "cd34")["answer_id"] != a["answer_id"]);
}

TEST_CASE("mt_bench: both turns are generated; judging is labelled external", "[evals][mt_bench]") {
  auto model = Tiny();
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 256;
  Session session(model, so);
  const TaskConfig t = ResolveTasks({"mt_bench"}, DefaultTasksDir())[0];
  json cfg = t.resolved;
  cfg["generation_kwargs"]["max_gen_toks"] = 8;  // a tiny context: short answers
  const TaskConfig small = TaskConfigFromResolved(cfg, "mt_bench (small)");
  RunOptions ro;
  ro.limit = 2;
  const TaskRun run = EvaluateTask(session, small, datasets::SamplesDir(), ro);
  REQUIRE(run.samples.size() == 2);
  CHECK(run.n_requests == 4);
  CHECK(run.results["judging"] == kMtBenchJudging);
  CHECK(run.rows.empty());
  const json& s = run.samples[0];
  REQUIRE(s["resps"].size() == 2);
  const std::string q1 = s["doc"]["turns"][0], q2 = s["doc"]["turns"][1];
  CHECK(s["mt_bench"]["turn2_prompt"] ==
        MtBenchTurn2Prompt(q1, s["resps"][0].get<std::string>(), q2));
  CHECK(s["mt_bench"]["answers"].size() == 2);
  const json a = FastChatAnswer(s, "m", "00");
  for (const char* k : {"question_id", "answer_id", "model_id", "choices", "tstamp"}) CHECK(a.contains(k));
}

TEST_CASE("humaneval_plus: a canonical solution that times out is a per-task error in the samples",
          "[evals][humaneval]") {
  auto model = Tiny();
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 512;
  Session session(model, so);
  const TaskConfig t = ResolveTasks({"humaneval_plus"}, DefaultTasksDir())[0];
  json cfg = t.resolved;
  cfg["generation_kwargs"]["max_gen_toks"] = 8;
  const TaskConfig small = TaskConfigFromResolved(cfg, "humaneval_plus (small)");
  TimingOutExecutor exec;
  RunOptions ro;
  ro.limit = 2;
  ro.code_executor = &exec;
  TaskRun run;
  REQUIRE_NOTHROW(run = EvaluateTask(session, small, datasets::SamplesDir(), ro));
  REQUIRE(run.samples.size() == 2);
  for (const json& s : run.samples) {
    CHECK_THAT(s["evalplus"]["canonical_error"].get<std::string>(), Catch::Contains("canonical solution"));
    CHECK(s["evalplus"]["base"]["status"] == "error");
    CHECK(s["metrics"]["pass@1,base"] == 0.0);
    CHECK(s.contains("error"));
  }
  CHECK(run.results["pass@1,base"] == 0.0);
  CHECK(exec.calls == 2);  // one ground run per task (base inputs), no check runs
}
