#pragma once
// LLaMA-3 byte-level BPE (GPT-2 byte encoding, rank-ordered merges) with special tokens.
// Built from GGUF metadata (tokenizer.ggml.tokens + merges) or from a tiktoken-style ranks file.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet {
namespace gguf { class File; }

// How text is split before BPE.
enum class PreTokenizer {
  kLlama3,   // the LLaMA-3 regex (Hugging Face, and so the paper's evaluation)
  kDefault,  // llama.cpp's default (GPT-2 style) split: what bitnet.cpp uses on the official
             // file because it lacks tokenizer.ggml.pre
  kQwen2,    // Qwen2/2.5/3 (and Bonsai): the LLaMA-3 regex with single digits
  kSmolLM,   // SmolLM/SmolLM2: digits split one by one, then the GPT-2 regex
};
std::string_view PreTokenizerName(PreTokenizer p);  // "llama3" | "default" | "qwen2" | "smollm"
PreTokenizer ParsePreTokenizer(std::string_view name);  // throws UsageError

class Tokenizer {
 public:
  // `pre` overrides the file's tokenizer.ggml.pre; by default LLaMA-3 when absent.
  static Tokenizer FromGguf(const gguf::File& file, const PreTokenizer* pre = nullptr);
  // tiktoken ranks file ("<base64 bytes> <rank>" per line) plus the 256 LLaMA-3 special tokens.
  static Tokenizer FromRanksFile(const std::string& path, PreTokenizer pre = PreTokenizer::kLlama3);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Special tokens written literally in `text` (e.g. "<|eot_id|>") become their ids when
  // parse_special is set. Invalid UTF-8 is encoded byte by byte (never an error, never a crash).
  // Details: control/unknown tokens are split out only with parse_special, user-defined tokens
  // always (as llama.cpp), unused tokens never; the longest special token at a position wins.
  // The rest is cut into maximal runs of strictly valid UTF-8 and single invalid bytes (stray
  // continuation bytes, truncated sequences, overlong forms, surrogates, > U+10FFFF, F5..FF):
  // each valid run is pre-tokenized and BPE-encoded on its own, each invalid byte becomes its
  // single-byte token. So Decode(Encode(x)) == x for any bytes x.
  // Thread-safe: Encode/Decode may run concurrently on one Tokenizer.
  std::vector<int32_t> Encode(std::string_view text, bool add_bos, bool parse_special = true) const;
  // Normal tokens give their bytes; control/unknown/unused tokens their text, or nothing with
  // skip_special; user-defined tokens always their text. Throws UsageError on an id out of range.
  std::string Decode(const std::vector<int32_t>& ids, bool skip_special = false) const;
  std::string TokenBytes(int32_t id) const;  // the raw bytes a token stands for

  int32_t n_vocab() const;
  int32_t bos() const;
  int32_t eos() const;
  int32_t eot() const;      // <|eot_id|> or -1
  bool add_bos() const;
  bool IsEog(int32_t id) const;  // end of generation: eos, eot, eom
  PreTokenizer pre_tokenizer() const;
  int32_t FindSpecial(std::string_view text) const;  // -1 when absent

  struct Impl;
 private:
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bitnet
