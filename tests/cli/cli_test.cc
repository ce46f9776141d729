// The bitnet-eval executable as scripts call it: outputs, files and exit codes.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/run_cli.h"
#include "tests/test_support.h"

namespace {

using bitnet::test::Exec;
using bitnet::test::Quote;
using Run = bitnet::test::CliRun;

}  // namespace

TEST_CASE("make-model is deterministic and inspect/logits/generate run on its output", "[cli]") {
  const auto dir = bitnet::test::TempDir("cli");
  const auto a = dir / "a.gguf", b = dir / "b.gguf";
  REQUIRE(Exec("make-model --shape tiny --type i2_s --seed 3 -t 1 --out " + Quote(a)).code == 0);
  REQUIRE(Exec("make-model --shape tiny --type i2_s --seed 3 -t 2 --out " + Quote(b)).code == 0);
  CHECK(bitnet::test::ReadFileBytes(a) == bitnet::test::ReadFileBytes(b));

  const Run info = Exec("inspect " + Quote(a));
  CHECK(info.code == 0);
  CHECK_THAT(info.out, Catch::Contains("bitnet-b1.58") && Catch::Contains("I2_S") &&
                           Catch::Contains("non-embedding linear weights: 1114112"));

  const auto logits = dir / "logits.f32";
  const Run l = Exec("logits --model " + Quote(a) + " --tokens \"1 2 3 4 5\" --out " + Quote(logits) + " -t 2");
  CHECK(l.code == 0);
  CHECK(std::filesystem::file_size(logits) == 5 * 1024 * sizeof(float));

  const Run g = Exec("generate --model " + Quote(a) + " --prompt Hello -n 5 -t 2");
  CHECK(g.code == 0);
  CHECK_THAT(g.out, Catch::Contains("5 generated"));

  const Run t = Exec("tokenize --model " + Quote(a) + " Hi");
  CHECK(t.code == 0);
  CHECK(t.out == "768 72 105\n");  // BOS (the first of the 256 specials at n_vocab - 256) then bytes H, i
}

TEST_CASE("corrupt and missing inputs exit with 2 and a message naming the file", "[cli]") {
  const auto dir = bitnet::test::TempDir("cli-bad");
  const auto good = dir / "good.gguf";
  REQUIRE(Exec("make-model --shape tiny --type i2_s --seed 1 --out " + Quote(good)).code == 0);
  auto bytes = bitnet::test::ReadFileBytes(good);
  bytes.resize(bytes.size() / 2);
  const auto cut = dir / "truncated.gguf";
  bitnet::test::WriteFileBytes(cut, bytes);
  for (const std::string cmd : {"inspect ", "logits --tokens 1 --out /dev/null --model ", "generate -p x --model "}) {
    const Run r = Exec(cmd + Quote(cut));
    INFO(r.out);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("truncated.gguf"));
  }
  const Run missing = Exec("inspect " + Quote(dir / "nope.gguf"));
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("nope.gguf"));
  CHECK(Exec("no-such-command").code == 2);
  CHECK(Exec("generate --bogus-option").code == 2);
  CHECK(Exec("logits --model " + Quote(good) + " --tokens \"1 x\" --out /dev/null").code == 2);
  CHECK(Exec("bench --model " + Quote(good) + " --kernel no-such-kernel -r 1 -p 1 -n 0").code == 2);
}

TEST_CASE("tokenize with the LLaMA-3 ranks file", "[cli]") {
  auto ranks = bitnet::test::SharedData("tokenizer/tokenizer.model");
  if (!ranks) return;
  const Run r = Exec("tokenize --tokenizer " + Quote(*ranks) + " \"Hello world\"");
  CHECK(r.code == 0);
  CHECK(r.out == "128000 9906 1917\n");
  const Run nb = Exec("tokenize --tokenizer " + Quote(*ranks) + " --no-bos \"Hello world\"");
  CHECK(nb.out == "9906 1917\n");
}
