// The GGUF reader: a bounded cursor over untrusted bytes and a parser split into
// ReadHeader / ReadKV / ReadTensorInfo / ValidateLayout. Every read checks the bytes left,
// every count is checked against limits and the bytes left before anything is allocated,
// and every failure throws FormatError(file, "<key|tensor> (offset N)", reason).
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/gguf/gguf.h"
#include "kernels/quant_types.h"

namespace bitnet::gguf {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the GGUF reader assumes a little-endian host");

// Limits on untrusted lengths and counts (all far above what real models use:
// the 2B4T file has 128256 tokens, 280147 merges and a ~1.5 KB chat template).
constexpr uint64_t kMaxKeyBytes = 64 * 1024;
constexpr uint64_t kMaxStringBytes = 16 * 1024 * 1024;
constexpr uint64_t kMaxTensorNameBytes = 1024;
constexpr uint64_t kMaxArrayCount = uint64_t{1} << 24;
constexpr uint32_t kMaxDims = 4;
constexpr uint64_t kDefaultAlignment = 32;
constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
constexpr uint32_t kMaxValueType = static_cast<uint32_t>(ValueType::FLOAT64);
// Smallest possible records: key length + 1-byte key + type + 1-byte value, and
// name length + 1-byte name + n_dims + one dim + type id + offset.
constexpr uint64_t kMinKvBytes = 8 + 1 + 4 + 1;
constexpr uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;

// Untrusted text made safe for messages: non-printable bytes escaped, long text cut.
std::string Printable(std::string_view s) {
  constexpr size_t kMaxShown = 80;
  std::string out;
  for (size_t k = 0; k < s.size() && k < kMaxShown; ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > kMaxShown) out += "...";
  return out;
}

// Bytes one element of `t` takes at least (strings: their u64 length).
uint64_t MinValueBytes(ValueType t) {
  switch (t) {
    case ValueType::UINT8: case ValueType::INT8: case ValueType::BOOL: return 1;
    case ValueType::UINT16: case ValueType::INT16: return 2;
    case ValueType::UINT32: case ValueType::INT32: case ValueType::FLOAT32: return 4;
    default: return 8;  // UINT64, INT64, FLOAT64, STRING (length), ARRAY (never an element)
  }
}

// A read position over [data, data + size) that never reads past the end.
class Cursor {
 public:
  Cursor(const uint8_t* data, uint64_t size, std::string file)
      : data_(data), size_(size), file_(std::move(file)) {}

  uint64_t pos() const { return pos_; }
  uint64_t size() const { return size_; }
  uint64_t remaining() const { return size_ - pos_; }
  const std::string& file() const { return file_; }
  // What is being read ("key 'x'", "tensor 'y'"), named in every error until changed.
  void SetContext(std::string context) { context_ = std::move(context); }

  [[noreturn]] void Fail(uint64_t at, const std::string& reason) const {
    const std::string offset = "offset " + std::to_string(at);
    throw FormatError(file_, context_.empty() ? offset : context_ + " (" + offset + ")", reason);
  }
  [[noreturn]] void Fail(const std::string& reason) const { Fail(pos_, reason); }

  template <class T>
  T Read(std::string_view what) {
    Need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  std::string ReadString(uint64_t max_len, std::string_view what) {
    const uint64_t at = pos_;
    const auto len = Read<uint64_t>(what);
    if (len > max_len)
      Fail(at, std::string(what) + " length " + std::to_string(len) + " exceeds the limit of " +
                   std::to_string(max_len) + " bytes");
    Need(len, what);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), static_cast<size_t>(len));
    pos_ += len;
    return s;
  }

 private:
  void Need(uint64_t n, std::string_view what) const {
    if (n > remaining())
      Fail("truncated file: " + std::string(what) + " needs " + std::to_string(n) +
           " bytes but only " + std::to_string(remaining()) + " are left");
  }

  const uint8_t* data_;
  uint64_t size_;
  uint64_t pos_ = 0;
  std::string file_;
  std::string context_;
};

}  // namespace

class Parser {
 public:
  Parser(std::shared_ptr<Mapping> mapping, const std::string& name)
      : cur_(mapping->data(), mapping->size(), name) {
    f_.path_ = name;
    f_.mapping_ = std::move(mapping);
  }

  File Run() {
    ReadHeader();
    for (uint64_t k = 0; k < n_kv_; ++k) ReadKV(k);
    for (uint64_t k = 0; k < n_tensors_; ++k) ReadTensorInfo(k);
    ValidateLayout();
    return std::move(f_);
  }

