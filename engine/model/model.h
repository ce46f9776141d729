#pragma once
// A loaded model: the mapped GGUF file, its validated configuration, weight views and tokenizer.
#include <memory>
#include <optional>
#include <string>

#include "engine/gguf/gguf.h"
#include "engine/model/config.h"
#include "engine/model/weights.h"
#include "engine/tokenizer/tokenizer.h"

namespace bitnet {

struct LoadOptions {
  // Overrides the pre-tokenizer; unset = the file's tokenizer.ggml.pre, or LLaMA-3 when absent
  // (bitnet.cpp would use llama.cpp's default split there: choose PreTokenizer::kDefault for that).
  std::optional<PreTokenizer> pre_tokenizer;
};

class Model {
 public:
  // Throws FormatError (file, tensor/key, offset) for anything wrong with the file.
  static std::shared_ptr<const Model> Load(const std::string& path, const LoadOptions& opts = {});

  const std::string& path() const { return file_.path(); }
  const gguf::File& file() const { return file_; }
  const ModelConfig& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }

  // The tokenizer, or nullptr when the file's tokenizer cannot be used for text (the reason is
  // in tokenizer_error()); token ids still work.
  const Tokenizer* tokenizer() const { return tokenizer_ ? &*tokenizer_ : nullptr; }
  const std::string& tokenizer_error() const { return tokenizer_error_; }
  const Tokenizer& RequireTokenizer() const;  // throws UsageError with the reason

  // A short description of the weight types, e.g. "I2_S" or "F16".
  std::string WeightTypeName() const;

 private:
  Model(gguf::File file);
  gguf::File file_;
  ModelConfig config_;
  ModelWeights weights_;
  std::optional<Tokenizer> tokenizer_;
  std::string tokenizer_error_;
};

}  // namespace bitnet
