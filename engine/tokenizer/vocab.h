#pragma once
// LLaMA-3 vocabulary pieces shared by the tokenizer (Tokenizer::FromRanksFile) and the GGUF vocab
// writer (vocab_writer.h): the special-token list, the tiktoken ranks reader and the derivation
// of merges from ranks.
#include <cstdint>
#include <string>
#include <vector>

namespace bitnet::tokenizer {

// GGUF tokenizer.ggml.token_type values (llama.cpp's llama_token_type).
enum TokenType : int32_t {
  kTypeUndefined = 0,
  kTypeNormal = 1,
  kTypeUnknown = 2,
  kTypeControl = 3,
  kTypeUserDefined = 4,
  kTypeUnused = 5,
  kTypeByte = 6,
};

// The 256 special tokens that follow the 128000 ranks of LLaMA-3, in id order (128000..128255).
// This is the Llama-3 (3.0) list that BitNet b1.58 2B4T ships and that its GGUF holds
// (<|reserved_special_token_31|> = 128036, <|eot_id|> = 128009):
//   +0 <|begin_of_text|>  +1 <|end_of_text|>  +2..+5 <|reserved_special_token_0..3|>
//   +6 <|start_header_id|>  +7 <|end_header_id|>  +8 <|reserved_special_token_4|>  +9 <|eot_id|>
//   +10..+255 <|reserved_special_token_5..250|>
// (Llama-3.1 renamed a few reserved slots: +4 <|finetune_right_pad_id|>, +8 <|eom_id|>,
// +10 <|python_tag|>. Ids of bos/eos/eot are the same in both.)
const std::vector<std::string>& Llama3SpecialTokens();
inline constexpr int32_t kLlama3SpecialCount = 256;
inline constexpr int32_t kBeginOfTextOffset = 0;
inline constexpr int32_t kEndOfTextOffset = 1;
inline constexpr int32_t kEotOffset = 9;

// Reads a tiktoken ranks file ("<base64 bytes> <rank>" per line, blank lines ignored) and returns
// the token bytes indexed by rank. Ranks must be exactly 0..N-1, each bytes value unique, and all
// 256 single bytes present. Throws InputError(path, "line N", reason).
std::vector<std::string> ReadRanksFile(const std::string& path);

// The merges of a rank-ordered byte-level BPE vocabulary (`tokens[r]` = bytes of rank r), as the
// standard tiktoken -> Hugging Face conversion makes them (transformers' TikTokenConverter,
// which produced Meta-Llama-3's tokenizer.json and so the 280147 merges in the LLaMA-3 and BitNet
// GGUF files): for every token of two or more bytes, every split into two parts that are both
// tokens; ordered by the rank of the merged token, then by the ranks of the left and right parts.
// Merging by this list (lowest index first) is merging by lowest concatenation rank, with ties
// between different splits of the same token broken by (left rank, right rank).
struct DerivedMerge {
  int32_t left;
  int32_t right;
  int32_t result;
};
std::vector<DerivedMerge> DeriveMerges(const std::vector<std::string>& tokens);

// The chat template written by the vocab writer: BitNet b1.58 2B4T's format (docs/FORMATS.md §4),
// "<|begin_of_text|>System: ...<|eot_id|>User: ...<|eot_id|>Assistant: ".
const std::string& BitnetChatTemplate();

}  // namespace bitnet::tokenizer
