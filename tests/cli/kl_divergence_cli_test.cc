// bitnet-eval kl-divergence: the report, its JSON, and exit code 2 on bad input.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"
#include "tests/test_support.h"

using bitnet::test::Exec;
using bitnet::test::Quote;

TEST_CASE("kl-divergence compares a quantized synthetic model with its BF16 original", "[cli][quality]") {
  const auto dir = bitnet::test::TempDir("cli-kld");
  const auto base = dir / "bf16.gguf", quant = dir / "q4_k.gguf", text = dir / "text.txt";
  REQUIRE(Exec("make-model --shape tiny-qwen2 --type bf16 --seed 2 -t 2 --out " + Quote(base)).code == 0);
  REQUIRE(Exec("make-model --shape tiny-qwen2 --type q4_k --seed 2 -t 2 --out " + Quote(quant)).code == 0);
  {
    std::ofstream t(text);
    for (int i = 0; i < 20; ++i) t << "The quick brown fox jumps over the lazy dog, line " << i << ".\n";
  }
  const auto json = dir / "kld.json";
  const auto r = Exec("kl-divergence --base " + Quote(base) + " --model " + Quote(quant) + " --text " + Quote(text) +
                      " -c 64 -t 2 --json " + Quote(json));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Mean KLD") && Catch::Contains("Same top p") && Catch::Contains("PPL(model)"));
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  CHECK(j["n_ctx"] == 64);
  CHECK(j["kl_divergence"]["mean"].get<double>() > 0.0);
  CHECK(j["top1_agreement"]["mean"].get<double>() > 0.5);
  CHECK(j["n_tokens_scored"].get<int>() == j["n_chunks"].get<int>() * 31);

  const auto bad = Exec("kl-divergence --base " + Quote(base) + " --model " + Quote(quant) + " --text " +
                        Quote(dir / "missing.txt") + " -c 64");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("missing.txt"));
}
