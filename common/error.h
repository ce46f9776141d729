#pragma once
// Errors raised on untrusted input. Every message names the file, the place in it
// (byte offset, key, tensor or line) and what was wrong; the CLI maps them to exit code 2.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace bitnet {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string where, std::string what)
      : std::runtime_error(file + ": " + where + ": " + what),
        file_(std::move(file)), where_(std::move(where)), what_(std::move(what)) {}
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  const std::string& reason() const { return what_; }

 private:
  std::string file_, where_, what_;
};

// A malformed model file (GGUF, safetensors): `where` is "offset N", "key K", "tensor T (offset N)".
class FormatError : public InputError {
 public:
  using InputError::InputError;
};

// A request the current build or machine cannot serve (unknown kernel, unsupported type, ...).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bitnet
