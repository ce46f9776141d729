// SentencePiece-style vocabularies (tokenizer.ggml.model "llama"): llama.cpp's test-tokenizer-0
// cases for its LLaMA SPM vocabulary (../shared/data/tokenizer/ggml-vocab-llama-spm.gguf and its
// .inp/.out), and the pieces of the algorithm (space prefix, score order, byte fallback).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "engine/gguf/gguf.h"
#include "engine/tokenizer/spm.h"
#include "engine/tokenizer/tokenizer.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

using Ids = std::vector<int32_t>;

struct Case {
  std::string text;
  Ids ids;
};

std::vector<Case> LoadCases(const std::filesystem::path& inp, const std::filesystem::path& outp) {
  const auto in_bytes = test::ReadFileBytes(inp);
  const std::string all(in_bytes.begin(), in_bytes.end());
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<Case> cases;
  for (size_t pos = 0; pos < all.size();) {
    const size_t end = all.find(sep, pos);
    if (end == std::string::npos) break;
    cases.push_back(Case{all.substr(pos, end - pos), {}});
    pos = end + sep.size();
  }
  std::ifstream out(outp);
  std::string line;
  for (size_t i = 0; std::getline(out, line) && i < cases.size(); ++i) {
    std::istringstream ss(line);
    for (int32_t id; ss >> id;) cases[i].ids.push_back(id);
  }
  return cases;
}

}  // namespace

TEST_CASE("SPM vocabulary: llama.cpp's test-tokenizer-0 cases", "[tokenizer][spm]") {
  auto vocab = test::SharedData("tokenizer/ggml-vocab-llama-spm.gguf");
  auto inp = test::SharedData("tokenizer/ggml-vocab-llama-spm.gguf.inp");
  auto outp = test::SharedData("tokenizer/ggml-vocab-llama-spm.gguf.out");
  if (!vocab || !inp || !outp) return;
  const gguf::File f = gguf::File::Open(vocab->string());
  const Tokenizer tok = Tokenizer::FromGguf(f);
  CHECK(tok.n_vocab() == 32000);
  CHECK(tok.bos() == 1);
  CHECK(tok.add_bos());
  const std::vector<Case> cases = LoadCases(*inp, *outp);
  REQUIRE(cases.size() >= 40);
  int matched = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i << ": '" << cases[i].text << "'");
    const Ids got = tok.Encode(cases[i].text, /*add_bos=*/false, /*parse_special=*/false);
    CHECK(got == cases[i].ids);
    matched += got == cases[i].ids;
    // Decoding gives the text back with the prefix space the encoder added (llama.cpp strips it
    // only when asked).
    if (!cases[i].text.empty()) CHECK(tok.Decode(got) == " " + cases[i].text);
  }
  CHECK(matched == static_cast<int>(cases.size()));
  // BOS, and a special token written literally.
  CHECK(tok.Encode("Hello", true).front() == 1);
  const Ids with_special = tok.Encode("a</s>b", false, true);
  CHECK(std::find(with_special.begin(), with_special.end(), 2) != with_special.end());
}

TEST_CASE("SPM merges by score, leftmost first, and falls back to byte tokens", "[tokenizer][spm]") {
  tokenizer::SpmEncoder e;
  e.AddToken("a", 10, -1.0f);
  e.AddToken("b", 11, -1.0f);
  e.AddToken("ab", 12, -2.0f);
  e.AddToken("bb", 13, -0.5f);  // higher score than "ab"
  e.AddToken("\xE2\x96\x81", 14, -3.0f);
  e.SetByteToken('c', 3);
  e.SetByteToken('d', 4);
  Ids out;
  e.Encode("abb", &out);  // "bb" (score -0.5) merges before "ab" (-2)
  CHECK(out == Ids{10, 13});
  out.clear();
  e.Encode("abab", &out);  // equal scores: leftmost first -> ab, ab
  CHECK(out == Ids{12, 12});
  out.clear();
  e.Encode("cd\xE2\x96\x81", &out);  // no tokens for c, d: their byte tokens
  CHECK(out == Ids{3, 4, 14});
  CHECK(tokenizer::EscapeSpmWhitespace(" a b") == "\xE2\x96\x81" "a\xE2\x96\x81" "b");
  CHECK(tokenizer::UnescapeSpmWhitespace("\xE2\x96\x81" "a") == " a");
}

}  // namespace bitnet
