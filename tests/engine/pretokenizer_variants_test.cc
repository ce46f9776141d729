// The Qwen2 and SmolLM pre-tokenizers (the splits their GGUF files name in tokenizer.ggml.pre),
// against splits worked out by hand from their regexes, and their selection from the file.
#include <catch2/catch.hpp>

#include "engine/gguf/gguf.h"
#include "engine/tokenizer/pretokenizer.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/vocab_writer.h"

namespace bitnet {
namespace {

std::vector<std::string> Split(PreTokenizer p, std::string_view text) {
  std::vector<std::string_view> pieces;
  tokenizer::PreSplitter::Get(p).Split(text, &pieces);
  return {pieces.begin(), pieces.end()};
}

}  // namespace

TEST_CASE("qwen2 and smollm pre-tokenizers split digits one by one", "[tokenizer]") {
  using V = std::vector<std::string>;
  CHECK(Split(PreTokenizer::kLlama3, "abc 12345") == V{"abc", " ", "123", "45"});
  CHECK(Split(PreTokenizer::kQwen2, "abc 12345") == V{"abc", " ", "1", "2", "3", "4", "5"});
  CHECK(Split(PreTokenizer::kQwen2, "I'M here\n\n  x") == V{"I", "'M", " here", "\n\n", " ", " x"});
  // SmolLM: digits first (each its own piece), then GPT-2's regex inside the rest.
  CHECK(Split(PreTokenizer::kSmolLM, "Hello world 2024!") ==
        V{"Hello", " world", " ", "2", "0", "2", "4", "!"});
  CHECK(Split(PreTokenizer::kSmolLM, "it's  ok") == V{"it", "'s", " ", " ok"});
}

TEST_CASE("tokenizer.ggml.pre selects qwen2, smollm and falcon3", "[tokenizer]") {
  auto pre_of = [](const char* name) {
    gguf::Writer w;
    WriteByteLevelVocab(w, 300);
    w.Set("tokenizer.ggml.pre", gguf::Value::Str(name));
    const gguf::File f = gguf::File::Parse(gguf::Mapping::FromBytes(w.ToBytes()), "mem");
    return Tokenizer::FromGguf(f).pre_tokenizer();
  };
  CHECK(pre_of("qwen2") == PreTokenizer::kQwen2);
  CHECK(pre_of("smollm") == PreTokenizer::kSmolLM);
  CHECK(pre_of("falcon3") == PreTokenizer::kLlama3);
  CHECK(PreTokenizerName(PreTokenizer::kQwen2) == "qwen2");
  CHECK(ParsePreTokenizer("smollm") == PreTokenizer::kSmolLM);
}

}  // namespace bitnet
