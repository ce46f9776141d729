#pragma once
// Pre-tokenization: splitting valid UTF-8 text into the pieces that BPE then encodes one by one.
// Regexes run through PCRE2 (UTF + UCP, JIT when available), compiled once per process.
//
//  kLlama3:  the single LLaMA-3 regex (docs/FORMATS.md §4, as in Meta's tokenizer.json).
//  kDefault: llama.cpp's LLAMA_VOCAB_PRE_TYPE_DEFAULT list for BPE vocabularies (src/llama-vocab.cpp,
//            llm_tokenizer_bpe): four regexes applied in sequence, each one inside every piece the
//            previous one produced; the text between two matches is kept as a piece of its own
//            (llama.cpp unicode_regex_split semantics). Lookaheads never see past a piece's end.
#include <memory>
#include <string_view>
#include <vector>

#include "engine/tokenizer/tokenizer.h"

namespace bitnet::tokenizer {

// The regexes used for `p`, in the order they are applied.
const std::vector<std::string_view>& PreTokenizerRegexes(PreTokenizer p);

class PreSplitter {
 public:
  // The process-wide splitter for `p` (compiled on first use; thread-safe).
  static const PreSplitter& Get(PreTokenizer p);

  // Appends the pieces of `text` (which must be valid UTF-8: it is not checked again) to `out`.
  // The pieces are views into `text` and cover it exactly, in order.
  void Split(std::string_view text, std::vector<std::string_view>* out) const;

  ~PreSplitter();
  struct Regex;

 private:
  explicit PreSplitter(PreTokenizer p);
  std::vector<std::unique_ptr<Regex>> stages_;
};

}  // namespace bitnet::tokenizer
