// libFuzzer target: a Hugging Face BitNet checkpoint directory. The input is split at
// kFileMarker into config.json, model.safetensors and (when not empty) tokenizer.json, written
// to a scratch directory and converted with HfBitnetToGguf. A checkpoint it accepts must give
// a GGUF the engine's reader accepts.
#include <cstdint>
#include <string_view>

#include "engine/gguf/gguf.h"
#include "engine/model/hf_checkpoint.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parts = fz::SplitParts(input, fz::kFileMarker, 3);
  const auto dir = fz::ScratchDir("hf-checkpoint");
  fz::WriteFile(dir / "config.json", parts[0]);
  fz::WriteFile(dir / "model.safetensors", parts[1]);
  if (!parts[2].empty()) fz::WriteFile(dir / "tokenizer.json", parts[2]);
  fz::ExpectOnlyProjectErrors([&] {
    auto bytes = bitnet::HfBitnetToGguf(dir.string());
    try {
      (void)bitnet::gguf::File::Parse(bitnet::gguf::Mapping::FromBytes(std::move(bytes)), "converted");
    } catch (const bitnet::FormatError&) {
      fz::Require(false, "the converter wrote a GGUF its own reader refuses");
    }
  });
  return 0;
}
