// Metadata values and tensor-info helpers of the GGUF reader/writer.
//
// Widening rules (the reader and the writer both follow them):
//   unsigned scalars: `u` holds the value, `i` the same value clamped to INT64_MAX;
//   signed scalars:   `i` holds the value, `u` the same value clamped at 0;
//   integer arrays:   `ints` holds each element; UINT64 elements keep their bit pattern.
#include <limits>

#include "engine/gguf/gguf.h"

namespace bitnet::gguf {

std::string_view ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::UINT8: return "UINT8";
    case ValueType::INT8: return "INT8";
    case ValueType::UINT16: return "UINT16";
    case ValueType::INT16: return "INT16";
    case ValueType::UINT32: return "UINT32";
    case ValueType::INT32: return "INT32";
    case ValueType::FLOAT32: return "FLOAT32";
    case ValueType::BOOL: return "BOOL";
    case ValueType::STRING: return "STRING";
    case ValueType::ARRAY: return "ARRAY";
    case ValueType::UINT64: return "UINT64";
    case ValueType::INT64: return "INT64";
    case ValueType::FLOAT64: return "FLOAT64";
  }
  return "UNKNOWN";
}

namespace {

Value Unsigned(ValueType t, uint64_t v) {
  Value out;
  out.type = t;
  out.u = v;
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  out.i = static_cast<int64_t>(v > kMax ? kMax : v);
  return out;
}

Value Signed(ValueType t, int64_t v) {
  Value out;
  out.type = t;
  out.i = v;
  out.u = v < 0 ? 0 : static_cast<uint64_t>(v);
  return out;
}

Value Array(ValueType elem) {
  Value out;
  out.type = ValueType::ARRAY;
  out.elem_type = elem;
  return out;
}

}  // namespace

Value Value::U32(uint32_t v) { return Unsigned(ValueType::UINT32, v); }
Value Value::I32(int32_t v) { return Signed(ValueType::INT32, v); }
Value Value::U64(uint64_t v) { return Unsigned(ValueType::UINT64, v); }

Value Value::F32(float v) {
  Value out;
  out.type = ValueType::FLOAT32;
  out.f = v;
  return out;
}

Value Value::Bool(bool v) {
  Value out;
  out.type = ValueType::BOOL;
  out.b = v;
  return out;
}

Value Value::Str(std::string v) {
  Value out;
  out.type = ValueType::STRING;
  out.s = std::move(v);
  return out;
}

Value Value::StrArray(std::vector<std::string> v) {
  Value out = Array(ValueType::STRING);
  out.strs = std::move(v);
  return out;
}

Value Value::I32Array(std::vector<int32_t> v) {
  Value out = Array(ValueType::INT32);
  out.ints.assign(v.begin(), v.end());
  return out;
}

Value Value::F32Array(std::vector<float> v) {
  Value out = Array(ValueType::FLOAT32);
  out.floats.assign(v.begin(), v.end());
  return out;
}

bool Value::is_integer() const {
  switch (type) {
    case ValueType::UINT8: case ValueType::INT8: case ValueType::UINT16: case ValueType::INT16:
    case ValueType::UINT32: case ValueType::INT32: case ValueType::UINT64: case ValueType::INT64:
      return true;
    default:
      return false;
  }
}

bool Value::is_float() const { return type == ValueType::FLOAT32 || type == ValueType::FLOAT64; }

size_t Value::array_size() const {
  if (type != ValueType::ARRAY) return 0;
  if (elem_type == ValueType::STRING) return strs.size();
  if (elem_type == ValueType::FLOAT32 || elem_type == ValueType::FLOAT64) return floats.size();
  return ints.size();
}

// Both products were checked for overflow by the reader (and by Writer::AddTensor).
int64_t TensorInfo::n_elements() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

int64_t TensorInfo::rows() const {
  if (dims.empty()) return 0;
  int64_t n = 1;
  for (size_t k = 1; k < dims.size(); ++k) n *= dims[k];
  return n;
}

}  // namespace bitnet::gguf
