// File: opening, metadata lookups and typed getters. Parsing lives in reader.cc.
#include <string>

#include "engine/gguf/gguf.h"

namespace bitnet::gguf {
namespace {

std::string KeyWhere(std::string_view key) { return "key '" + std::string(key) + "'"; }

bool IsSigned(ValueType t) {
  return t == ValueType::INT8 || t == ValueType::INT16 || t == ValueType::INT32 ||
         t == ValueType::INT64;
}

}  // namespace

File File::Open(const std::string& path) { return Parse(Mapping::Open(path), path); }

const Value* File::Find(std::string_view key) const {
  auto it = kv_index_.find(key);
  return it == kv_index_.end() ? nullptr : &kv_[it->second].second;
}

const Value& File::Require(std::string_view key) const {
  const Value* v = Find(key);
  if (v == nullptr) throw FormatError(path_, KeyWhere(key), "required key is missing");
  return *v;
}

std::string File::GetString(std::string_view key) const {
  const Value& v = Require(key);
  if (v.type != ValueType::STRING)
    throw FormatError(path_, KeyWhere(key),
                      "expected STRING, found " + std::string(ValueTypeName(v.type)));
  return v.s;
}

uint64_t File::GetUint(std::string_view key) const {
  const Value& v = Require(key);
  if (!v.is_integer())
    throw FormatError(path_, KeyWhere(key),
                      "expected an integer, found " + std::string(ValueTypeName(v.type)));
  if (!IsSigned(v.type)) return v.u;
  if (v.i < 0)
    throw FormatError(path_, KeyWhere(key),
                      "expected a non-negative integer, found " + std::to_string(v.i));
  return static_cast<uint64_t>(v.i);
}

double File::GetFloat(std::string_view key) const {
  const Value& v = Require(key);
  if (v.is_float()) return v.f;
  if (v.is_integer())
    return IsSigned(v.type) ? static_cast<double>(v.i) : static_cast<double>(v.u);
  throw FormatError(path_, KeyWhere(key),
                    "expected a number, found " + std::string(ValueTypeName(v.type)));
}

bool File::GetBool(std::string_view key, bool fallback) const {
  const Value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->type != ValueType::BOOL)
    throw FormatError(path_, KeyWhere(key),
                      "expected BOOL, found " + std::string(ValueTypeName(v->type)));
  return v->b;
}

const TensorInfo* File::FindTensor(std::string_view name) const {
  auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace bitnet::gguf
