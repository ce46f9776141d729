// KL divergence / top-1 / perplexity of one model against another (harness/quant_quality.h):
// the formulas on hand-computed rows, and whole runs on tiny synthetic models.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/engine.h"
#include "engine/model/synthetic.h"
#include "harness/quant_quality.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

std::string Tiny(QuantType type) {
  static const auto dir = test::TempDir("quality");
  const std::string path = (dir / (std::string(GetQuantTraits(type).name) + ".gguf")).string();
  if (!std::filesystem::exists(path)) {
    SyntheticOptions o;
    o.shape = ShapeByName("tiny-llama");
    o.type = type;
    o.seed = 3;
    o.threads = 2;
    WriteSyntheticModel(o, path);
  }
  return path;
}

std::vector<int32_t> Text(int n) {
  std::vector<int32_t> t;
  for (int i = 0; i < n; ++i) t.push_back(0x20 + (i * 29 + 7) % 95);
  return t;
}

}  // namespace

TEST_CASE("KL, top-1, perplexity and delta-p of hand-computed rows", "[quality]") {
  quality::Accumulator acc;
  const float p[] = {0.0f, 0.0f};                      // P = (1/2, 1/2)
  const float q[] = {static_cast<float>(std::log(3.0)), 0.0f};  // Q = (3/4, 1/4)
  acc.Add(p, q, 2, 0);
  acc.Add(q, q, 2, 1);  // identical rows: KL 0
  const quality::Summary s = acc.Finish(1);
  CHECK(s.n_tokens == 2);
  const double kl0 = 0.5 * std::log(4.0 / 3.0);  // 0.5 ln(0.5/0.75) + 0.5 ln(0.5/0.25)
  CHECK(s.kl_mean == Approx(kl0 / 2).epsilon(1e-6));
  CHECK(s.kl_max == Approx(kl0).epsilon(1e-6));
  CHECK(s.top1 == 1.0);  // argmax of P (first of a tie: 0) = argmax of Q (0); second row identical
  // next tokens: 0 under (P, Q) = (1/2, 3/4); 1 under (Q, Q) = (1/4, 1/4)
  CHECK(s.ppl_base == Approx(std::exp((std::log(2.0) + std::log(4.0)) / 2)));
  CHECK(s.ppl_quant == Approx(std::exp((std::log(4.0 / 3.0) + std::log(4.0)) / 2)));
  CHECK(s.ln_ppl_ratio == Approx((std::log(4.0 / 3.0) - std::log(2.0)) / 2));
  CHECK(s.delta_p_mean == Approx(0.25 / 2));
  quality::Accumulator swapped;
  const float a[] = {1.0f, 0.0f}, b[] = {0.0f, 1.0f};
  swapped.Add(a, b, 2, 0);
  CHECK(swapped.Finish(1).top1 == 0.0);
}

TEST_CASE("a model against itself has zero KL; coarser formats diverge more", "[quality]") {
  auto bf16 = Model::Load(Tiny(QuantType::BF16));
  quality::Options o;
  o.n_ctx = 32;
  o.n_threads = 2;
  const auto text = Text(200);
  const quality::Summary self = quality::Compare(bf16, bf16, text, true, 509, o);
  CHECK(self.n_chunks == 200 / 31);
  CHECK(self.n_tokens == self.n_chunks * 15);  // positions 16..30 of each chunk
  CHECK(self.kl_max == 0.0);
  CHECK(self.top1 == 1.0);
  CHECK(self.ppl_base == self.ppl_quant);
  const quality::Summary q8 = quality::Compare(bf16, Model::Load(Tiny(QuantType::Q8_0)), text, true, 509, o);
  const quality::Summary q4 = quality::Compare(bf16, Model::Load(Tiny(QuantType::Q4_0)), text, true, 509, o);
  INFO("KL Q8_0 " << q8.kl_mean << ", Q4_0 " << q4.kl_mean);
  CHECK(q8.kl_mean > 0.0);
  CHECK(q8.kl_mean < 0.01);
  CHECK(q4.kl_mean > 5 * q8.kl_mean);
  CHECK(q8.top1 > 0.9);
  o.max_chunks = 2;
  CHECK(quality::Compare(bf16, bf16, text, true, 509, o).n_chunks == 2);
}

TEST_CASE("mismatched vocabularies and short texts are usage errors", "[quality]") {
  auto a = Model::Load(Tiny(QuantType::BF16));
  SyntheticOptions o;
  o.shape = ShapeByName("tiny");
  o.type = QuantType::F16;
  o.threads = 2;
  const std::string other = (test::TempDir("quality-other") / "tiny.gguf").string();
  WriteSyntheticModel(o, other);
  quality::Options opts;
  opts.n_ctx = 32;
  CHECK_THROWS_WITH(quality::Compare(a, Model::Load(other), Text(100), true, 509, opts),
                    Catch::Contains("vocabularies differ"));
  CHECK_THROWS_WITH(quality::Compare(a, a, Text(10), true, 509, opts), Catch::Contains("fewer than one chunk"));
}

}  // namespace bitnet
