// Tokenizer pieces that need no shared data: the GPT-2 byte table, UTF-8 validation, the two
// pre-tokenizers, and whole tokenizers built from the byte-level vocabulary writer.
#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/tokenizer/byte_unicode.h"
#include "engine/tokenizer/pretokenizer.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/vocab.h"
#include "engine/tokenizer/vocab_writer.h"

namespace bitnet {
namespace {

using tokenizer::PreSplitter;

std::vector<std::string> Split(PreTokenizer p, std::string_view text) {
  std::vector<std::string_view> views;
  PreSplitter::Get(p).Split(text, &views);
  return std::vector<std::string>(views.begin(), views.end());
}

using Pieces = std::vector<std::string>;

Tokenizer ByteLevel(int32_t n_vocab, const PreTokenizer* pre = nullptr) {
  gguf::Writer w;
  WriteByteLevelVocab(w, n_vocab);
  gguf::File f = gguf::File::Parse(gguf::Mapping::FromBytes(w.ToBytes()), "mem");
  return Tokenizer::FromGguf(f, pre);
}

std::string RandomBytes(std::mt19937& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

}  // namespace

TEST_CASE("GPT-2 byte table is a bijection with the known values", "[tokenizer]") {
  std::set<uint32_t> seen;
  for (int b = 0; b < 256; ++b) {
    const uint32_t cp = tokenizer::ByteToCodepoint(static_cast<uint8_t>(b));
    CHECK(tokenizer::CodepointToByte(cp) == b);
    seen.insert(cp);
  }
  CHECK(seen.size() == 256);
  CHECK(tokenizer::ByteToCodepoint(' ') == 0x120);   // 'Ġ'
  CHECK(tokenizer::ByteToCodepoint('\n') == 0x10A);  // 'Ċ'
  CHECK(tokenizer::ByteToCodepoint('\t') == 0x109);  // 'ĉ'
  CHECK(tokenizer::ByteToCodepoint(0x00) == 0x100);
  CHECK(tokenizer::ByteToCodepoint(0x7F) == 0x121);
  CHECK(tokenizer::ByteToCodepoint(0xAD) == 0x143);  // soft hyphen -> 'Ń'
  CHECK(tokenizer::ByteToCodepoint('A') == 'A');
  CHECK(tokenizer::ByteToCodepoint(0xE9) == 0xE9);
  CHECK(tokenizer::BytesToGpt2(" Hello\n") == "\xC4\xA0Hello\xC4\x8A");
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    const std::string s = RandomBytes(rng, 64);
    bool exact = false;
    CHECK(tokenizer::Gpt2ToBytes(tokenizer::BytesToGpt2(s), &exact) == s);
    CHECK(exact);
  }
}

TEST_CASE("UTF-8 validation is strict", "[tokenizer]") {
  using tokenizer::Utf8SequenceLength;
  CHECK(Utf8SequenceLength("a") == 1);
  CHECK(Utf8SequenceLength("\xC3\xA9") == 2);
  CHECK(Utf8SequenceLength("\xE4\xBD\xA0") == 3);
  CHECK(Utf8SequenceLength("\xF0\x9F\xA6\x99") == 4);
  CHECK(Utf8SequenceLength("\xFF") == 0);
  CHECK(Utf8SequenceLength("\x80") == 0);
  CHECK(Utf8SequenceLength("\xC0\xAF") == 0);              // overlong '/'
  CHECK(Utf8SequenceLength("\xE0\x80\xAF") == 0);          // overlong
  CHECK(Utf8SequenceLength("\xF0\x80\x80\xAF") == 0);      // overlong
  CHECK(Utf8SequenceLength("\xED\xA0\x80") == 0);          // surrogate U+D800
  CHECK(Utf8SequenceLength("\xF4\x90\x80\x80") == 0);      // U+110000
  CHECK(Utf8SequenceLength("\xE4\xBD") == 0);              // truncated
  CHECK(Utf8SequenceLength(std::string_view("\xE4\xBD" "a")) == 0);
}

TEST_CASE("LLaMA-3 pre-tokenizer pieces", "[tokenizer]") {
  const PreTokenizer p = PreTokenizer::kLlama3;
  CHECK(Split(p, "Hello world") == Pieces{"Hello", " world"});
  CHECK(Split(p, "1234567") == Pieces{"123", "456", "7"});
  CHECK(Split(p, " 1234") == Pieces{" ", "123", "4"});
  CHECK(Split(p, "I'M don't") == Pieces{"I", "'M", " don", "'t"});
  CHECK(Split(p, "a   b") == Pieces{"a", "  ", " b"});
  CHECK(Split(p, "a \n\n b") == Pieces{"a", " \n\n", " b"});
  CHECK(Split(p, "x  ") == Pieces{"x", "  "});
  CHECK(Split(p, " (hi)") == Pieces{" (", "hi", ")"});
  CHECK(Split(p, "$100") == Pieces{"$", "100"});
  CHECK(Split(p, "你好世界") == Pieces{"你好世界"});
  CHECK(Split(p, "").empty());
}

TEST_CASE("default (llama.cpp) pre-tokenizer pieces and where it differs", "[tokenizer]") {
  const PreTokenizer p = PreTokenizer::kDefault;
  const auto& regexes = tokenizer::PreTokenizerRegexes(p);
  REQUIRE(regexes.size() == 4);
  CHECK(regexes[0] == R"([\p{P}\$\+<=>\^~\|]+)");
  CHECK(regexes[1] == R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))");
  CHECK(regexes[2] == R"(\p{N}+)");
  CHECK(regexes[3] == R"([0-9][0-9][0-9])");
  CHECK(Split(p, "Hello world") == Pieces{"Hello", " world"});
  CHECK(Split(p, "Hello, world!") == Pieces{"Hello", ",", " world", "!"});
  CHECK(Split(p, "1234567") == Pieces{"123", "456", "7"});
  // Differences from LLaMA-3 (verified against llama.cpp's unicode_regex_split semantics):
  // the first regex cuts every run of punctuation out before the GPT-2 regex runs, so
  // contractions lose their apostrophe, and "\p{N}+" separates the space before a number.
  CHECK(Split(p, "I'M don't") == Pieces{"I", "'", "M", " don", "'", "t"});
  CHECK(Split(p, " (hi)") == Pieces{" ", "(", "hi", ")"});
  CHECK(Split(p, "x 42") == Pieces{"x", " ", "42"});
  CHECK(Split(p, "a   b") == Pieces{"a", "  ", " b"});
  CHECK(Split(p, "+=>a") == Pieces{"+=>", "a"});
  CHECK(Split(p, "`a") == Pieces{"`", "a"});  // ` is a symbol (Sk), not in the first class
}

