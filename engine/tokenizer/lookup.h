#pragma once
// Lookups on the encoding hot path, laid out for the cache:
//  - TokenIndex: token bytes -> id in a flat open-addressing table of ids (4 bytes a slot).
//  - PieceCache: a per-thread, direct-mapped cache of BPE results for short pieces. Bounded
//    (kSlots entries per thread, each overwritten on a collision), lock-free, and keyed by the
//    owning tokenizer's unique serial so a destroyed tokenizer's entries can never be reused.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet::tokenizer {

class TokenIndex {
 public:
  // Indexes texts[id] for every id with include[id]; the lowest id wins for duplicate texts.
  void Build(const std::vector<std::string>* texts, const std::vector<bool>& include);
  int32_t Find(std::string_view s) const;  // -1 when absent

 private:
  const std::vector<std::string>* texts_ = nullptr;
  std::vector<int32_t> slots_;  // -1: free
};

class PieceCache {
 public:
  static constexpr size_t kSlots = 8192;
  static constexpr size_t kMaxPieceBytes = 48;

  // A serial no other tokenizer in this process has had.
  static uint64_t NewOwner();

  // Appends the cached ids of `piece` for `owner` to `out` and returns true on a hit.
  static bool Lookup(uint64_t owner, std::string_view piece, std::vector<int32_t>* out);
  static void Store(uint64_t owner, std::string_view piece, const int32_t* ids, size_t n);
};

}  // namespace bitnet::tokenizer
