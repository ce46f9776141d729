#include "engine/tokenizer/vocab.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <string_view>
#include <unordered_map>

#include "common/error.h"

namespace bitnet::tokenizer {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with '=' padding (the length must be a multiple of 4).
bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  if (in.empty() || in.size() % 4 != 0) return false;
  size_t pad = 0;
  while (pad < 2 && in[in.size() - 1 - pad] == '=') ++pad;
  for (size_t i = 0; i < in.size(); i += 4) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = in[i + k];
      int d;
      if (c == '=' && i + 4 == in.size() && k >= 4 - pad) {
        d = 0;
      } else if ((d = Base64Value(c)) < 0) {
        return false;
      }
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    const size_t n = (i + 4 == in.size()) ? 3 - pad : 3;
    for (size_t k = 0; k < n; ++k) out->push_back(static_cast<char>((v >> (16 - 8 * k)) & 0xFF));
  }
  return true;
}

}  // namespace

const std::vector<std::string>& Llama3SpecialTokens() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    v.reserve(kLlama3SpecialCount);
    int reserved = 0;
    auto next_reserved = [&] { return "<|reserved_special_token_" + std::to_string(reserved++) + "|>"; };
    for (int i = 0; i < kLlama3SpecialCount; ++i) {
      switch (i) {
        case 0: v.push_back("<|begin_of_text|>"); break;
        case 1: v.push_back("<|end_of_text|>"); break;
        case 6: v.push_back("<|start_header_id|>"); break;
        case 7: v.push_back("<|end_header_id|>"); break;
        case 9: v.push_back("<|eot_id|>"); break;
        default: v.push_back(next_reserved()); break;
      }
    }
    return v;
  }();
  return names;
}

std::vector<std::string> ReadRanksFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "open", std::strerror(errno));
  std::vector<std::string> tokens;
  std::vector<bool> seen;
  std::unordered_map<std::string, size_t> rank_of;
  std::string line, bytes;
  size_t line_no = 0;
  auto fail = [&](const std::string& why) {
    throw InputError(path, "line " + std::to_string(line_no), why);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t sp = line.find(' ');
    if (sp == std::string::npos) fail("expected \"<base64> <rank>\"");
    if (!DecodeBase64(std::string_view(line).substr(0, sp), &bytes)) fail("bad base64");
    std::string_view rank_text = std::string_view(line).substr(sp + 1);
    uint64_t rank = 0;
    auto [ptr, ec] = std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (ec != std::errc() || ptr != rank_text.data() + rank_text.size()) fail("bad rank");
    if (rank >= (1u << 24)) fail("rank " + std::to_string(rank) + " is too large");
    if (rank >= tokens.size()) {
      tokens.resize(rank + 1);
      seen.resize(rank + 1, false);
    }
    if (seen[rank]) fail("rank " + std::to_string(rank) + " appears twice");
    if (!rank_of.emplace(bytes, rank).second) fail("token bytes appear twice");
    seen[rank] = true;
    tokens[rank] = bytes;
  }
  if (in.bad()) throw InputError(path, "read", std::strerror(errno));
  if (tokens.empty()) throw InputError(path, "line 0", "no tokens");
  for (size_t r = 0; r < seen.size(); ++r) {
    if (!seen[r]) throw InputError(path, "rank " + std::to_string(r), "missing (ranks must be dense)");
  }
  for (int b = 0; b < 256; ++b) {
    if (!rank_of.count(std::string(1, static_cast<char>(b)))) {
      throw InputError(path, "byte " + std::to_string(b), "no single-byte token");
    }
  }
  return tokens;
}

std::vector<DerivedMerge> DeriveMerges(const std::vector<std::string>& tokens) {
  std::unordered_map<std::string_view, int32_t> rank_of;
  rank_of.reserve(tokens.size() * 2);
  for (size_t r = 0; r < tokens.size(); ++r) {
    rank_of.emplace(tokens[r], static_cast<int32_t>(r));
  }
  std::vector<DerivedMerge> merges;
  merges.reserve(tokens.size() * 3);
  std::vector<DerivedMerge> local;
  // Going through the ranks in order makes the list sorted by the merged token's rank.
  for (size_t r = 0; r < tokens.size(); ++r) {
    std::string_view t = tokens[r];
    if (t.size() < 2) continue;
    local.clear();
    for (size_t k = 1; k < t.size(); ++k) {
      auto l = rank_of.find(t.substr(0, k));
      if (l == rank_of.end()) continue;
      auto rr = rank_of.find(t.substr(k));
      if (rr == rank_of.end()) continue;
      local.push_back(DerivedMerge{l->second, rr->second, static_cast<int32_t>(r)});
    }
    std::sort(local.begin(), local.end(), [](const DerivedMerge& a, const DerivedMerge& b) {
      return a.left != b.left ? a.left < b.left : a.right < b.right;
    });
    merges.insert(merges.end(), local.begin(), local.end());
  }
  return merges;
}

const std::string& BitnetChatTemplate() {
  static const std::string tmpl =
      "{% for message in messages %}"
      "{% if loop.first %}{{ bos_token }}{% endif %}"
      "{{ message['role'] | capitalize }}: {{ message['content'] }}<|eot_id|>"
      "{% endfor %}"
      "{% if add_generation_prompt %}Assistant: {% endif %}";
  return tmpl;
}

}  // namespace bitnet::tokenizer
