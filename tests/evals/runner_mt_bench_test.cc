// MT-bench answer generation (both turns, FastChat's answer format) and HumanEval+ tasks whose
// canonical solution cannot run (a per-task error, not an aborted run).
#include <catch2/catch.hpp>

#include <functional>

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
  CHECK(MtBenchTurn2Prompt(ChatStyle{ChatFormat::kBitnet, "<|begin_of_text|>", ""}, "Q1?", "  A1.\n", "Q2?") ==
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
        MtBenchTurn2Prompt(ModelChatStyle(*model), q1, s["resps"][0].get<std::string>(), q2));
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

TEST_CASE("mt_bench: FastChat's temperature by category, seeded per question and turn", "[evals][mt_bench]") {
  auto model = Tiny();
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 256;
  const TaskConfig t = ResolveTasks({"mt_bench"}, DefaultTasksDir())[0];
  json cfg = t.resolved;
  cfg["generation_kwargs"]["max_gen_toks"] = 8;
  const TaskConfig small = TaskConfigFromResolved(cfg, "mt_bench (small)");
  RunOptions ro;
  ro.limit = 2;  // question 1 is "writing" (0.7), question 2 "math" (greedy)
  auto run_once = [&](const TaskConfig& task) {
    Session session(model, so);
    return EvaluateTask(session, task, datasets::SamplesDir(), ro);
  };
  const TaskRun a = run_once(small), b = run_once(small);
  REQUIRE(a.samples.size() == 2);
  const json& writing = a.samples[0];
  const json& math = a.samples[1];
  REQUIRE(writing["doc"]["category"] == "writing");
  REQUIRE(math["doc"]["category"] == "math");
  const json& wargs = writing["arguments"][0][1];
  CHECK(wargs["do_sample"] == true);
  CHECK(wargs["temperature"] == 0.7);
  CHECK(wargs["top_k"] == 50);
  CHECK(wargs["seed"] == RequestSeed(1234, 0, 0));
  CHECK(writing["mt_bench"]["temperature"] == 0.7);
  CHECK_FALSE(math["arguments"][0][1].contains("do_sample"));
  CHECK(math["mt_bench"]["temperature"] == 0.0);
  // The same seed gives the same answers, run after run.
  for (size_t i = 0; i < 2; ++i) CHECK(a.samples[i]["resps"] == b.samples[i]["resps"]);
  CHECK(a.request_hash == b.request_hash);

  // Greedy everywhere (temperatures 0) changes the writing answers, not the math ones, and the
  // request stream (sampling settings are part of a request).
  json greedy_cfg = cfg;
  for (auto& [k, v] : greedy_cfg["generation_kwargs"]["temperature_by"]["values"].items()) v = 0.0;
  const TaskRun g = run_once(TaskConfigFromResolved(greedy_cfg, "mt_bench (greedy)"));
  CHECK(g.samples[0]["resps"] != writing["resps"]);
  CHECK(g.samples[1]["resps"] == math["resps"]);
  CHECK(g.request_hash != a.request_hash);
}

TEST_CASE("mt_bench: request seeds depend only on the task seed, document and turn", "[evals][mt_bench]") {
  CHECK(RequestSeed(1234, 0, 0) == RequestSeed(1234, 0, 0));
  CHECK(RequestSeed(1234, 0, 0) != RequestSeed(1234, 0, 1));
  CHECK(RequestSeed(1234, 0, 1) != RequestSeed(1234, 1, 0));
  CHECK(RequestSeed(1234, 5, 0) != RequestSeed(1235, 5, 0));
}

TEST_CASE("generation_kwargs: sampling settings are checked", "[evals][mt_bench]") {
  const TaskConfig t = ResolveTasks({"mt_bench"}, DefaultTasksDir())[0];
  auto refused = [&](const std::function<void(json&)>& edit, const std::string& where) {
    json cfg = t.resolved;
    edit(cfg["generation_kwargs"]);
    CHECK_THROWS_WITH(TaskConfigFromResolved(cfg, "bad.json"), Catch::Contains(where));
  };
  refused([](json& g) { g["temperature_by"]["values"]["writing"] = "hot"; }, "/generation_kwargs/temperature_by/values/writing");
  refused([](json& g) { g["temperature_by"].erase("field"); }, "/generation_kwargs/temperature_by/field");
  refused([](json& g) { g["temperature_by"]["colour"] = 1; }, "/generation_kwargs/temperature_by/colour");
  refused([](json& g) { g["top_p"] = 0.0; }, "/generation_kwargs/top_p");
  refused([](json& g) { g["do_sample"] = true; }, "/generation_kwargs/do_sample");  // temperature 0
  refused([](json& g) { g.erase("temperature_by"); g["do_sample"] = true; g["temperature"] = -1; },
          "/generation_kwargs/temperature");
}
