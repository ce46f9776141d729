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

TEST_CASE("compare-quants writes one architecture in several types and tabulates them", "[cli][quality]") {
  const auto dir = bitnet::test::TempDir("cli-cq");
  const auto text = dir / "text.txt", json = dir / "rows.json";
  {
    std::ofstream t(text);
    for (int i = 0; i < 12; ++i) t << "Pack my box with five dozen liquor jugs, number " << i << ".\n";
  }
  const auto r = Exec("compare-quants --shape tiny-gemma3 --types bf16,q8_0,q1_0_g128 --dir " + Quote(dir / "m") +
                      " --text " + Quote(text) + " -c 64 -t 1 -p 8 -n 2 -r 1 --json " + Quote(json));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("| BF16") && Catch::Contains("| Q8_0") && Catch::Contains("| Q1_0_G128"));
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  REQUIRE(j["rows"].size() == 3);
  CHECK(j["rows"][0]["bits_per_weight"].get<double>() == 16.0);
  CHECK(j["rows"][1]["bits_per_weight"].get<double>() == 8.5);
  CHECK(j["rows"][2]["bits_per_weight"].get<double>() == 1.125);
  CHECK(j["rows"][1]["kl_divergence_mean"].get<double>() < j["rows"][2]["kl_divergence_mean"].get<double>());
  CHECK(std::filesystem::exists(dir / "m" / "tiny-gemma3-Q8_0-seed1.gguf"));
  CHECK(Exec("compare-quants --shape tiny-gemma3 --types bf16,q9_9 --dir " + Quote(dir / "m")).code == 2);
}
