#include "engine/tokenizer/lookup.h"

#include <atomic>
#include <functional>

namespace bitnet::tokenizer {
namespace {

size_t HashBytes(std::string_view s) { return std::hash<std::string_view>{}(s); }

struct CacheEntry {
  uint64_t owner = 0;  // 0: empty (serials start at 1)
  std::string key;
  std::vector<int32_t> ids;
};

std::vector<CacheEntry>& ThreadCache() {
  thread_local std::vector<CacheEntry> entries(PieceCache::kSlots);
  return entries;
}

}  // namespace

void TokenIndex::Build(const std::vector<std::string>* texts, const std::vector<bool>& include) {
  texts_ = texts;
  size_t n = 0;
  for (bool b : include) n += b;
  size_t size = 16;
  while (size < 2 * n) size *= 2;
  slots_.assign(size, -1);
  const size_t mask = size - 1;
  for (size_t id = 0; id < texts->size(); ++id) {
    if (!include[id]) continue;
    const std::string& t = (*texts)[id];
    size_t i = HashBytes(t) & mask;
    bool duplicate = false;
    while (slots_[i] >= 0) {
      if ((*texts)[slots_[i]] == t) {
        duplicate = true;
        break;
      }
      i = (i + 1) & mask;
    }
    if (!duplicate) slots_[i] = static_cast<int32_t>(id);
  }
}

int32_t TokenIndex::Find(std::string_view s) const {
  if (slots_.empty()) return -1;
  const size_t mask = slots_.size() - 1;
  for (size_t i = HashBytes(s) & mask;; i = (i + 1) & mask) {
    const int32_t id = slots_[i];
    if (id < 0) return -1;
    if ((*texts_)[id] == s) return id;
  }
}

uint64_t PieceCache::NewOwner() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

bool PieceCache::Lookup(uint64_t owner, std::string_view piece, std::vector<int32_t>* out) {
  const CacheEntry& e = ThreadCache()[HashBytes(piece) & (kSlots - 1)];
  if (e.owner != owner || e.key != piece) return false;
  out->insert(out->end(), e.ids.begin(), e.ids.end());
  return true;
}

void PieceCache::Store(uint64_t owner, std::string_view piece, const int32_t* ids, size_t n) {
  CacheEntry& e = ThreadCache()[HashBytes(piece) & (kSlots - 1)];
  e.owner = owner;
  e.key.assign(piece);
  e.ids.assign(ids, ids + n);
}

}  // namespace bitnet::tokenizer