 private:
  void ReadHeader();
  void CheckVersion(uint32_t version);
  void CheckCount(uint64_t count, uint64_t at, uint64_t min_bytes, const char* what);
  void ReadKV(uint64_t index);
  ValueType ReadValueType(const char* what);
  Value ReadScalar(ValueType t);
  Value ReadArray();
  void AppendElement(Value& array, Value elem);
  void ApplyAlignment(const Value& v, uint64_t at);
  void ReadTensorInfo(uint64_t index);
  std::vector<int64_t> ReadDims();
  const QuantTraits& ReadTypeId(uint32_t* type_id);
  void ValidateLayout();
  [[noreturn]] void FailTensor(const TensorInfo& t, const std::string& reason);

  File f_;
  Cursor cur_;
  uint64_t n_tensors_ = 0;
  uint64_t n_kv_ = 0;
};

// ---- header -------------------------------------------------------------------------

void Parser::ReadHeader() {
  if (cur_.size() == 0) cur_.Fail(0, "empty file (expected a GGUF header)");
  const auto magic = cur_.Read<std::array<char, 4>>("magic");
  if (std::memcmp(magic.data(), "GGUF", 4) != 0)
    cur_.Fail(0, "bad magic '" + Printable(std::string_view(magic.data(), 4)) +
                     "' (expected 'GGUF'): not a GGUF file");
  CheckVersion(cur_.Read<uint32_t>("version"));
  const uint64_t tensors_at = cur_.pos();
  n_tensors_ = cur_.Read<uint64_t>("tensor_count");
  const uint64_t kv_at = cur_.pos();
  n_kv_ = cur_.Read<uint64_t>("kv_count");
  CheckCount(n_kv_, kv_at, kMinKvBytes, "kv_count");
  CheckCount(n_tensors_, tensors_at, kMinTensorInfoBytes, "tensor_count");
}

void Parser::CheckVersion(uint32_t version) {
  f_.version_ = version;
  const uint64_t at = 4;
  if (version == 2 || version == 3) return;
  if (version == 1)
    cur_.Fail(at, "GGUF version 1 is not supported (it used 32-bit counts); "
                  "re-convert the model with a current llama.cpp");
  if (version == 0x02000000u || version == 0x03000000u)
    cur_.Fail(at, "big-endian GGUF files are not supported");
  cur_.Fail(at, "unsupported GGUF version " + std::to_string(version) + " (supported: 2, 3)");
}

void Parser::CheckCount(uint64_t count, uint64_t at, uint64_t min_bytes, const char* what) {
  if (count > cur_.remaining() / min_bytes)
    cur_.Fail(at, std::string(what) + " " + std::to_string(count) +
                      " cannot fit in the file: each record takes at least " +
                      std::to_string(min_bytes) + " bytes and only " +
                      std::to_string(cur_.remaining()) + " are left");
}

// ---- metadata -------------------------------------------------------------------------

void Parser::ReadKV(uint64_t index) {
  const uint64_t start = cur_.pos();
  cur_.SetContext("key #" + std::to_string(index));
  std::string key = cur_.ReadString(kMaxKeyBytes, "key");
  if (key.empty()) cur_.Fail(start, "empty key");
  cur_.SetContext("key '" + Printable(key) + "'");
  if (f_.kv_index_.count(key) != 0) cur_.Fail(start, "duplicate key");

  const ValueType type = ReadValueType("value type");
  const uint64_t value_at = cur_.pos();
  Value v = type == ValueType::ARRAY ? ReadArray() : ReadScalar(type);
  if (key == "general.alignment") ApplyAlignment(v, value_at);

  f_.kv_index_.emplace(key, f_.kv_.size());
  f_.kv_.emplace_back(std::move(key), std::move(v));
  cur_.SetContext("");
}

ValueType Parser::ReadValueType(const char* what) {
  const uint64_t at = cur_.pos();
  const auto raw = cur_.Read<uint32_t>(what);
  if (raw > kMaxValueType)
    cur_.Fail(at, "unknown " + std::string(what) + " " + std::to_string(raw));
  return static_cast<ValueType>(raw);
}

