#pragma once
// SentencePiece-style BPE as llama.cpp runs it for `tokenizer.ggml.model = "llama"` vocabularies
// (LLaMA 1/2, Gemma, MiniCPM, 1bitLLM): the text (spaces already escaped as U+2581 "▁") is cut
// into UTF-8 characters; the adjacent pair whose concatenation is a token with the highest score
// is merged first (ties: the leftmost), until no pair is a token; each final piece that is not a
// token is split back along its merges, and characters that are not tokens fall back to their
// byte tokens "<0xXX>".
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bitnet::tokenizer {

class SpmEncoder {
 public:
  // A token by its text as stored in the vocabulary (with "▁"), and its merge score.
  void AddToken(const std::string& text, int32_t id, float score);
  void SetByteToken(uint8_t byte, int32_t id);
  // Encodes already-escaped text; appends ids.
  void Encode(std::string_view text, std::vector<int32_t>* out) const;

 private:
  struct Entry {
    int32_t id;
    float score;
  };
  const Entry* Find(std::string_view text) const;
  std::unordered_map<std::string, Entry> tokens_;
  std::array<int32_t, 256> byte_tokens_{};
  bool bytes_set_ = false;
};

// " " -> "▁" (U+2581), as llama.cpp's llama_escape_whitespace.
std::string EscapeSpmWhitespace(std::string_view text);
// "▁" -> " " (token text to raw bytes).
std::string UnescapeSpmWhitespace(std::string_view text);

}  // namespace bitnet::tokenizer
