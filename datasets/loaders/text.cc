#include "datasets/loaders/text.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/error.h"

namespace bitnet::datasets {

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "open", std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError(path, "read", "I/O error");
  return ss.str();
}

namespace {

// Closes the handle on every path out of ReadGzipText.
struct GzCloser {
  gzFile g;
  ~GzCloser() {
    if (g) gzclose_r(g);
  }
};

}  // namespace

std::string ReadGzipText(const std::string& path) {
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "open", std::strerror(errno));
    unsigned char magic[2] = {0, 0};
    in.read(reinterpret_cast<char*>(magic), 2);
    if (in.gcount() < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
      throw InputError(path, "offset 0", "not a gzip file (no 1f 8b magic)");
  }
  GzCloser h{gzopen(path.c_str(), "rb")};
  if (!h.g) throw InputError(path, "open", std::strerror(errno));
  gzbuffer(h.g, 1 << 17);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    int n = gzread(h.g, buf, sizeof buf);
    if (n < 0) {
      int errnum = 0;
      const char* msg = gzerror(h.g, &errnum);
      throw InputError(path, fmt::format("gzip stream (after {} decompressed bytes)", out.size()),
                       fmt::format("corrupt or truncated gzip: {}", msg ? msg : "unknown error"));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  int errnum = 0;
  const char* msg = gzerror(h.g, &errnum);
  if (errnum != Z_OK && errnum != Z_STREAM_END)
    throw InputError(path, "gzip stream", fmt::format("corrupt or truncated gzip: {}", msg));
  gzFile g = h.g;
  h.g = nullptr;
  int rc = gzclose_r(g);
  if (rc == Z_BUF_ERROR)
    throw InputError(path, "end of file", "truncated gzip (the file ends inside a compressed stream)");
  if (rc != Z_OK) throw InputError(path, "gzip stream", fmt::format("gzclose failed ({})", rc));
  return out;
}

size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlong forms
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

size_t LineOfOffset(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  size_t line = 1;
  for (size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') ++line;
  return line;
}

std::string_view StripBom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

void CheckUtf8(std::string_view text, const std::string& file, size_t first_line) {
  size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return;
  size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  line_start = (line_start == std::string_view::npos || bad == 0) ? 0 : line_start + 1;
  throw InputError(file, fmt::format("line {}", first_line + LineOfOffset(text, bad) - 1),
                   fmt::format("invalid UTF-8 (byte 0x{:02x} at column {})",
                               static_cast<unsigned char>(text[bad]), bad - line_start + 1));
}

}  // namespace bitnet::datasets
