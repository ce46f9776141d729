#include "engine/tokenizer/spm.h"

#include <queue>

#include "engine/tokenizer/byte_unicode.h"

namespace bitnet::tokenizer {
namespace {

constexpr std::string_view kSpace = "\xE2\x96\x81";  // U+2581

struct Symbol {
  size_t begin = 0, len = 0;  // bytes of the text; len 0 once merged into its left neighbour
  int prev = -1, next = -1;
};

struct Bigram {
  int left, right;
  float score;
  size_t len;
  // Highest score first; on ties the leftmost pair.
  bool operator<(const Bigram& o) const { return score < o.score || (score == o.score && left > o.left); }
};

}  // namespace

void SpmEncoder::AddToken(const std::string& text, int32_t id, float score) {
  tokens_.emplace(text, Entry{id, score});  // the first id of a text wins
}

void SpmEncoder::SetByteToken(uint8_t byte, int32_t id) {
  if (!bytes_set_) byte_tokens_.fill(-1);
  bytes_set_ = true;
  if (byte_tokens_[byte] < 0) byte_tokens_[byte] = id;
}

const SpmEncoder::Entry* SpmEncoder::Find(std::string_view text) const {
  auto it = tokens_.find(std::string(text));
  return it == tokens_.end() ? nullptr : &it->second;
}

void SpmEncoder::Encode(std::string_view text, std::vector<int32_t>* out) const {
  std::vector<Symbol> sym;
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text.substr(i));
    if (n == 0) n = 1;  // an invalid byte is a symbol of its own (it falls back to its byte token)
    sym.push_back({i, n, static_cast<int>(sym.size()) - 1, static_cast<int>(sym.size()) + 1});
    i += n;
  }
  if (sym.empty()) return;
  sym.back().next = -1;
  std::priority_queue<Bigram> queue;
  std::unordered_map<std::string, std::pair<int, int>> rev_merge;  // merged text -> its two parts
  auto try_add = [&](int l, int r) {
    if (l < 0 || r < 0) return;
    const std::string_view s = text.substr(sym[l].begin, sym[l].len + sym[r].len);
    const Entry* e = Find(s);
    if (!e) return;
    queue.push({l, r, e->score, s.size()});
    rev_merge[std::string(s)] = {l, r};
  };
  for (size_t i = 1; i < sym.size(); ++i) try_add(static_cast<int>(i) - 1, static_cast<int>(i));
  while (!queue.empty()) {
    const Bigram b = queue.top();
    queue.pop();
    Symbol& l = sym[b.left];
    Symbol& r = sym[b.right];
    if (l.len == 0 || r.len == 0 || l.len + r.len != b.len) continue;  // stale
    l.len += r.len;
    r.len = 0;
    l.next = r.next;
    if (r.next >= 0) sym[r.next].prev = b.left;
    try_add(l.prev, b.left);
    try_add(b.left, l.next);
  }
  // Emit each final piece: a token, or split back along its merges, or bytes.
  // The split point of a merged piece is where its right part began; rev_merge keeps symbol
  // indices whose `begin` never changes, so the parts are [begin, right.begin) and [right.begin, end).
  auto split = [&](auto&& self, size_t begin, size_t len) -> void {
    const std::string_view s = text.substr(begin, len);
    if (const Entry* e = Find(s)) {
      out->push_back(e->id);
      return;
    }
    auto it = rev_merge.find(std::string(s));
    if (it != rev_merge.end()) {
      const size_t mid = sym[it->second.second].begin;
      self(self, begin, mid - begin);
      self(self, mid, begin + len - mid);
      return;
    }
    for (unsigned char c : s)
      if (bytes_set_ && byte_tokens_[c] >= 0) out->push_back(byte_tokens_[c]);
  };
  for (int i = 0; i != -1; i = sym[i].next)
    if (sym[i].len > 0) split(split, sym[i].begin, sym[i].len);
}

std::string EscapeSpmWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ') {
      out += kSpace;
    } else {
      out += c;
    }
  }
  return out;
}

std::string UnescapeSpmWhitespace(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, kSpace.size(), kSpace) == 0) {
      out += ' ';
      i += kSpace.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace bitnet::tokenizer
