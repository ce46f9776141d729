#pragma once
// Rank-ordered byte-pair merging over token ids.
//
// A piece (raw bytes) starts as one symbol per byte (that byte's token). The adjacent pair with
// the lowest merge rank is merged, ties going to the leftmost pair, until no adjacent pair has a
// merge. This is llama.cpp's llm_tokenizer_bpe_session and Hugging Face's BPE; with merges derived
// from tiktoken ranks (see vocab.h, DeriveMerges) it is tiktoken's "merge the pair whose
// concatenation has the lowest rank". A priority queue with lazy invalidation keeps long pieces
// (thousands of spaces, say) at O(n log n).
#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bitnet::tokenizer {

class BpeMerger {
 public:
  BpeMerger();

  // The token of single byte `b` (-1: none; such bytes are dropped, which a byte-level vocabulary
  // never needs).
  void SetByteToken(uint8_t b, int32_t id) { byte_id_[b] = id; }
  int32_t ByteToken(uint8_t b) const { return byte_id_[b]; }

  // left + right -> result at `rank` (lower merges first). A pair already present keeps its
  // first (lower) rank, as in llama.cpp.
  void AddMerge(int32_t left, int32_t right, int32_t result, int32_t rank);
  size_t n_merges() const { return merges_.size(); }
  void Reserve(size_t n) { merges_.reserve(n); }

  // Appends the tokens of `piece` to `out`.
  void Encode(std::string_view piece, std::vector<int32_t>* out) const;

 private:
  struct Merge {
    int32_t rank;
    int32_t result;
  };
  static uint64_t Key(int32_t l, int32_t r) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(l)) << 32) | static_cast<uint32_t>(r);
  }
  const Merge* Find(int32_t l, int32_t r) const {
    auto it = merges_.find(Key(l, r));
    return it == merges_.end() ? nullptr : &it->second;
  }

  std::array<int32_t, 256> byte_id_;
  std::unordered_map<uint64_t, Merge> merges_;
};

}  // namespace bitnet::tokenizer
