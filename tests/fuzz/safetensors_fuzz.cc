// libFuzzer target: the safetensors reader on any bytes. It must accept a consistent file or
// throw FormatError; every tensor it accepts must lie inside the buffer with exactly
// shape x dtype-size bytes.
#include <cstdint>
#include <vector>

#include "engine/gguf/gguf.h"
#include "engine/model/safetensors.h"
#include "tests/fuzz/fuzz_support.h"

using bitnet::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bitnet::fuzz::ExpectOnlyProjectErrors([&] {
    auto mapping = bitnet::gguf::Mapping::FromBytes(std::vector<uint8_t>(data, data + size));
    const uint8_t* begin = mapping->data();
    const uint64_t n = mapping->size();
    const auto f = bitnet::SafetensorsFile::Parse(mapping, "fuzz.safetensors");
    for (const auto& [name, t] : f.tensors()) {
      Require(t.name == name && f.Find(name) == &t);
      Require(t.n_bytes == static_cast<uint64_t>(t.n_elements()) * bitnet::StDtypeSize(t.dtype));
      Require(t.file_offset >= 8 && t.file_offset + t.n_bytes <= n && t.data == begin + t.file_offset);
      if (t.n_bytes > 0) {
        volatile uint8_t sink = t.data[0];
        sink = t.data[t.n_bytes - 1];
        (void)sink;
      }
    }
  });
  return 0;
}
