#include "engine/tokenizer/bpe.h"

#include <algorithm>

namespace bitnet::tokenizer {
namespace {

struct Symbol {
  int32_t id;    // current token (-1: merged away, or a byte without a token)
  int32_t prev;  // index of the previous live symbol, -1 at the start
  int32_t next;  // index of the next live symbol, -1 at the end
};

// A candidate merge of symbols `left` and `right` (adjacent when pushed). It is stale once either
// symbol changed: ids only ever grow, so equal ids plus adjacency mean the same pair.
struct Candidate {
  int32_t rank;
  int32_t left;
  int32_t right;
  int32_t left_id;
  int32_t right_id;
  int32_t result;
};

// std heap functions build a max-heap: "less" means "popped later": higher rank, or same rank
// further right.
struct PoppedLater {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.rank != b.rank ? a.rank > b.rank : a.left > b.left;
  }
};

struct Scratch {
  std::vector<Symbol> symbols;
  std::vector<Candidate> heap;
};

}  // namespace

BpeMerger::BpeMerger() { byte_id_.fill(-1); }

void BpeMerger::Reserve(size_t n) {
  size_t want = 16;
  while (want < 2 * n) want *= 2;
  if (want > slots_.size()) Grow(want);
}

void BpeMerger::Grow(size_t min_slots) {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(min_slots, Slot{kEmpty, 0, 0});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.key == kEmpty) continue;
    size_t i = Hash(s.key) & mask;
    while (slots_[i].key != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void BpeMerger::AddMerge(int32_t left, int32_t right, int32_t result, int32_t rank) {
  if (2 * (n_merges_ + 1) > slots_.size()) Grow(slots_.empty() ? 16 : 2 * slots_.size());
  const uint64_t key = Key(left, right);
  const size_t mask = slots_.size() - 1;
  size_t i = Hash(key) & mask;
  while (slots_[i].key != kEmpty) {
    if (slots_[i].key == key) return;  // keep the first rank
    i = (i + 1) & mask;
  }
  slots_[i] = Slot{key, rank, result};
  ++n_merges_;
}

const BpeMerger::Slot* BpeMerger::Find(int32_t l, int32_t r) const {
  if (slots_.empty()) return nullptr;
  const uint64_t key = Key(l, r);
  const size_t mask = slots_.size() - 1;
  for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.key == key) return &s;
    if (s.key == kEmpty) return nullptr;
  }
}

void BpeMerger::Encode(std::string_view piece, std::vector<int32_t>* out) const {
  const size_t n = piece.size();
  if (n == 0) return;
  if (n == 1) {
    const int32_t id = byte_id_[static_cast<uint8_t>(piece[0])];
    if (id >= 0) out->push_back(id);
    return;
  }
  thread_local Scratch scratch;
  std::vector<Symbol>& sym = scratch.symbols;
  std::vector<Candidate>& heap = scratch.heap;
  sym.resize(n);
  heap.clear();
  for (size_t i = 0; i < n; ++i) {
    sym[i] = Symbol{byte_id_[static_cast<uint8_t>(piece[i])], static_cast<int32_t>(i) - 1,
                    i + 1 < n ? static_cast<int32_t>(i + 1) : -1};
  }
  const PoppedLater cmp;
  auto try_push = [&](int32_t l, int32_t r) {
    if (l < 0 || r < 0 || sym[l].id < 0 || sym[r].id < 0) return;
    if (const Slot* m = Find(sym[l].id, sym[r].id)) {
      heap.push_back(Candidate{m->rank, l, r, sym[l].id, sym[r].id, m->result});
      std::push_heap(heap.begin(), heap.end(), cmp);
    }
  };
  for (size_t i = 0; i + 1 < n; ++i) try_push(static_cast<int32_t>(i), static_cast<int32_t>(i + 1));

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), cmp);
    const Candidate c = heap.back();
    heap.pop_back();
    Symbol& l = sym[c.left];
    Symbol& r = sym[c.right];
    if (l.next != c.right || l.id != c.left_id || r.id != c.right_id) continue;  // stale
    l.id = c.result;
    l.next = r.next;
    if (r.next >= 0) sym[r.next].prev = c.left;
    r.id = -1;
    r.prev = r.next = -1;
    try_push(l.prev, c.left);
    try_push(c.left, l.next);
  }
  // Symbol 0 is never merged away (it is always a left side), so the chain starts there.
  for (int32_t i = 0; i >= 0; i = sym[i].next) {
    if (sym[i].id >= 0) out->push_back(sym[i].id);
  }
}

}  // namespace bitnet::tokenizer
