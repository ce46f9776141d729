#pragma once
// Puts a tokenizer into a GGUF being written (used by the synthetic-model generator). Both
// vocabularies load with Tokenizer::FromGguf and round-trip any text.
//
// Keys written: tokenizer.ggml.model ("gpt2"), tokenizer.ggml.pre ("llama-bpe"),
// tokenizer.ggml.tokens, tokenizer.ggml.token_type, tokenizer.ggml.merges,
// tokenizer.ggml.bos_token_id / eos_token_id / eot_token_id (<|begin_of_text|>, <|end_of_text|>,
// <|eot_id|>), tokenizer.ggml.add_bos_token (true) and tokenizer.chat_template (BitNet b1.58 2B4T's
// "Role: content<|eot_id|>" format).
#include <cstdint>
#include <string>

namespace bitnet::gguf { class Writer; }

namespace bitnet {

// The LLaMA-3 vocabulary from a tiktoken ranks file: the N ranks as tokens 0..N-1 (GPT-2 unicode
// strings, type normal), merges derived from the ranks (tokenizer/vocab.h DeriveMerges: the
// standard tiktoken -> Hugging Face conversion, 280147 merges for LLaMA-3), then the 256 LLaMA-3
// special tokens at N.. (type control). If n_vocab is larger than N + 256 the rest are filler
// tokens "<|filler_K|>" of type unused. Throws UsageError if n_vocab < N + 256, InputError on a bad
// ranks file.
void WriteRanksVocab(gguf::Writer& w, const std::string& ranks_path, int32_t n_vocab);

// A byte-level vocabulary without merges (every byte is its own token): tokens 0..255 are the
// bytes 0..255 (GPT-2 unicode strings, type normal); then filler tokens "<|filler_K|>" (type
// unused, K = 0, 1, ...); then the specials:
//  - n_vocab >= 512: the 256 LLaMA-3 specials at n_vocab-256.. (for n_vocab = 128256 every special
//    has its LLaMA-3 id: bos 128000, eos 128001, eot 128009);
//  - 259 <= n_vocab < 512: only <|begin_of_text|>, <|end_of_text|>, <|eot_id|> at n_vocab-3..-1.
// tokenizer.ggml.merges is written as an empty array (llama.cpp requires the key for gpt2).
// Throws UsageError if n_vocab < 259.
void WriteByteLevelVocab(gguf::Writer& w, int32_t n_vocab);

}  // namespace bitnet
