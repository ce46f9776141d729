#pragma once
// Byte-level helpers shared by the loaders: reading (and gunzipping) a whole file, UTF-8
// validation, and mapping a byte offset to a line number for error messages.
#include <cstddef>
#include <string>
#include <string_view>

namespace bitnet::datasets {

// The file's bytes; InputError(path, "open", ...) when it cannot be read.
std::string ReadFileText(const std::string& path);

// The decompressed bytes of a gzip file (one or more members). A file that is not gzip, a corrupt
// stream or a truncated one is an InputError naming the file.
std::string ReadGzipText(const std::string& path);

// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates and
// code points above U+10FFFF are ill-formed), or npos when all of `s` is valid.
size_t FindInvalidUtf8(std::string_view s);

// 1-based line number of byte `offset` in `text` (counting '\n').
size_t LineOfOffset(std::string_view text, size_t offset);

// `text` without a leading UTF-8 byte-order mark (TruthfulQA v1's csv starts with one).
std::string_view StripBom(std::string_view text);

// Throws InputError(file, "line N", "invalid UTF-8 (byte 0x.. at column C)") if `text` holds
// ill-formed UTF-8; `first_line` is the line number of text[0].
void CheckUtf8(std::string_view text, const std::string& file, size_t first_line = 1);

}  // namespace bitnet::datasets
