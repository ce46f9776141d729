#pragma once
// Byte-level helpers for the BPE tokenizer:
//  - the GPT-2 byte <-> unicode table (every byte is shown as one printable code point, so a
//    token made of arbitrary bytes can be stored as a UTF-8 string in GGUF/tokenizer.json);
//  - strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bitnet::tokenizer {

// The code point that stands for byte `b` in the GPT-2 encoding.
uint32_t ByteToCodepoint(uint8_t b);
// The byte a code point stands for, or -1 when the code point is not one of the 256.
int CodepointToByte(uint32_t cp);

// Raw bytes -> GPT-2 unicode string (UTF-8).
std::string BytesToGpt2(std::string_view bytes);
// GPT-2 unicode string -> raw bytes. Code points that are not in the table (and bytes that are not
// valid UTF-8) are kept verbatim, so this never fails; `exact` (when given) is set to false if that
// happened.
std::string Gpt2ToBytes(std::string_view text, bool* exact = nullptr);

// Length (1..4) of the valid UTF-8 sequence starting at s[0], or 0 if s does not start with one.
size_t Utf8SequenceLength(std::string_view s);

// Appends the UTF-8 encoding of `cp` (which must be <= 0x10FFFF) to `out`.
void AppendUtf8(uint32_t cp, std::string* out);

}  // namespace bitnet::tokenizer
