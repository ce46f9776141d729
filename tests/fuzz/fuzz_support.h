#pragma once
// Shared pieces of the libFuzzer targets in this folder.
//
// Contract of every target: an input may be refused only with the project's error types
// (InputError and its FormatError, UsageError: common/error.h). Any other exception escapes
// LLVMFuzzerTestOneInput, so libFuzzer reports it as a crash, as it does for a sanitizer report
// or a hang (-timeout).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bitnet::fuzz {

// A broken promise of the code under test: prints what and aborts (libFuzzer keeps the input).
inline void Require(bool ok, const char* what = "invariant") {
  if (!ok) {
    std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
    std::abort();
  }
}

// Runs `body`; the project's own errors are the expected way to refuse an input.
template <typename F>
void ExpectOnlyProjectErrors(F&& body) {
  try {
    body();
  } catch (const InputError&) {
  } catch (const UsageError&) {
  }
}

// A per-process scratch directory (targets that read files): emptied on every call.
inline std::filesystem::path ScratchDir(const std::string& tag) {
  static const std::filesystem::path base =
      std::filesystem::temp_directory_path() / ("bitnet-fuzz-" + tag + "-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(base, ec);
  std::filesystem::create_directories(base);
  return base;
}

inline void WriteFile(const std::filesystem::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  Require(static_cast<bool>(out));
}

// Splits a fuzz input into parts at a marker line, so one input can carry several files
// (e.g. config.json and model.safetensors). Missing parts are empty.
inline std::vector<std::string_view> SplitParts(std::string_view input, std::string_view marker, size_t n) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < n) {
    const size_t at = input.find(marker);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + marker.size());
  }
  parts.push_back(input);
  while (parts.size() < n) parts.emplace_back();
  return parts;
}

// The marker the multi-file targets split their input at.
inline constexpr std::string_view kFileMarker = "\n=====8<=====\n";

}  // namespace bitnet::fuzz
