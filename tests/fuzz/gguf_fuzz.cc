// libFuzzer target: any byte string must parse into a consistent File or throw FormatError.
// Anything else (a crash, a sanitizer report, another exception, a broken invariant) is a bug.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "engine/gguf/gguf.h"

namespace {

using bitnet::FormatError;
using bitnet::gguf::File;
using bitnet::gguf::Mapping;

void Require(bool ok) {
  if (!ok) std::abort();
}

// Checks what the reader promises about a file it accepted, and touches every tensor byte
// range so ASan sees any pointer outside the buffer.
void CheckInvariants(const File& f) {
  Require(f.version() == 2 || f.version() == 3);
  Require(f.alignment() != 0 && (f.alignment() & (f.alignment() - 1)) == 0);
  for (const auto& t : f.tensors()) {
    Require(!t.name.empty() && f.FindTensor(t.name) == &t);
    Require(!t.dims.empty() && t.dims.size() <= 4 && t.n_elements() > 0);
    Require(t.offset % f.alignment() == 0);
    Require(t.file_offset == f.data_offset() + t.offset);
    Require(t.file_offset + t.n_bytes <= f.file_size());
    if (t.n_bytes > 0) {
      volatile uint8_t sink = t.data[0];
      sink = t.data[t.n_bytes - 1];
      (void)sink;
    }
  }
  for (const auto& [key, v] : f.kv()) {
    Require(!key.empty() && f.Find(key) == &v);
    try {  // the getters may refuse a type, but only with FormatError
      (void)f.GetUint(key);
    } catch (const FormatError&) {
    }
    try {
      (void)f.GetFloat(key);
    } catch (const FormatError&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const File f = File::Parse(Mapping::FromBytes(std::vector<uint8_t>(data, data + size)), "fuzz");
    CheckInvariants(f);
  } catch (const FormatError&) {
  }
  return 0;
}
