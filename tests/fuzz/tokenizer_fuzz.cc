// libFuzzer target: Tokenizer::Encode / Decode on arbitrary bytes, over small vocabularies of
// every kind the engine builds (byte-level BPE with each pre-tokenizer, BPE with merges and
// user-defined tokens, SentencePiece with byte fallback). The first input byte picks the
// vocabulary and the flags; the rest is the text. Promises checked: Decode(Encode(x)) == x
// (tokenizer.h), every id is in range, and decoding arbitrary ids either works or throws
// UsageError.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/gguf/gguf.h"
#include "engine/tokenizer/byte_unicode.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/vocab.h"
#include "engine/tokenizer/vocab_writer.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using bitnet::PreTokenizer;
using bitnet::Tokenizer;
namespace gguf = bitnet::gguf;
namespace tk = bitnet::tokenizer;

Tokenizer Load(const gguf::Writer& w, const PreTokenizer* pre = nullptr) {
  return Tokenizer::FromGguf(gguf::File::Parse(gguf::Mapping::FromBytes(w.ToBytes()), "vocab"), pre);
}

Tokenizer ByteLevel(PreTokenizer pre, int32_t n_vocab) {
  gguf::Writer w;
  bitnet::WriteByteLevelVocab(w, n_vocab);
  return Load(w, &pre);
}

// Bytes, a few merged tokens (ASCII and multi-byte), a user-defined and a control token.
Tokenizer WithMerges(PreTokenizer pre) {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  for (int b = 0; b < 256; ++b) {
    tokens.push_back(tk::BytesToGpt2(std::string(1, static_cast<char>(b))));
    types.push_back(tk::kTypeNormal);
  }
  const std::vector<std::pair<std::string, std::string>> merges = {
      {"a", "b"}, {"b", "c"}, {"ab", "c"}, {" ", "a"}, {"\xc3", "\xa9"}, {" a", "bc"}, {"1", "2"}, {"12", "3"}};
  std::vector<std::string> merge_strs;
  for (const auto& [l, r] : merges) {
    tokens.push_back(tk::BytesToGpt2(l + r));
    types.push_back(tk::kTypeNormal);
    merge_strs.push_back(tk::BytesToGpt2(l) + " " + tk::BytesToGpt2(r));
  }
  tokens.push_back("<tool>");
  types.push_back(tk::kTypeUserDefined);
  tokens.push_back("<|eot_id|>");
  types.push_back(tk::kTypeControl);
  gguf::Writer w;
  w.Set("tokenizer.ggml.model", gguf::Value::Str("gpt2"));
  w.Set("tokenizer.ggml.tokens", gguf::Value::StrArray(tokens));
  w.Set("tokenizer.ggml.token_type", gguf::Value::I32Array(types));
  w.Set("tokenizer.ggml.merges", gguf::Value::StrArray(merge_strs));
  return Load(w, &pre);
}

// SentencePiece: <unk>, <s>, </s>, the 256 byte tokens, some pieces with scores.
Tokenizer Spm() {
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<int32_t> types = {tk::kTypeUnknown, tk::kTypeControl, tk::kTypeControl};
  std::vector<float> scores = {0, 0, 0};
  char name[8];
  for (int b = 0; b < 256; ++b) {
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    tokens.push_back(name);
    types.push_back(tk::kTypeByte);
    scores.push_back(0);
  }
  const std::vector<std::string> pieces = {"\xe2\x96\x81", "a", "b", "ab", "\xe2\x96\x81" "a", "\xe2\x96\x81" "ab", "c\xc3\xa9", "\xc3\xa9"};
  for (size_t i = 0; i < pieces.size(); ++i) {
    tokens.push_back(pieces[i]);
    types.push_back(tk::kTypeNormal);
    scores.push_back(-static_cast<float>(i));
  }
  gguf::Writer w;
  w.Set("tokenizer.ggml.model", gguf::Value::Str("llama"));
  w.Set("tokenizer.ggml.tokens", gguf::Value::StrArray(tokens));
  w.Set("tokenizer.ggml.token_type", gguf::Value::I32Array(types));
  w.Set("tokenizer.ggml.scores", gguf::Value::F32Array(scores));
  w.Set("tokenizer.ggml.bos_token_id", gguf::Value::U32(1));
  w.Set("tokenizer.ggml.eos_token_id", gguf::Value::U32(2));
  w.Set("tokenizer.ggml.add_space_prefix", gguf::Value::Bool(false));
  return Load(w);
}

std::vector<Tokenizer> MakeAll() {
  std::vector<Tokenizer> all;
  for (PreTokenizer p : {PreTokenizer::kLlama3, PreTokenizer::kDefault, PreTokenizer::kQwen2, PreTokenizer::kSmolLM})
    all.push_back(ByteLevel(p, 300));
  all.push_back(ByteLevel(PreTokenizer::kLlama3, 600));  // with the 256 LLaMA-3 specials
  for (PreTokenizer p : {PreTokenizer::kLlama3, PreTokenizer::kDefault, PreTokenizer::kQwen2, PreTokenizer::kSmolLM})
    all.push_back(WithMerges(p));
  all.push_back(Spm());
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Tokenizer> tokenizers = MakeAll();
  if (size == 0) return 0;
  const Tokenizer& tok = tokenizers[data[0] % tokenizers.size()];
  const bool is_spm = data[0] % tokenizers.size() == tokenizers.size() - 1;
  const bool parse_special = (data[0] / tokenizers.size()) & 1;
  const bool add_bos = (data[0] / tokenizers.size()) & 2;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  const std::vector<int32_t> ids = tok.Encode(text, add_bos, parse_special);
  for (int32_t id : ids) bitnet::fuzz::Require(id >= 0 && id < tok.n_vocab());
  const bool bos_added = add_bos && tok.bos() >= 0;
  bitnet::fuzz::Require(!bos_added || (!ids.empty() && ids[0] == tok.bos()));
  const std::vector<int32_t> body(ids.begin() + (bos_added ? 1 : 0), ids.end());
  // SentencePiece writes spaces as U+2581, so text holding U+2581 itself cannot round-trip
  // (as in sentencepiece and llama.cpp).
  const bool spm_marker = is_spm && text.find("\xe2\x96\x81") != std::string_view::npos;
  if (!spm_marker && tok.Decode(body) != text) {
    std::fprintf(stderr, "round trip failed: %zu bytes in, %zu ids\n", text.size(), body.size());
    std::abort();
  }

  // The same bytes read as token ids (some out of range): decoded, or refused with UsageError.
  std::vector<int32_t> raw;
  for (size_t i = 0; i + 2 <= text.size() && raw.size() < 64; i += 2)
    raw.push_back(static_cast<int16_t>(static_cast<uint8_t>(text[i]) | static_cast<uint8_t>(text[i + 1]) << 8));
  bitnet::fuzz::ExpectOnlyProjectErrors([&] {
    (void)tok.Decode(raw, true);
    for (int32_t id : raw) (void)tok.TokenBytes(id);
  });
  return 0;
}
