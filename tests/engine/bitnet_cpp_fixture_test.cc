// Logits against bitnet.cpp's own, on the bitnet-tiny fixture it wrote (../shared).
//
// Tolerances, as measured (see the engine issue's closing note):
//  - F16 file (float path): every top-1 agrees; max |diff| 0.034 on logits of magnitude ~1.5,
//    the effect of bitnet.cpp's F16 KV cache and F16-rounded activations (ours are f32).
//  - I2_S file (W1.58A8): the int8 activation grid turns those last-bit differences into
//    whole quantization steps; per position the max |diff| is typically 0.03-0.06 (the same size
//    as the gap between bitnet.cpp's own I2_S and F16 outputs) with a few positions up to 0.4,
//    and top-1 agrees on 44 of 48 positions (the others have top-2 margins under 0.13).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <cstring>
#include <optional>

#include "engine/engine.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

struct FixtureResult {
  int top1_agree = 0;
  int positions = 0;
  double max_diff = 0;
  double median_position_diff = 0;
};

std::optional<FixtureResult> RunFixture(const std::string& model_file, const std::string& logits_file) {
  auto model_path = test::SharedData("fixtures/bitnet-tiny/" + model_file);
  auto logits_path = test::SharedData("fixtures/bitnet-tiny/" + logits_file);
  auto tokens_path = test::SharedData("fixtures/bitnet-tiny/tokens.txt");
  if (!model_path || !logits_path || !tokens_path) return std::nullopt;
  std::ifstream in(*tokens_path);
  std::vector<int32_t> tokens;
  for (int32_t t; in >> t;) tokens.push_back(t);
  REQUIRE(tokens.size() == 48);

  auto model = Model::Load(model_path->string());
  const int64_t V = model->config().n_vocab;
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 64;
  Session s(model, so);
  const auto ours = s.Eval(tokens, 0);
  const auto bytes = test::ReadFileBytes(*logits_path);
  REQUIRE(bytes.size() == ours.size() * sizeof(float));
  std::vector<float> ref(ours.size());
  std::memcpy(ref.data(), bytes.data(), bytes.size());

  FixtureResult r;
  std::vector<double> per_position;
  for (size_t t = 0; t < tokens.size(); ++t) {
    const float* a = ours.data() + t * V;
    const float* b = ref.data() + t * V;
    double d = 0;
    for (int64_t i = 0; i < V; ++i) d = std::max(d, std::fabs(static_cast<double>(a[i]) - b[i]));
    per_position.push_back(d);
    r.max_diff = std::max(r.max_diff, d);
    r.top1_agree += std::max_element(a, a + V) - a == std::max_element(b, b + V) - b;
    ++r.positions;
  }
  std::sort(per_position.begin(), per_position.end());
  r.median_position_diff = per_position[per_position.size() / 2];
  WARN(model_file << ": top-1 agreement " << r.top1_agree << "/" << r.positions << ", max |diff| " << r.max_diff
                  << ", median per-position max |diff| " << r.median_position_diff);
  return r;
}

}  // namespace

TEST_CASE("bitnet.cpp fixture, F16 weights: logits agree", "[fixture]") {
  auto r = RunFixture("tiny-f16.gguf", "logits-f16.f32");
  if (!r) return;
  CHECK(r->top1_agree == r->positions);
  CHECK(r->max_diff < 0.05);
}

TEST_CASE("bitnet.cpp fixture, I2_S weights: logits agree within the int8 activation grid", "[fixture]") {
  auto r = RunFixture("tiny-i2_s.gguf", "logits-i2_s.f32");
  if (!r) return;
  CHECK(r->top1_agree >= 44);
  CHECK(r->median_position_diff < 0.08);
  CHECK(r->max_diff < 0.5);
}

}  // namespace bitnet
