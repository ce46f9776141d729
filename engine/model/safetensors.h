#pragma once
// A validating reader of Hugging Face safetensors files over mmap: an 8-byte little-endian header
// length, a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
// then the data. Every field is untrusted: the header length, the JSON, each dtype, shape and
// extent (shape x dtype size = end - begin, inside the data, no overlaps) are checked and any
// error is a FormatError naming the file, the tensor or JSON path, and the byte offset.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bitnet {
namespace gguf { class Mapping; }

enum class StDtype { kBF16, kF16, kF32, kU8, kI8, kI32, kI64 };
const char* StDtypeName(StDtype d);
size_t StDtypeSize(StDtype d);

struct StTensor {
  std::string name;
  StDtype dtype = StDtype::kF32;
  std::vector<int64_t> shape;  // outermost first (PyTorch order)
  const uint8_t* data = nullptr;
  uint64_t n_bytes = 0;
  uint64_t file_offset = 0;    // absolute offset of the data
  int64_t n_elements() const;
};

class SafetensorsFile {
 public:
  static SafetensorsFile Open(const std::string& path);  // throws InputError / FormatError
  static SafetensorsFile Parse(std::shared_ptr<gguf::Mapping> mapping, const std::string& display_name);

  const std::string& path() const { return path_; }
  const std::map<std::string, StTensor>& tensors() const { return tensors_; }
  const StTensor* Find(const std::string& name) const;

 private:
  std::string path_;
  std::shared_ptr<gguf::Mapping> mapping_;
  std::map<std::string, StTensor> tensors_;
};

// Writes a safetensors file (tensors in the given order, header padded to 8 bytes). For tests
// and tools that produce Hugging Face checkpoints; throws std::runtime_error on I/O errors.
struct StTensorData {
  std::string name;
  StDtype dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};
void WriteSafetensors(const std::string& path, const std::vector<StTensorData>& tensors);

}  // namespace bitnet
