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

void BpeMerger::AddMerge(int32_t left, int32_t right, int32_t result, int32_t rank) {
  merges_.emplace(Key(left, right), Merge{rank, result});
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
    if (const Merge* m = Find(sym[l].id, sym[r].id)) {
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