TEST_CASE("pre-tokenizers cover long runs without failing", "[tokenizer]") {
  for (PreTokenizer p : {PreTokenizer::kLlama3, PreTokenizer::kDefault}) {
    for (const std::string& s : {std::string(200000, ' '), std::string(200000, 'a'),
                                 std::string(100000, '!'), std::string(50000, '\n') + "x"}) {
      const Pieces pieces = Split(p, s);
      std::string joined;
      for (const auto& piece : pieces) joined += piece;
      CHECK(joined == s);
    }
  }
}

TEST_CASE("ParsePreTokenizer and names", "[tokenizer]") {
  CHECK(ParsePreTokenizer("llama3") == PreTokenizer::kLlama3);
  CHECK(ParsePreTokenizer("llama-bpe") == PreTokenizer::kLlama3);
  CHECK(ParsePreTokenizer("default") == PreTokenizer::kDefault);
  CHECK(PreTokenizerName(PreTokenizer::kDefault) == "default");
  CHECK(PreTokenizerName(PreTokenizer::kLlama3) == "llama3");
  CHECK_THROWS_AS(ParsePreTokenizer("gpt4"), UsageError);
}

TEST_CASE("LLaMA-3 special token list", "[tokenizer]") {
  const auto& s = tokenizer::Llama3SpecialTokens();
  REQUIRE(s.size() == 256);
  CHECK(s[0] == "<|begin_of_text|>");
  CHECK(s[1] == "<|end_of_text|>");
  CHECK(s[2] == "<|reserved_special_token_0|>");
  CHECK(s[5] == "<|reserved_special_token_3|>");
  CHECK(s[6] == "<|start_header_id|>");
  CHECK(s[7] == "<|end_header_id|>");
  CHECK(s[8] == "<|reserved_special_token_4|>");
  CHECK(s[9] == "<|eot_id|>");
  CHECK(s[36] == "<|reserved_special_token_31|>");  // 128036 in BitNet 2B4T's GGUF
  CHECK(s[255] == "<|reserved_special_token_250|>");
}

