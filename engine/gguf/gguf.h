#pragma once
// GGUF v2/v3 files: a validating reader over mmap and a writer.
// Every field of a file is untrusted: the reader checks each length, count, type id,
// alignment, offset and tensor extent before using it and throws FormatError
// (file, key/tensor, byte offset, reason) on anything wrong. It never aborts.
#include <cstdint>
#include <map>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bitnet::gguf {

enum class ValueType : uint32_t {
  UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
  BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12,
};
std::string_view ValueTypeName(ValueType t);

// One metadata value. Scalars keep their GGUF type; integers are widened into `i`/`u`,
// floats into `f`. Arrays keep their element type and the widened elements.
struct Value {
  ValueType type = ValueType::UINT32;
  ValueType elem_type = ValueType::UINT32;  // arrays only
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
  bool b = false;
  std::string s;
  std::vector<std::string> strs;  // array of STRING
  std::vector<int64_t> ints;      // array of any integer type or BOOL
  std::vector<double> floats;     // array of FLOAT32/FLOAT64

  static Value U32(uint32_t v);
  static Value I32(int32_t v);
  static Value U64(uint64_t v);
  static Value F32(float v);
  static Value Bool(bool v);
  static Value Str(std::string v);
  static Value StrArray(std::vector<std::string> v);
  static Value I32Array(std::vector<int32_t> v);
  static Value F32Array(std::vector<float> v);
  bool is_integer() const;
  bool is_float() const;
  size_t array_size() const;
};

struct TensorInfo {
  std::string name;
  std::vector<int64_t> dims;   // GGUF order: dims[0] is the row length (innermost)
  uint32_t type_id = 0;        // raw GGUF type id (see kernels/quant_types.h)
  uint64_t offset = 0;         // relative to the start of the data section
  uint64_t file_offset = 0;    // absolute
  uint64_t n_bytes = 0;        // size on disk per the type's traits
  const uint8_t* data = nullptr;  // points into the mapping
  uint64_t info_offset = 0;    // where this tensor's info record starts (for messages)

  int64_t n_elements() const;
  int64_t rows() const;        // product of dims[1..]
};

// A read-only file mapping (or an owned buffer, for parsing bytes in memory).
class Mapping {
 public:
  static std::shared_ptr<Mapping> Open(const std::string& path);  // throws InputError
  static std::shared_ptr<Mapping> FromBytes(std::vector<uint8_t> bytes);
  ~Mapping();
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }

 private:
  Mapping() = default;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  void* mmap_base_ = nullptr;
  std::vector<uint8_t> owned_;
};

class File {
 public:
  // Parse and validate; throws FormatError naming `path`.
  static File Open(const std::string& path);
  static File Parse(std::shared_ptr<Mapping> mapping, const std::string& display_name);

  const std::string& path() const { return path_; }
  uint32_t version() const { return version_; }
  uint64_t alignment() const { return alignment_; }
  uint64_t data_offset() const { return data_offset_; }
  uint64_t file_size() const { return mapping_->size(); }
  const uint8_t* bytes() const { return mapping_->data(); }

  // Metadata in file order.
  const std::vector<std::pair<std::string, Value>>& kv() const { return kv_; }
  const Value* Find(std::string_view key) const;
  // Typed getters: throw FormatError("key K: ...") when missing or of the wrong type.
  const Value& Require(std::string_view key) const;
  std::string GetString(std::string_view key) const;
  uint64_t GetUint(std::string_view key) const;   // any non-negative integer type
  double GetFloat(std::string_view key) const;    // FLOAT32/FLOAT64 (or an integer)
  bool GetBool(std::string_view key, bool fallback) const;

  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* FindTensor(std::string_view name) const;

 private:
  std::string path_;
  std::shared_ptr<Mapping> mapping_;
  uint32_t version_ = 0;
  uint64_t alignment_ = 32;
  uint64_t data_offset_ = 0;
  std::vector<std::pair<std::string, Value>> kv_;
  std::map<std::string, size_t, std::less<>> kv_index_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, size_t, std::less<>> tensor_index_;
  friend class Parser;
};

// Writes GGUF v3: metadata in insertion order, tensors aligned to `alignment` (written as
// general.alignment when not 32). Tensor bytes must already be in the tensor's type.
class Writer {
 public:
  // Fills `out` (already sized to the tensor's bytes) with the tensor's data.
  using Producer = std::function<void(std::span<uint8_t> out)>;

  explicit Writer(uint64_t alignment = 32);
  void Set(std::string key, Value v);  // replaces an existing key
  void AddTensor(std::string name, uint32_t type_id, std::vector<int64_t> dims,
                 std::vector<uint8_t> bytes);
  // A tensor whose bytes are produced while the file is written (one tensor in memory at a time,
  // in the order added); its size is the type's size for `dims`.
  void AddProducedTensor(std::string name, uint32_t type_id, std::vector<int64_t> dims, Producer produce);
  // Writes to `path` atomically (temporary file + rename; `sync`: fsync before the rename, so the
  // file survives a power cut). Throws std::runtime_error on I/O errors.
  void Write(const std::string& path, bool sync = true) const;
  std::vector<uint8_t> ToBytes() const;

 private:
  struct PendingTensor {
    std::string name;
    uint32_t type_id;
    std::vector<int64_t> dims;
    std::vector<uint8_t> bytes;
    uint64_t n_bytes = 0;
    Producer produce;  // set: bytes is empty, produced on Write/ToBytes
  };
  uint64_t alignment_;
  std::vector<std::pair<std::string, Value>> kv_;
  std::vector<PendingTensor> tensors_;
};

}  // namespace bitnet::gguf
