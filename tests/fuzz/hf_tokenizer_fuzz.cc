// libFuzzer target: Hugging Face tokenizer.json (+ tokenizer_config.json, config.json). The
// input is split at kFileMarker into the three files (an empty part: the file is absent, except
// tokenizer.json, which is always written). A tokenizer the reader accepts must load into the
// engine's Tokenizer and round-trip text: Decode(Encode(x)) == x.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/gguf/gguf.h"
#include "engine/tokenizer/hf_tokenizer_json.h"
#include "engine/tokenizer/tokenizer.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;

namespace {
constexpr int64_t kVocab = 320;  // the model's embedding rows: ids must be below, the list is padded to it
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parts = fz::SplitParts(input, fz::kFileMarker, 3);
  const auto dir = fz::ScratchDir("hf-tokenizer");
  fz::WriteFile(dir / "tokenizer.json", parts[0]);
  if (!parts[1].empty()) fz::WriteFile(dir / "tokenizer_config.json", parts[1]);
  if (!parts[2].empty()) fz::WriteFile(dir / "config.json", parts[2]);
  fz::ExpectOnlyProjectErrors([&] {
    bitnet::gguf::Writer w;
    w.Set("general.architecture", bitnet::gguf::Value::Str("bitnet-b1.58"));
    bitnet::WriteHfTokenizer(w, dir, kVocab);
    const auto file = bitnet::gguf::File::Parse(bitnet::gguf::Mapping::FromBytes(w.ToBytes()), "converted");
    const auto tok = bitnet::Tokenizer::FromGguf(file);
    fz::Require(tok.n_vocab() == kVocab, "the vocabulary is padded to the model's size");
    // A vocabulary may lack byte tokens (then those bytes cannot be encoded); one that has them
    // all must round-trip any text.
    bool all_bytes = true;
    for (int b = 0; b < 256 && all_bytes; ++b) {
      const std::string one(1, static_cast<char>(b));
      all_bytes = tok.Decode(tok.Encode(one, false, false)) == one;
    }
    const std::string text = "Hello, world! 123 <|eot_id|> caf\xc3\xa9 \xff\n\n  x";
    const auto ids = tok.Encode(text, true, true);
    for (int32_t id : ids) fz::Require(id >= 0 && id < tok.n_vocab(), "Encode gives ids in range");
    if (all_bytes) {
      fz::Require(tok.Decode(tok.Encode(text, false, true)) == text, "round trip (special tokens parsed)");
      fz::Require(tok.Decode(tok.Encode(text, false, false)) == text, "round trip");
    }
  });
  return 0;
}