TEST_CASE("byte-level vocabulary with LLaMA-3 special ids", "[tokenizer]") {
  const Tokenizer tok = ByteLevel(128256);
  CHECK(tok.n_vocab() == 128256);
  CHECK(tok.bos() == 128000);
  CHECK(tok.eos() == 128001);
  CHECK(tok.eot() == 128009);
  CHECK(tok.add_bos());
  CHECK(tok.pre_tokenizer() == PreTokenizer::kLlama3);
  CHECK(tok.FindSpecial("<|start_header_id|>") == 128006);
  CHECK(tok.FindSpecial("<|filler_0|>") == 256);
  CHECK(tok.FindSpecial("nope") == -1);
  CHECK(tok.IsEog(128001));
  CHECK(tok.IsEog(128009));
  CHECK_FALSE(tok.IsEog(128000));
  CHECK_FALSE(tok.IsEog(-1));

  CHECK(tok.Encode("", false).empty());
  CHECK(tok.Encode("", true) == std::vector<int32_t>{128000});
  CHECK(tok.Encode("Ab", true) == std::vector<int32_t>{128000, 'A', 'b'});
  CHECK(tok.Encode("a<|eot_id|>b", false) == std::vector<int32_t>{'a', 128009, 'b'});
  const std::string literal = "a<|eot_id|>b";
  const auto unparsed = tok.Encode(literal, false, /*parse_special=*/false);
  CHECK(unparsed.size() == literal.size());
  CHECK(tok.Decode(unparsed) == literal);
  // Fillers are "unused": never parsed from text, decoded as text unless skipped.
  CHECK(tok.Encode("<|filler_3|>", false).size() == 12);
  CHECK(tok.Decode({259}) == "<|filler_3|>");
  CHECK(tok.Decode({259, 'x'}, /*skip_special=*/true) == "x");
  CHECK(tok.Decode({128000, 'h', 'i', 128009}) == "<|begin_of_text|>hi<|eot_id|>");
  CHECK(tok.Decode({128000, 'h', 'i', 128009}, true) == "hi");
  CHECK(tok.TokenBytes(' ') == " ");
  CHECK(tok.TokenBytes(0xFF) == "\xFF");
  CHECK_THROWS_AS(tok.Decode({128256}), UsageError);

  std::mt19937 rng(1234);
  for (int i = 0; i < 200; ++i) {
    const std::string s = RandomBytes(rng, rng() % 300);
    INFO("seed 1234, iteration " << i);
    CHECK(tok.Decode(tok.Encode(s, false, false)) == s);
    const auto ids = tok.Encode(s, false, false);
    CHECK(ids.size() == s.size());
  }
}

TEST_CASE("tiny byte-level vocabulary keeps only bos/eos/eot", "[tokenizer]") {
  const Tokenizer tok = ByteLevel(300);
  CHECK(tok.n_vocab() == 300);
  CHECK(tok.bos() == 297);
  CHECK(tok.eos() == 298);
  CHECK(tok.eot() == 299);
  CHECK(tok.FindSpecial("<|start_header_id|>") == -1);
  CHECK(tok.Encode("x<|end_of_text|>", true) == std::vector<int32_t>{297, 'x', 298});
  const std::string s = "caf\xC3\xA9 \xFF\xFE \xE4\xBD \xF0\x9F\xA6\x99";
  CHECK(tok.Decode(tok.Encode(s, true), true) == s);
  const Tokenizer smallest = ByteLevel(259);
  CHECK(smallest.bos() == 256);
  CHECK_THROWS_AS(ByteLevel(258), UsageError);
  const Tokenizer mid = ByteLevel(512);
  CHECK(mid.bos() == 256);
  CHECK(mid.eot() == 265);
}

TEST_CASE("explicit pre-tokenizer overrides the file", "[tokenizer]") {
  const PreTokenizer def = PreTokenizer::kDefault;
  const Tokenizer tok = ByteLevel(300, &def);
  CHECK(tok.pre_tokenizer() == PreTokenizer::kDefault);
  CHECK(tok.Decode(tok.Encode("I'M don't 12345", false)) == "I'M don't 12345");
}

