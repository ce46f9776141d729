// The GGUF v3 writer: metadata in insertion order, tensor infos, padding, aligned tensor data.
// Values are checked when they are Set and tensors when they are added, so writing a file
// cannot fail on content, only on I/O.
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "engine/gguf/gguf.h"
#include "kernels/quant_types.h"

namespace bitnet::gguf {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the GGUF writer assumes a little-endian host");

constexpr uint32_t kVersion = 3;
constexpr uint64_t kDefaultAlignment = 32;
constexpr std::string_view kAlignmentKey = "general.alignment";
constexpr size_t kMaxDims = 4;

[[noreturn]] void Invalid(const std::string& what) {
  throw std::invalid_argument("gguf::Writer: " + what);
}

bool IsSignedInt(ValueType t) {
  return t == ValueType::INT8 || t == ValueType::INT16 || t == ValueType::INT32 ||
         t == ValueType::INT64;
}

// Inclusive range of the integer type `t` as int64 (UINT64 is handled by callers).
std::pair<int64_t, int64_t> IntRange(ValueType t) {
  switch (t) {
    case ValueType::UINT8: return {0, 255};
    case ValueType::INT8: return {-128, 127};
    case ValueType::UINT16: return {0, 65535};
    case ValueType::INT16: return {-32768, 32767};
    case ValueType::UINT32: return {0, std::numeric_limits<uint32_t>::max()};
    case ValueType::INT32:
      return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    case ValueType::BOOL: return {0, 1};
    default: return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

void CheckScalar(const std::string& key, const Value& v) {
  if (v.is_integer() && v.type != ValueType::UINT64 && v.type != ValueType::INT64) {
    const auto [lo, hi] = IntRange(v.type);
    const bool ok = IsSignedInt(v.type) ? (v.i >= lo && v.i <= hi)
                                        : v.u <= static_cast<uint64_t>(hi);
    if (!ok) Invalid("key '" + key + "': value out of range for " +
                     std::string(ValueTypeName(v.type)));
  }
}

void CheckValue(const std::string& key, const Value& v) {
  const auto type = static_cast<uint32_t>(v.type);
  if (type > static_cast<uint32_t>(ValueType::FLOAT64)) Invalid("key '" + key + "': bad type");
  if (v.type != ValueType::ARRAY) return CheckScalar(key, v);
  const ValueType e = v.elem_type;
  if (e == ValueType::ARRAY) Invalid("key '" + key + "': nested arrays are not supported");
  if (static_cast<uint32_t>(e) > static_cast<uint32_t>(ValueType::FLOAT64))
    Invalid("key '" + key + "': bad array element type");
  if (e == ValueType::STRING || e == ValueType::FLOAT32 || e == ValueType::FLOAT64 ||
      e == ValueType::UINT64 || e == ValueType::INT64)
    return;  // UINT64 elements are bit patterns in `ints`
  const auto [lo, hi] = IntRange(e);
  for (int64_t x : v.ints)
    if (x < lo || x > hi)
      Invalid("key '" + key + "': element " + std::to_string(x) + " out of range for " +
              std::string(ValueTypeName(e)));
}

// Appends little-endian fields to a byte vector.
class Sink {
 public:
  explicit Sink(std::vector<uint8_t>& out) : out_(out) {}
  template <class T>
  void Put(T v) {
    const size_t at = out_.size();
    out_.resize(at + sizeof(T));
    std::memcpy(out_.data() + at, &v, sizeof(T));
  }
  void PutString(std::string_view s) {
    Put<uint64_t>(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void Pad(uint64_t alignment) { out_.resize(out_.size() + PadBytes(out_.size(), alignment), 0); }
  static uint64_t PadBytes(uint64_t at, uint64_t alignment) {
    return (alignment - at % alignment) % alignment;
  }

 private:
  std::vector<uint8_t>& out_;
};

// One element or scalar of integer type `t`, from its widened value.
void PutInt(Sink& s, ValueType t, int64_t i, uint64_t u) {
  switch (t) {
    case ValueType::UINT8: s.Put(static_cast<uint8_t>(u)); break;
    case ValueType::INT8: s.Put(static_cast<int8_t>(i)); break;
    case ValueType::UINT16: s.Put(static_cast<uint16_t>(u)); break;
    case ValueType::INT16: s.Put(static_cast<int16_t>(i)); break;
    case ValueType::UINT32: s.Put(static_cast<uint32_t>(u)); break;
    case ValueType::INT32: s.Put(static_cast<int32_t>(i)); break;
    case ValueType::UINT64: s.Put(u); break;
    case ValueType::INT64: s.Put(i); break;
    case ValueType::BOOL: s.Put(static_cast<uint8_t>(i != 0 ? 1 : 0)); break;
    default: break;
  }
}

void PutArray(Sink& s, const Value& v) {
  s.Put(static_cast<uint32_t>(v.elem_type));
  s.Put<uint64_t>(v.array_size());
  switch (v.elem_type) {
    case ValueType::STRING:
      for (const std::string& x : v.strs) s.PutString(x);
      break;
    case ValueType::FLOAT32:
      for (double x : v.floats) s.Put(static_cast<float>(x));
      break;
    case ValueType::FLOAT64:
      for (double x : v.floats) s.Put(x);
      break;
    default:  // integers and BOOL; the unsigned ones keep their bit pattern
      for (int64_t x : v.ints) PutInt(s, v.elem_type, x, static_cast<uint64_t>(x));
      break;
  }
}

void PutKV(Sink& s, const std::string& key, const Value& v) {
  s.PutString(key);
  s.Put(static_cast<uint32_t>(v.type));
  switch (v.type) {
    case ValueType::FLOAT32: s.Put(static_cast<float>(v.f)); break;
    case ValueType::FLOAT64: s.Put(v.f); break;
    case ValueType::BOOL: s.Put(static_cast<uint8_t>(v.b ? 1 : 0)); break;
    case ValueType::STRING: s.PutString(v.s); break;
    case ValueType::ARRAY: PutArray(s, v); break;
    default: PutInt(s, v.type, v.i, v.u); break;
  }
}

void CheckTensor(const std::string& name, uint32_t type_id, const std::vector<int64_t>& dims,
                 size_t n_bytes) {
  if (name.empty()) Invalid("empty tensor name");
  const std::string where = "tensor '" + name + "': ";
  if (dims.empty() || dims.size() > kMaxDims) Invalid(where + "needs 1..4 dims");
  uint64_t n = 1;
  for (int64_t d : dims) {
    if (d <= 0) Invalid(where + "dims must be positive");
    if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / static_cast<uint64_t>(d))
      Invalid(where + "element count overflows");
    n *= static_cast<uint64_t>(d);
  }
  const QuantTraits* traits = GetQuantTraits(type_id);
  if (traits == nullptr) Invalid(where + "unknown type id " + std::to_string(type_id));
  if (traits->block_size <= 0) Invalid(where + "type " + std::string(traits->name) +
                                       " cannot be sized: " + traits->why_missing);
  if (dims[0] % traits->block_size != 0)
    Invalid(where + "row length is not a multiple of the block size");
  const auto expected = TensorBytes(static_cast<QuantType>(type_id), n);
  if (!expected || *expected != n_bytes)
    Invalid(where + "has " + std::to_string(n_bytes) + " bytes, " + std::string(traits->name) +
            " needs " + (expected ? std::to_string(*expected) : std::string("(overflow)")));
}

// What the header needs to know about a tensor.
struct InfoView {
  const std::string* name;
  uint32_t type_id;
  const std::vector<int64_t>* dims;
  uint64_t n_bytes;
};

// Header, metadata, tensor infos and the padding up to the data section.
std::vector<uint8_t> HeaderBytes(uint64_t alignment,
                                 const std::vector<std::pair<std::string, Value>>& kv,
                                 const std::vector<InfoView>& infos) {
  bool has_alignment_key = false;
  for (const auto& [k, v] : kv) has_alignment_key |= (k == kAlignmentKey);
  const bool add_alignment = alignment != kDefaultAlignment && !has_alignment_key;

  std::vector<uint8_t> out;
  Sink s(out);
  s.Put<uint32_t>(0x46554747u);  // "GGUF" read as a little-endian u32
  s.Put<uint32_t>(kVersion);
  s.Put<uint64_t>(infos.size());
  s.Put<uint64_t>(kv.size() + (add_alignment ? 1 : 0));
  if (add_alignment)
    PutKV(s, std::string(kAlignmentKey), Value::U32(static_cast<uint32_t>(alignment)));
  for (const auto& [k, v] : kv) PutKV(s, k, v);
  uint64_t offset = 0;
  for (const InfoView& t : infos) {
    s.PutString(*t.name);
    s.Put<uint32_t>(static_cast<uint32_t>(t.dims->size()));
    for (int64_t d : *t.dims) s.Put<uint64_t>(static_cast<uint64_t>(d));
    s.Put<uint32_t>(t.type_id);
    s.Put<uint64_t>(offset);
    offset += t.n_bytes + Sink::PadBytes(t.n_bytes, alignment);
  }
  s.Pad(alignment);
  return out;
}

}  // namespace

Writer::Writer(uint64_t alignment) : alignment_(alignment) {
  if (alignment == 0 || !std::has_single_bit(alignment) ||
      alignment > std::numeric_limits<uint32_t>::max())
    Invalid("alignment " + std::to_string(alignment) + " is not a power of two in u32 range");
}

void Writer::Set(std::string key, Value v) {
  if (key.empty()) Invalid("empty key");
  if (key == kAlignmentKey && (v.type != ValueType::UINT32 || v.u != alignment_))
    Invalid("general.alignment must be the UINT32 passed to the Writer's constructor");
  CheckValue(key, v);
  for (auto& [k, old] : kv_) {
    if (k == key) {
      old = std::move(v);
      return;
    }
  }
  kv_.emplace_back(std::move(key), std::move(v));
}

void Writer::AddTensor(std::string name, uint32_t type_id, std::vector<int64_t> dims,
                       std::vector<uint8_t> bytes) {
  CheckTensor(name, type_id, dims, bytes.size());
  for (const PendingTensor& t : tensors_)
    if (t.name == name) Invalid("duplicate tensor name '" + name + "'");
  const uint64_t n = bytes.size();
  tensors_.push_back({std::move(name), type_id, std::move(dims), std::move(bytes), n, nullptr});
}

void Writer::AddProducedTensor(std::string name, uint32_t type_id, std::vector<int64_t> dims, Producer produce) {
  if (!produce) Invalid("tensor '" + name + "': no producer");
  const QuantTraits* traits = GetQuantTraits(type_id);
  uint64_t count = 1;
  for (int64_t d : dims) count *= d > 0 ? static_cast<uint64_t>(d) : 0;
  const auto size = traits ? TensorBytes(static_cast<QuantType>(type_id), count) : std::nullopt;
  const uint64_t n_bytes = size.value_or(0);
  CheckTensor(name, type_id, dims, n_bytes);  // a size that cannot be computed fails here
  for (const PendingTensor& t : tensors_)
    if (t.name == name) Invalid("duplicate tensor name '" + name + "'");
  tensors_.push_back({std::move(name), type_id, std::move(dims), {}, n_bytes, std::move(produce)});
}

namespace {

// A tensor's bytes: its own, or produced into `buffer`.
std::span<const uint8_t> TensorData(const std::vector<uint8_t>& own, uint64_t n_bytes,
                                    const Writer::Producer& produce, std::vector<uint8_t>& buffer) {
  if (!produce) return own;
  buffer.resize(n_bytes);
  produce(std::span<uint8_t>(buffer.data(), buffer.size()));
  return buffer;
}

}  // namespace

std::vector<uint8_t> Writer::ToBytes() const {
  std::vector<InfoView> infos;
  for (const PendingTensor& t : tensors_)
    infos.push_back({&t.name, t.type_id, &t.dims, t.n_bytes});
  std::vector<uint8_t> out = HeaderBytes(alignment_, kv_, infos);
  Sink s(out);
  std::vector<uint8_t> buffer;
  for (const PendingTensor& t : tensors_) {
    const std::span<const uint8_t> data = TensorData(t.bytes, t.n_bytes, t.produce, buffer);
    out.insert(out.end(), data.begin(), data.end());
    s.Pad(alignment_);
  }
  return out;
}

// Streams the header and then each tensor with its padding into path.tmp.<pid>, then renames.
void Writer::Write(const std::string& path, bool sync) const {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const std::string& what) {
    const std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    throw std::runtime_error("gguf::Writer: " + what + ": " + err);
  };
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) fail("cannot create " + tmp);
  std::vector<InfoView> infos;
  for (const PendingTensor& t : tensors_)
    infos.push_back({&t.name, t.type_id, &t.dims, t.n_bytes});
  const std::vector<uint8_t> header = HeaderBytes(alignment_, kv_, infos);
  const std::vector<uint8_t> zeros(alignment_, 0);
  bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size();
  std::vector<uint8_t> buffer;
  for (const PendingTensor& t : tensors_) {
    if (!ok) break;
    std::span<const uint8_t> data;
    try {
      data = TensorData(t.bytes, t.n_bytes, t.produce, buffer);
    } catch (...) {  // a producer failed: no temporary file left behind
      std::fclose(f);
      std::remove(tmp.c_str());
      throw;
    }
    const size_t pad = Sink::PadBytes(data.size(), alignment_);
    ok = ok && std::fwrite(data.data(), 1, data.size(), f) == data.size();
    ok = ok && std::fwrite(zeros.data(), 1, pad, f) == pad;
  }
  ok = ok && std::fflush(f) == 0 && (!sync || ::fsync(::fileno(f)) == 0);
  ok = std::fclose(f) == 0 && ok;
  if (!ok) fail("cannot write " + tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename " + tmp + " to " + path);
}

}  // namespace bitnet::gguf
