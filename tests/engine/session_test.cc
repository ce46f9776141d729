// Session API: Score, prefix reuse, Generate (greedy, sampling, stops), chat format, EncodePair.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/engine.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet {
namespace {

std::shared_ptr<const Model> Tiny() { return Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S)); }

SessionOptions Opts(int64_t n_ctx = 128) {
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = n_ctx;
  return so;
}

}  // namespace

TEST_CASE("ScoreTokens sums the log-softmax of each continuation token", "[session]") {
  auto model = Tiny();
  const int64_t V = model->config().n_vocab;
  Session s(model, Opts());
  const std::vector<int32_t> ctx = {model->RequireTokenizer().bos(), 72, 101, 108};
  const std::vector<int32_t> cont = {108, 111, 33};
  const ScoreResult r = s.ScoreTokens(ctx, cont);

  std::vector<int32_t> all = ctx;
  all.insert(all.end(), cont.begin(), cont.end());
  Session fresh(model, Opts());
  const auto logits = fresh.Eval(all, 0);
  double want = 0;
  bool greedy = true;
  for (size_t i = 0; i < cont.size(); ++i) {
    const float* row = logits.data() + (ctx.size() - 1 + i) * V;
    want += LogProb(row, V, cont[i]);
    greedy = greedy && Argmax(row, V) == cont[i];
  }
  CHECK(r.logprob == Approx(want).epsilon(1e-9));
  CHECK(r.greedy == greedy);
  CHECK(r.token_logprobs.size() == 3);
  CHECK(r.logprob < 0);

  // A continuation made of the greedy tokens is greedy.
  std::vector<int32_t> g = ctx;
  std::vector<int32_t> gcont;
  for (int i = 0; i < 3; ++i) {
    Session tmp(model, Opts());
    const auto l = tmp.Eval(g, static_cast<int64_t>(g.size()) - 1);
    gcont.push_back(Argmax(l.data(), V));
    g.push_back(gcont.back());
  }
  CHECK(s.ScoreTokens(ctx, gcont).greedy);
}

TEST_CASE("prefix reuse gives the same scores as a fresh session", "[session]") {
  auto model = Tiny();
  Session shared(model, Opts());
  const std::vector<int32_t> ctx = {1, 50, 60, 70, 80, 90};
  const std::vector<std::vector<int32_t>> choices = {{100, 101}, {102}, {103, 104, 105}};
  for (const auto& c : choices) {
    const ScoreResult a = shared.ScoreTokens(ctx, c);
    Session fresh(model, Opts());
    const ScoreResult b = fresh.ScoreTokens(ctx, c);
    CHECK(a.logprob == Approx(b.logprob).epsilon(1e-5));
    CHECK(a.greedy == b.greedy);
  }
  // After the first choice only the last context token and the continuation are recomputed.
  const ScoreResult again = shared.ScoreTokens(ctx, choices[0]);
  CHECK(again.n_evaluated == 2);
}

TEST_CASE("EncodePair moves trailing context whitespace into the continuation", "[session]") {
  auto model = Tiny();
  const Tokenizer& tok = model->RequireTokenizer();
  auto [ctx, cont] = EncodePair(tok, "Question: 2+2=  ", "4", /*add_bos=*/true);
  CHECK(ctx.front() == tok.bos());
  std::vector<int32_t> ctx_body(ctx.begin() + 1, ctx.end());
  CHECK(tok.Decode(ctx_body) == "Question: 2+2=");
  CHECK(tok.Decode(cont) == "  4");
  auto [ctx2, cont2] = EncodePair(tok, "", "abc", /*add_bos=*/false);
  CHECK(ctx2 == std::vector<int32_t>{tok.eos()});
  CHECK(tok.Decode(cont2) == "abc");
}

TEST_CASE("Generate is deterministic, honours stops, and samples reproducibly by seed", "[session]") {
  auto model = Tiny();
  Session s(model, Opts(256));
  GenerateOptions go;
  go.max_tokens = 24;
  const GenerateResult a = s.Generate("Hello", go);
  const GenerateResult b = s.Generate("Hello", go);
  CHECK(a.text == b.text);
  CHECK(a.tokens == b.tokens);
  CHECK(a.stop_reason == "max_tokens");
  CHECK(a.tokens.size() == 24);
  CHECK(a.n_prompt_tokens == 6);  // BOS + 5 byte tokens

  // A stop string taken from the greedy output cuts the text right before it.
  REQUIRE(a.text.size() >= 6);
  GenerateOptions stop = go;
  stop.stop = {a.text.substr(3, 2)};
  const GenerateResult c = s.Generate("Hello", stop);
  CHECK(c.stop_reason == "stop");
  CHECK(c.text == a.text.substr(0, a.text.find(stop.stop[0])));

  GenerateOptions sample = go;
  sample.sampling.temperature = 1.0f;
  sample.sampling.top_k = 40;
  sample.sampling.top_p = 0.95f;
  sample.sampling.seed = 42;
  const GenerateResult d1 = s.Generate("Hello", sample);
  const GenerateResult d2 = s.Generate("Hello", sample);
  CHECK(d1.tokens == d2.tokens);
  sample.sampling.seed = 43;
  const GenerateResult d3 = s.Generate("Hello", sample);
  CHECK(d3.tokens != d1.tokens);
}

TEST_CASE("Generate stops at the context limit", "[session]") {
  auto model = Tiny();
  Session s(model, Opts(12));
  GenerateOptions go;
  go.max_tokens = 100;
  const GenerateResult r = s.Generate("Hi", go);  // 3 prompt tokens
  CHECK(r.stop_reason == "context");
  CHECK(r.tokens.size() == 10);
}

TEST_CASE("the 2B4T chat format", "[session]") {
  const std::string p = FormatChat2B4T({{"system", "Be brief."}, {"user", "Hi"}}, true);
  CHECK(p == "<|begin_of_text|>System: Be brief.<|eot_id|>User: Hi<|eot_id|>Assistant: ");
  CHECK(FormatChat2B4T({{"user", "Q"}, {"assistant", "A"}}, false) ==
        "<|begin_of_text|>User: Q<|eot_id|>Assistant: A<|eot_id|>");
}

TEST_CASE("Sampler: greedy is argmax, top-k 1 is greedy, distribution follows temperature", "[session]") {
  std::vector<float> logits = {0.1f, 2.0f, 1.0f, 2.0f};
  Sampler greedy({});
  CHECK(greedy.Sample(logits.data(), 4) == 1);  // lowest index among equal maxima
  SamplingParams k1;
  k1.temperature = 5.0f;
  k1.top_k = 1;
  Sampler s1(k1);
  for (int i = 0; i < 20; ++i) CHECK(s1.Sample(logits.data(), 4) == 1);
  SamplingParams hot;
  hot.temperature = 1.0f;
  hot.seed = 9;
  Sampler s2(hot);
  int counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4000; ++i) counts[s2.Sample(logits.data(), 4)]++;
  // p = softmax(logits) = 0.059, 0.397, 0.146, 0.397
  CHECK(std::abs(counts[0] / 4000.0 - 0.0594) < 0.03);
  CHECK(std::abs(counts[1] - counts[3]) < 250);
  CHECK(counts[2] > counts[0]);
}

}  // namespace bitnet