Value Parser::ReadScalar(ValueType t) {
  Value v;
  auto set_u = [&v](uint64_t x) { v.u = x; v.i = static_cast<int64_t>(std::min(x, kInt64Max)); };
  auto set_i = [&v](int64_t x) { v.i = x; v.u = x < 0 ? 0 : static_cast<uint64_t>(x); };
  switch (t) {
    case ValueType::UINT8: set_u(cur_.Read<uint8_t>("UINT8 value")); break;
    case ValueType::INT8: set_i(cur_.Read<int8_t>("INT8 value")); break;
    case ValueType::UINT16: set_u(cur_.Read<uint16_t>("UINT16 value")); break;
    case ValueType::INT16: set_i(cur_.Read<int16_t>("INT16 value")); break;
    case ValueType::UINT32: set_u(cur_.Read<uint32_t>("UINT32 value")); break;
    case ValueType::INT32: set_i(cur_.Read<int32_t>("INT32 value")); break;
    case ValueType::UINT64: set_u(cur_.Read<uint64_t>("UINT64 value")); break;
    case ValueType::INT64: set_i(cur_.Read<int64_t>("INT64 value")); break;
    case ValueType::FLOAT32: v.f = cur_.Read<float>("FLOAT32 value"); break;
    case ValueType::FLOAT64: v.f = cur_.Read<double>("FLOAT64 value"); break;
    case ValueType::STRING: v.s = cur_.ReadString(kMaxStringBytes, "string"); break;
    case ValueType::BOOL: {
      const uint64_t at = cur_.pos();
      const auto b = cur_.Read<uint8_t>("BOOL value");
      if (b > 1) cur_.Fail(at, "BOOL value " + std::to_string(b) + " is neither 0 nor 1");
      v.b = b != 0;
      break;
    }
    case ValueType::ARRAY: cur_.Fail("nested arrays are not supported");
  }
  v.type = t;
  return v;
}

Value Parser::ReadArray() {
  const uint64_t type_at = cur_.pos();
  const ValueType elem = ReadValueType("array element type");
  if (elem == ValueType::ARRAY) cur_.Fail(type_at, "nested arrays are not supported");
  const uint64_t count_at = cur_.pos();
  const auto count = cur_.Read<uint64_t>("array count");
  const std::string count_text = "array count " + std::to_string(count);
  if (count > kMaxArrayCount)
    cur_.Fail(count_at, count_text + " exceeds the limit of " + std::to_string(kMaxArrayCount));
  if (count > cur_.remaining() / MinValueBytes(elem))
    cur_.Fail(count_at, count_text + " of " + std::string(ValueTypeName(elem)) +
                            " cannot fit in the " + std::to_string(cur_.remaining()) +
                            " bytes left");
  Value v;
  v.type = ValueType::ARRAY;
  v.elem_type = elem;
  if (elem == ValueType::STRING) v.strs.reserve(count);
  else if (elem == ValueType::FLOAT32 || elem == ValueType::FLOAT64) v.floats.reserve(count);
  else v.ints.reserve(count);
  for (uint64_t k = 0; k < count; ++k) AppendElement(v, ReadScalar(elem));
  return v;
}

// UINT64 elements keep their bit pattern in `ints` (see value.cc).
void Parser::AppendElement(Value& array, Value elem) {
  switch (array.elem_type) {
    case ValueType::STRING: array.strs.push_back(std::move(elem.s)); break;
    case ValueType::FLOAT32: case ValueType::FLOAT64: array.floats.push_back(elem.f); break;
    case ValueType::BOOL: array.ints.push_back(elem.b ? 1 : 0); break;
    case ValueType::UINT8: case ValueType::UINT16: case ValueType::UINT32:
    case ValueType::UINT64: array.ints.push_back(static_cast<int64_t>(elem.u)); break;
    default: array.ints.push_back(elem.i); break;
  }
}

void Parser::ApplyAlignment(const Value& v, uint64_t at) {
  if (v.type != ValueType::UINT32)
    cur_.Fail(at, "general.alignment must be UINT32, found " + std::string(ValueTypeName(v.type)));
  if (v.u == 0 || !std::has_single_bit(v.u))
    cur_.Fail(at, "alignment " + std::to_string(v.u) + " is not a nonzero power of two");
  f_.alignment_ = v.u;
}

// ---- tensor infos -----------------------------------------------------------------------

void Parser::ReadTensorInfo(uint64_t index) {
  TensorInfo t;
  t.info_offset = cur_.pos();
  cur_.SetContext("tensor #" + std::to_string(index));
  t.name = cur_.ReadString(kMaxTensorNameBytes, "tensor name");
  if (t.name.empty()) cur_.Fail(t.info_offset, "empty tensor name");
  cur_.SetContext("tensor '" + Printable(t.name) + "'");
  if (f_.tensor_index_.count(t.name) != 0) cur_.Fail(t.info_offset, "duplicate tensor name");

  t.dims = ReadDims();
  const uint64_t type_at = cur_.pos();
  const QuantTraits& traits = ReadTypeId(&t.type_id);
  const auto block = static_cast<uint64_t>(traits.block_size);
  if (static_cast<uint64_t>(t.dims[0]) % block != 0)
    cur_.Fail(type_at, "row length " + std::to_string(t.dims[0]) + " is not a multiple of " +
                           std::string(traits.name) + "'s block size " + std::to_string(block));
  const auto bytes = TensorBytes(static_cast<QuantType>(t.type_id),
                                 static_cast<uint64_t>(t.n_elements()));
  if (!bytes) cur_.Fail(type_at, "tensor byte size overflows");
  t.n_bytes = *bytes;

  const uint64_t offset_at = cur_.pos();
  t.offset = cur_.Read<uint64_t>("tensor data offset");
  if (t.offset % f_.alignment_ != 0)
    cur_.Fail(offset_at, "data offset " + std::to_string(t.offset) +
                             " is not a multiple of the alignment " +
                             std::to_string(f_.alignment_));
  f_.tensor_index_.emplace(t.name, f_.tensors_.size());
  f_.tensors_.push_back(std::move(t));
  cur_.SetContext("");
}

