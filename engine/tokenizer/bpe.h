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
  size_t n_merges() const { return n_merges_; }
  void Reserve(size_t n);

  // Appends the tokens of `piece` to `out`.
  void Encode(std::string_view piece, std::vector<int32_t>* out) const;

 private:
  // Open addressing (linear probing, power-of-two size, load <= 1/2): merge lookups dominate
  // encoding and a node-based map misses the cache on every one of them.
  struct Slot {
    uint64_t key;  // kEmpty when free
    int32_t rank;
    int32_t result;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t Key(int32_t l, int32_t r) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(l)) << 32) | static_cast<uint32_t>(r);
  }
  static size_t Hash(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<size_t>(k);
  }
  const Slot* Find(int32_t l, int32_t r) const;
  void Grow(size_t min_slots);

  std::array<int32_t, 256> byte_id_;
  std::vector<Slot> slots_;
  size_t n_merges_ = 0;
};

}  // namespace bitnet::tokenizer