TEST_CASE("FromGguf rejects what it cannot serve", "[tokenizer]") {
  auto parse = [](const gguf::Writer& w) {
    return gguf::File::Parse(gguf::Mapping::FromBytes(w.ToBytes()), "mem");
  };
  {
    gguf::Writer w;
    WriteByteLevelVocab(w, 300);
    w.Set("tokenizer.ggml.model", gguf::Value::Str("bert"));  // WordPiece: not served
    CHECK_THROWS_AS(Tokenizer::FromGguf(parse(w)), FormatError);
  }
  {
    gguf::Writer w;
    WriteByteLevelVocab(w, 300);
    w.Set("tokenizer.ggml.pre", gguf::Value::Str("deepseek-llm"));
    CHECK_THROWS_AS(Tokenizer::FromGguf(parse(w)), FormatError);
    const PreTokenizer p = PreTokenizer::kLlama3;
    CHECK_NOTHROW(Tokenizer::FromGguf(parse(w), &p));
  }
  {
    gguf::Writer w;
    WriteByteLevelVocab(w, 300);
    w.Set("tokenizer.ggml.eos_token_id", gguf::Value::U32(300));
    CHECK_THROWS_AS(Tokenizer::FromGguf(parse(w)), FormatError);
  }
  {
    gguf::Writer w;
    WriteByteLevelVocab(w, 300);
    w.Set("tokenizer.ggml.token_type", gguf::Value::I32Array({1, 1}));
    CHECK_THROWS_AS(Tokenizer::FromGguf(parse(w)), FormatError);
  }
  {
    gguf::Writer w;
    WriteByteLevelVocab(w, 300);
    w.Set("tokenizer.ggml.merges", gguf::Value::StrArray({"nospace"}));
    CHECK_THROWS_AS(Tokenizer::FromGguf(parse(w)), FormatError);
  }
  {
    gguf::Writer w;  // no tokenizer at all
    w.Set("general.architecture", gguf::Value::Str("bitnet-b1.58"));
    CHECK_THROWS_AS(Tokenizer::FromGguf(parse(w)), FormatError);
  }
}

TEST_CASE("merges from a GGUF drive BPE by rank", "[tokenizer]") {
  // A hand-made vocabulary: bytes, then "ab", "bc", "abc"; merge ranks make "b c" win over "a b".
  gguf::Writer w;
  std::vector<std::string> tokens;
  for (int b = 0; b < 256; ++b) tokens.push_back(tokenizer::BytesToGpt2(std::string(1, char(b))));
  tokens.push_back("ab");
  tokens.push_back("bc");
  tokens.push_back("abc");
  tokens.push_back(tokenizer::BytesToGpt2(" a"));
  w.Set("tokenizer.ggml.model", gguf::Value::Str("gpt2"));
  w.Set("tokenizer.ggml.tokens", gguf::Value::StrArray(tokens));
  w.Set("tokenizer.ggml.merges",
        gguf::Value::StrArray({"b c", "a b", "a bc", tokenizer::BytesToGpt2(" ") + " a"}));
  gguf::File f = gguf::File::Parse(gguf::Mapping::FromBytes(w.ToBytes()), "mem");
  const PreTokenizer def = PreTokenizer::kDefault;
  const Tokenizer tok = Tokenizer::FromGguf(f, &def);
  CHECK(tok.bos() == -1);
  CHECK_FALSE(tok.add_bos());
  CHECK(tok.Encode("abc", true) == std::vector<int32_t>{258});          // a + bc -> abc
  CHECK(tok.Encode("ab", false) == std::vector<int32_t>{256});
  CHECK(tok.Encode("abab", false) == std::vector<int32_t>{256, 256});   // leftmost first
  CHECK(tok.Encode("abcbc", false) == std::vector<int32_t>{258, 257});
  // " ab": "a b" (rank 1) beats "Ġ a" (rank 3), and " " + "ab" has no merge.
  CHECK(tok.Encode("x ab", false) == std::vector<int32_t>{'x', ' ', 256});
  CHECK(tok.Encode("x ac", false) == std::vector<int32_t>{'x', 259, 'c'});
}

}  // namespace bitnet