std::vector<int64_t> Parser::ReadDims() {
  const uint64_t at = cur_.pos();
  const auto n_dims = cur_.Read<uint32_t>("n_dims");
  if (n_dims == 0 || n_dims > kMaxDims)
    cur_.Fail(at, "n_dims " + std::to_string(n_dims) + " is not in 1.." + std::to_string(kMaxDims));
  std::vector<int64_t> dims;
  uint64_t product = 1;
  for (uint32_t k = 0; k < n_dims; ++k) {
    const uint64_t dim_at = cur_.pos();
    const auto d = cur_.Read<uint64_t>("dim");
    if (d == 0 || d > kInt64Max)
      cur_.Fail(dim_at, "dim " + std::to_string(k) + " is " +
                            std::to_string(static_cast<int64_t>(d)) + " (must be positive)");
    if (product > kInt64Max / d)
      cur_.Fail(dim_at, "element count overflows at dim " + std::to_string(k) + " (" +
                            std::to_string(d) + ")");
    product *= d;
    dims.push_back(static_cast<int64_t>(d));
  }
  return dims;
}

const QuantTraits& Parser::ReadTypeId(uint32_t* type_id) {
  const uint64_t at = cur_.pos();
  *type_id = cur_.Read<uint32_t>("tensor type id");
  const QuantTraits* traits = GetQuantTraits(*type_id);
  if (traits == nullptr) cur_.Fail(at, "unknown tensor type id " + std::to_string(*type_id));
  if (traits->block_size <= 0 || traits->type_bytes == 0)
    cur_.Fail(at, "tensor type " + std::string(traits->name) + " (id " +
                      std::to_string(*type_id) + ") is not supported: " + traits->why_missing);
  return *traits;
}

// ---- layout -----------------------------------------------------------------------------

void Parser::FailTensor(const TensorInfo& t, const std::string& reason) {
  cur_.SetContext("tensor '" + Printable(t.name) + "'");
  cur_.Fail(t.info_offset, reason);
}

void Parser::ValidateLayout() {
  const uint64_t end_of_infos = cur_.pos();
  const uint64_t pad = (f_.alignment_ - end_of_infos % f_.alignment_) % f_.alignment_;
  f_.data_offset_ = end_of_infos + pad;  // end_of_infos <= file size: no overflow
  const uint64_t size = cur_.size();
  if (f_.tensors_.empty()) return;  // nothing to place: missing final padding is harmless
  if (f_.data_offset_ > size)
    cur_.Fail(end_of_infos, "data section would start at " + std::to_string(f_.data_offset_) +
                                ", past the end of the file (" + std::to_string(size) + " bytes)");

  const uint64_t data_size = size - f_.data_offset_;
  for (TensorInfo& t : f_.tensors_) {
    if (t.offset > data_size || t.n_bytes > data_size - t.offset)
      FailTensor(t, "data [" + std::to_string(t.offset) + ", +" + std::to_string(t.n_bytes) +
                        ") lies outside the data section (" + std::to_string(data_size) +
                        " bytes from file offset " + std::to_string(f_.data_offset_) + ")");
    t.file_offset = f_.data_offset_ + t.offset;
    t.data = f_.bytes() + t.file_offset;
  }

  std::vector<size_t> order(f_.tensors_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) {
    return f_.tensors_[a].offset < f_.tensors_[b].offset;
  });
  for (size_t k = 1; k < order.size(); ++k) {
    const TensorInfo& prev = f_.tensors_[order[k - 1]];
    const TensorInfo& cur = f_.tensors_[order[k]];
    if (cur.offset < prev.offset + prev.n_bytes)
      FailTensor(cur, "data at " + std::to_string(cur.offset) + " overlaps tensor '" +
                          Printable(prev.name) + "' ([" + std::to_string(prev.offset) + ", " +
                          std::to_string(prev.offset + prev.n_bytes) + "))");
  }
}

File File::Parse(std::shared_ptr<Mapping> mapping, const std::string& display_name) {
  if (!mapping) throw std::invalid_argument("gguf::File::Parse: null mapping");
  Parser parser(std::move(mapping), display_name);
  return parser.Run();
}

}  // namespace bitnet::gguf
