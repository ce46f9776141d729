// Log-likelihood requests longer than the context window are cut on the left of the context, as
// lm-eval's (context + continuation)[-(max_length + 1):][:-1], instead of failing the run.
#include <catch2/catch.hpp>

#include "datasets/loaders/data_dir.h"
#include "engine/model/synthetic.h"
#include "evals/core/requests.h"
#include "evals/runner/evaluate.h"
#include "tests/test_support.h"

using namespace bitnet;
using namespace bitnet::evals;

TEST_CASE("runner: a context longer than n_ctx is cut on the left, as lm-eval does", "[evals][runner]") {
  const std::string path = (test::TempDir("trunc") / "tiny.gguf").string();
  SyntheticOptions o;
  o.shape = ShapeByName("tiny");
  o.type = QuantType::I2_S;
  o.seed = 12;
  o.threads = 2;
  WriteSyntheticModel(o, path);
  auto model = Model::Load(path);
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 48;  // byte-level tiny tokenizer: every arc_easy prompt is longer
  Session session(model, so);
  const TaskConfig t = ResolveTasks({"arc_easy"}, DefaultTasksDir())[0];
  RunOptions ro;
  ro.limit = 2;
  const TaskDocs docs = LoadTaskDocs(t, datasets::SamplesDir(), 0);
  const TaskRun run = EvaluateTask(session, t, docs, ro);
  CHECK(run.truncated_prompts == static_cast<int64_t>(run.n_requests));
  // The first choice by hand: the last n_ctx + 1 tokens of context + continuation.
  const auto reqs = PlanRequests(t, docs, ro);
  const Request& r = reqs[0].requests[0];
  auto [ctx, cont] = EncodePair(model->RequireTokenizer(), r.context, r.continuation, true);
  REQUIRE(ctx.size() + cont.size() > 49);
  ctx.erase(ctx.begin(), ctx.end() - static_cast<std::ptrdiff_t>(49 - cont.size()));
  Session fresh(model, so);
  CHECK(fresh.ScoreTokens(ctx, cont).logprob == run.samples[0]["loglikelihoods"][0].get<double>());
}
