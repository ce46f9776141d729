#include "engine/tokenizer/vocab_writer.h"

#include <string>
#include <vector>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/tokenizer/byte_unicode.h"
#include "engine/tokenizer/vocab.h"

namespace bitnet {
namespace {

struct VocabBuilder {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  int32_t bos = -1, eos = -1, eot = -1;

  void Add(std::string text, int32_t type) {
    tokens.push_back(std::move(text));
    types.push_back(type);
  }
  void AddFillers(int32_t until) {
    for (int32_t k = 0; static_cast<int32_t>(tokens.size()) < until; ++k) {
      Add("<|filler_" + std::to_string(k) + "|>", tokenizer::kTypeUnused);
    }
  }
  void AddLlama3Specials() {
    const auto base = static_cast<int32_t>(tokens.size());
    for (const std::string& s : tokenizer::Llama3SpecialTokens()) Add(s, tokenizer::kTypeControl);
    bos = base + tokenizer::kBeginOfTextOffset;
    eos = base + tokenizer::kEndOfTextOffset;
    eot = base + tokenizer::kEotOffset;
  }

  void Write(gguf::Writer& w, std::vector<std::string> merges) {
    w.Set("tokenizer.ggml.model", gguf::Value::Str("gpt2"));
    w.Set("tokenizer.ggml.pre", gguf::Value::Str("llama-bpe"));
    w.Set("tokenizer.ggml.tokens", gguf::Value::StrArray(std::move(tokens)));
    w.Set("tokenizer.ggml.token_type", gguf::Value::I32Array(std::move(types)));
    w.Set("tokenizer.ggml.merges", gguf::Value::StrArray(std::move(merges)));
    w.Set("tokenizer.ggml.bos_token_id", gguf::Value::U32(static_cast<uint32_t>(bos)));
    w.Set("tokenizer.ggml.eos_token_id", gguf::Value::U32(static_cast<uint32_t>(eos)));
    w.Set("tokenizer.ggml.eot_token_id", gguf::Value::U32(static_cast<uint32_t>(eot)));
    w.Set("tokenizer.ggml.add_bos_token", gguf::Value::Bool(true));
    w.Set("tokenizer.chat_template", gguf::Value::Str(tokenizer::BitnetChatTemplate()));
  }
};

}  // namespace

void WriteRanksVocab(gguf::Writer& w, const std::string& ranks_path, int32_t n_vocab) {
  const std::vector<std::string> ranks = tokenizer::ReadRanksFile(ranks_path);
  const auto base = static_cast<int64_t>(ranks.size());
  if (n_vocab < base + tokenizer::kLlama3SpecialCount) {
    throw UsageError("WriteRanksVocab: n_vocab " + std::to_string(n_vocab) + " < " +
                     std::to_string(base) + " ranks + 256 special tokens");
  }
  const std::vector<tokenizer::DerivedMerge> derived = tokenizer::DeriveMerges(ranks);
  VocabBuilder b;
  b.tokens.reserve(static_cast<size_t>(n_vocab));
  b.types.reserve(static_cast<size_t>(n_vocab));
  for (const std::string& bytes : ranks) b.Add(tokenizer::BytesToGpt2(bytes), tokenizer::kTypeNormal);
  std::vector<std::string> merges;
  merges.reserve(derived.size());
  for (const tokenizer::DerivedMerge& m : derived) {
    merges.push_back(b.tokens[m.left] + " " + b.tokens[m.right]);
  }
  b.AddLlama3Specials();
  b.AddFillers(n_vocab);
  b.Write(w, std::move(merges));
}

void WriteByteLevelVocab(gguf::Writer& w, int32_t n_vocab) {
  if (n_vocab < 259) {
    throw UsageError("WriteByteLevelVocab: n_vocab " + std::to_string(n_vocab) +
                     " < 259 (256 bytes + bos/eos/eot)");
  }
  VocabBuilder b;
  for (int byte = 0; byte < 256; ++byte) {
    b.Add(tokenizer::BytesToGpt2(std::string(1, static_cast<char>(byte))), tokenizer::kTypeNormal);
  }
  if (n_vocab >= 256 + tokenizer::kLlama3SpecialCount) {
    b.AddFillers(n_vocab - tokenizer::kLlama3SpecialCount);
    b.AddLlama3Specials();
  } else {
    const std::vector<std::string>& names = tokenizer::Llama3SpecialTokens();
    b.AddFillers(n_vocab - 3);
    b.bos = n_vocab - 3;
    b.eos = n_vocab - 2;
    b.eot = n_vocab - 1;
    b.Add(names[tokenizer::kBeginOfTextOffset], tokenizer::kTypeControl);
    b.Add(names[tokenizer::kEndOfTextOffset], tokenizer::kTypeControl);
    b.Add(names[tokenizer::kEotOffset], tokenizer::kTypeControl);
  }
  b.Write(w, {});
}

}  // namespace bitnet
