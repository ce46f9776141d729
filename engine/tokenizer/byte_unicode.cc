#include "engine/tokenizer/byte_unicode.h"

#include <array>

namespace bitnet::tokenizer {
namespace {

// Bytes that GPT-2 shows as themselves: '!'..'~', U+00A1..U+00AC, U+00AE..U+00FF. The other 68
// bytes (controls, space, DEL, U+0080..U+00A0, soft hyphen) get U+0100, U+0101, ... in byte order.
bool PrintsAsItself(int b) {
  return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

struct Tables {
  std::array<uint32_t, 256> byte_to_cp{};
  std::array<int16_t, 256 + 68> cp_to_byte{};  // every mapped code point is < 256 + 68
  std::array<std::string, 256> byte_to_utf8;
  Tables() {
    cp_to_byte.fill(-1);
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      uint32_t cp = PrintsAsItself(b) ? static_cast<uint32_t>(b) : next++;
      byte_to_cp[b] = cp;
      cp_to_byte[cp] = static_cast<int16_t>(b);
      AppendUtf8(cp, &byte_to_utf8[b]);
    }
  }
};

const Tables& GetTables() {
  static const Tables tables;
  return tables;
}

bool IsCont(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

uint32_t ByteToCodepoint(uint8_t b) { return GetTables().byte_to_cp[b]; }

int CodepointToByte(uint32_t cp) {
  const Tables& t = GetTables();
  return cp < t.cp_to_byte.size() ? t.cp_to_byte[cp] : -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t Utf8SequenceLength(std::string_view s) {
  if (s.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return (n >= 2 && IsCont(p[1])) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !IsCont(p[1]) || !IsCont(p[2])) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;   // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !IsCont(p[1]) || !IsCont(p[2]) || !IsCont(p[3])) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;   // above U+10FFFF
    return 4;
  }
  return 0;  // continuation byte, C0/C1 (always overlong) or F5..FF
}

std::string BytesToGpt2(std::string_view bytes) {
  const Tables& t = GetTables();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) out += t.byte_to_utf8[static_cast<uint8_t>(c)];
  return out;
}

std::string Gpt2ToBytes(std::string_view text, bool* exact) {
  std::string out;
  out.reserve(text.size());
  bool ok = true;
  size_t i = 0;
  while (i < text.size()) {
    const size_t len = Utf8SequenceLength(text.substr(i));
    if (len == 0) {  // not UTF-8: keep the byte as it is
      out.push_back(text[i]);
      ok = false;
      ++i;
      continue;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + i);
    uint32_t cp = len == 1 ? p[0]
                : len == 2 ? ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu)
                : len == 3 ? ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu)
                           : ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                                 ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    const int b = CodepointToByte(cp);
    if (b >= 0) {
      out.push_back(static_cast<char>(b));
    } else {
      out.append(text.substr(i, len));
      ok = false;
    }
    i += len;
  }
  if (exact) *exact = ok;
  return out;
}

}  // namespace bitnet::tokenizer
