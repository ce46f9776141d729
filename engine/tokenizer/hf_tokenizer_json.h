#pragma once
// Hugging Face tokenizers' `tokenizer.json` (plus the optional `tokenizer_config.json` beside it)
// turned into the GGUF tokenizer keys llama.cpp's converter writes, so a Hugging Face checkpoint
// directory (engine/model/hf_checkpoint.h) carries the same tokenizer as its GGUF.
//
// Supported: byte-level BPE ("model": {"type": "BPE"} with a byte-level decoder/pre-tokenizer),
// the vocabularies of LLaMA-3 / BitNet b1.58 2B4T, Qwen2/2.5/3, SmolLM2 and GPT-2-style files.
// The pre-tokenizer is recognised from the file (its Split regex, or Digits + ByteLevel) and
// written as tokenizer.ggml.pre ("llama-bpe", "qwen2", "smollm", "default"); anything else, such
// as SentencePiece-converted files (byte_fallback, a "▁" normalizer), is refused with the JSON
// path and what was found.
//
// Keys written: tokenizer.ggml.model "gpt2", .pre, .tokens (normal tokens in the GPT-2 unicode
// form the file stores; added tokens as their text), .token_type (added "special" tokens control,
// other added tokens user-defined, ids missing from the file "[PAD<id>]" unused, as llama.cpp's
// converter), .merges ("left right", array-form merges joined), .bos/.eos/.eot_token_id,
// .add_bos_token, tokenizer.chat_template when tokenizer_config.json has one.
// bos/eos come from tokenizer_config.json's bos_token/eos_token, else config.json's ids;
// add_bos from tokenizer_config.json's add_bos_token, else from the post-processor (a template
// that starts with the bos token adds it).
#include <cstdint>
#include <filesystem>

namespace bitnet::gguf { class Writer; }

namespace bitnet {

// Writes the keys above for the tokenizer in `dir` (dir/tokenizer.json required). `n_vocab` is
// the model's vocabulary size (embedding rows): token ids must be below it; the list is padded to
// it. Throws FormatError naming the file and JSON path on anything malformed or unsupported.
void WriteHfTokenizer(gguf::Writer& w, const std::filesystem::path& dir, int64_t n_vocab);

}  // namespace bitnet
