// The engine's forward pass against the independent float reference, and its determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "engine/engine.h"
#include "tests/engine/reference_forward.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet {
namespace {

std::vector<int32_t> SomeTokens(int n, int32_t vocab) {
  std::vector<int32_t> t;
  for (int i = 0; i < n; ++i) t.push_back(static_cast<int32_t>((i * 7919 + 13) % vocab));
  return t;
}

struct Diff {
  double max_abs = 0, max_ref = 0;
  int top1_agree = 0;
};

Diff Compare(const std::vector<float>& a, const std::vector<float>& b, int64_t V) {
  Diff d;
  const int64_t T = static_cast<int64_t>(a.size()) / V;
  for (int64_t t = 0; t < T; ++t) {
    int64_t ia = 0, ib = 0;
    for (int64_t i = 0; i < V; ++i) {
      d.max_abs = std::max(d.max_abs, std::fabs(static_cast<double>(a[t * V + i]) - b[t * V + i]));
      d.max_ref = std::max(d.max_ref, std::fabs(static_cast<double>(b[t * V + i])));
      if (a[t * V + i] > a[t * V + ia]) ia = i;
      if (b[t * V + i] > b[t * V + ib]) ib = i;
    }
    d.top1_agree += ia == ib;
  }
  return d;
}

}  // namespace

// Tolerance: the engine accumulates in float and the reference in double. For ternary weights the
// int8 activation grid amplifies a last-bit difference into a one-step change of one activation
// when a value sits on a rounding boundary; 1e-3 of the logit range covers both on these shapes.
TEST_CASE("forward pass matches the float reference on tiny models of every weight type", "[forward]") {
  for (QuantType type : {QuantType::I2_S, QuantType::TQ2_0, QuantType::TQ1_0, QuantType::F16, QuantType::F32}) {
    DYNAMIC_SECTION("type " << GetQuantTraits(type).name) {
      auto model = Model::Load(test::SyntheticModelPath("tiny", type));
      const int64_t V = model->config().n_vocab;
      const auto tokens = SomeTokens(20, static_cast<int32_t>(V));
      SessionOptions so;
      so.n_threads = 2;
      so.n_ctx = 64;
      Session s(model, so);
      const auto got = s.Eval(tokens, 0);
      const auto want = test::ReferenceLogits(*model, tokens);
      const Diff d = Compare(got, want, V);
      INFO("max |diff| " << d.max_abs << " of max |logit| " << d.max_ref);
      CHECK(d.max_ref > 1.0);  // logits are not degenerate
      CHECK(d.max_abs <= 1e-3 * d.max_ref);
      CHECK(d.top1_agree == 20);
    }
  }
}

// Rows are split over threads without changing any row's arithmetic, so the thread count never
// changes a bit. The batch size picks GEMV or GEMM code paths whose float summation order may
// differ in SIMD variants; the generic kernels are invariant to it as well.
TEST_CASE("logits are bit-identical across thread counts (and batch sizes with generic kernels)", "[forward]") {
  auto model = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  const int64_t V = model->config().n_vocab;
  const auto tokens = SomeTokens(17, static_cast<int32_t>(V));
  for (const KernelTable* k : UsableKernels()) {
    std::vector<float> first_batch_base;
    for (int64_t batch : {1, 5, 64}) {
      std::vector<float> base;
      for (int threads : {1, 2, 3}) {
        SessionOptions so;
        so.n_threads = threads;
        so.n_batch = batch;
        so.n_ctx = 64;
        so.kernel = k->name;
        Session s(model, so);
        const auto got = s.Eval(tokens, 0);
        if (base.empty()) base = got;
        INFO("kernel " << k->name << ", threads " << threads << ", batch " << batch);
        REQUIRE(got.size() == base.size());
        CHECK(std::memcmp(got.data(), base.data(), got.size() * sizeof(float)) == 0);
      }
      if (first_batch_base.empty()) first_batch_base = base;
      const Diff d = Compare(base, first_batch_base, V);
      INFO("kernel " << k->name << ", batch " << batch << " vs batch 1: max |diff| " << d.max_abs);
      CHECK(d.max_abs <= 1e-4 * d.max_ref);
      if (std::string(k->name) == "generic")
        CHECK(std::memcmp(base.data(), first_batch_base.data(), base.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("logits only where asked", "[forward]") {
  auto model = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  const int64_t V = model->config().n_vocab;
  const auto tokens = SomeTokens(9, static_cast<int32_t>(V));
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 32;
  Session s(model, so);
  const auto all = s.Eval(tokens, 0);
  s.Reset();
  const auto tail = s.Eval(tokens, 6);
  REQUIRE(tail.size() == static_cast<size_t>(3 * V));
  CHECK(std::memcmp(tail.data(), all.data() + 6 * V, tail.size() * sizeof(float)) == 0);
  s.Reset();
  CHECK(s.Eval(tokens, 9).empty());
  CHECK(s.n_past() == 9);
}

TEST_CASE("context overflow and bad token ids are clean errors", "[forward]") {
  auto model = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  SessionOptions so;
  so.n_threads = 1;
  so.n_ctx = 8;
  Session s(model, so);
  std::vector<int32_t> ten(10, 1);
  CHECK_THROWS_AS(s.Eval(ten, 0), UsageError);
  s.Reset();
  std::vector<int32_t> bad = {1, static_cast<int32_t>(model->config().n_vocab)};
  CHECK_THROWS_WITH(s.Eval(bad, 0), Catch::Contains("outside the vocabulary"));
}

}  // namespace bitnet
