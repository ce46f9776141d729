#pragma once
// Test helper: writes the Hugging Face form (tokenizer.json + tokenizer_config.json) of a GGUF
// byte-level BPE vocabulary, as transformers saves a LLaMA-3-style tokenizer: model.vocab holds
// the normal tokens, added_tokens the control/user-defined ones, the LLaMA-3 Split regex +
// ByteLevel pre-tokenizer, a TemplateProcessing post-processor that adds the bos token.
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/gguf/gguf.h"
#include "engine/tokenizer/vocab.h"

namespace bitnet::test {

inline constexpr const char* kHfLlama3Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// merges_as_arrays: the newer tokenizers format ([left, right] instead of "left right").
inline void WriteHfTokenizerFiles(const gguf::File& f, const std::filesystem::path& dir, bool merges_as_arrays = false) {
  using nlohmann::json;
  const auto& tokens = f.Require("tokenizer.ggml.tokens").strs;
  const auto& types = f.Require("tokenizer.ggml.token_type").ints;
  json vocab = json::object(), added = json::array();
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (types[i] == tokenizer::kTypeNormal) {
      vocab[tokens[i]] = i;
    } else if (types[i] == tokenizer::kTypeControl || types[i] == tokenizer::kTypeUserDefined) {
      added.push_back({{"id", i}, {"content", tokens[i]}, {"single_word", false}, {"lstrip", false},
                       {"rstrip", false}, {"normalized", false}, {"special", types[i] == tokenizer::kTypeControl}});
    }
  }
  json merges = json::array();
  for (const std::string& m : f.Require("tokenizer.ggml.merges").strs) {
    if (merges_as_arrays) {
      const size_t sp = m.find(' ', 1);
      merges.push_back({m.substr(0, sp), m.substr(sp + 1)});
    } else {
      merges.push_back(m);
    }
  }
  const std::string bos = tokens.at(f.GetUint("tokenizer.ggml.bos_token_id"));
  const std::string eos = tokens.at(f.GetUint("tokenizer.ggml.eos_token_id"));
  const json tok = {
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", added},
      {"normalizer", nullptr},
      {"pre_tokenizer",
       {{"type", "Sequence"},
        {"pretokenizers",
         {{{"type", "Split"}, {"pattern", {{"Regex", kHfLlama3Regex}}}, {"behavior", "Isolated"}, {"invert", false}},
          {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}}}}}},
      {"post_processor",
       {{"type", "TemplateProcessing"},
        {"single", {{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}}},
      {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
      {"model",
       {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"fuse_unk", false}, {"byte_fallback", false},
        {"ignore_merges", true}, {"vocab", vocab}, {"merges", merges}}}};
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << tok.dump();
  json cfg = {{"bos_token", bos}, {"eos_token", eos}, {"model_max_length", 4096}};
  if (const gguf::Value* t = f.Find("tokenizer.chat_template")) cfg["chat_template"] = t->s;
  std::ofstream(dir / "tokenizer_config.json") << cfg.dump(2);
}

}  // namespace bitnet::test
