#include "engine/model/safetensors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/gguf/gguf.h"

namespace bitnet {
namespace {

constexpr uint64_t kMaxHeader = 100ull << 20;  // 100 MiB, as the reference implementation allows
constexpr int kMaxDims = 8;

struct DtypeInfo {
  const char* name;
  StDtype dtype;
  size_t size;
};
constexpr DtypeInfo kDtypes[] = {{"BF16", StDtype::kBF16, 2}, {"F16", StDtype::kF16, 2}, {"F32", StDtype::kF32, 4},
                                 {"U8", StDtype::kU8, 1},     {"I8", StDtype::kI8, 1},   {"I32", StDtype::kI32, 4},
                                 {"I64", StDtype::kI64, 8}};

}  // namespace

const char* StDtypeName(StDtype d) {
  for (const auto& i : kDtypes)
    if (i.dtype == d) return i.name;
  return "?";
}

size_t StDtypeSize(StDtype d) {
  for (const auto& i : kDtypes)
    if (i.dtype == d) return i.size;
  return 0;
}

int64_t StTensor::n_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

const StTensor* SafetensorsFile::Find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

SafetensorsFile SafetensorsFile::Open(const std::string& path) { return Parse(gguf::Mapping::Open(path), path); }

SafetensorsFile SafetensorsFile::Parse(std::shared_ptr<gguf::Mapping> mapping, const std::string& path) {
  SafetensorsFile f;
  f.path_ = path;
  f.mapping_ = std::move(mapping);
  const uint64_t size = f.mapping_->size();
  const uint8_t* bytes = f.mapping_->data();
  if (size < 8) throw FormatError(path, "offset 0", fmt::format("{} bytes: too short for a safetensors header", size));
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = header_len << 8 | bytes[i];
  if (header_len > kMaxHeader || header_len > size - 8)
    throw FormatError(path, "offset 0",
                      fmt::format("header length {} exceeds the file ({} bytes) or the 100 MiB limit", header_len, size));
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes + 8, bytes + 8 + header_len);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(path, "header (offset 8)", fmt::format("not valid JSON: {}", e.what()));
  }
  if (!header.is_object()) throw FormatError(path, "header (offset 8)", "the header is not a JSON object");
  const uint64_t data_start = 8 + header_len, data_size = size - data_start;
  std::vector<std::pair<uint64_t, uint64_t>> extents;
  for (const auto& [name, entry] : header.items()) {
    const std::string where = fmt::format("tensor '{}'", name);
    if (name == "__metadata__") {
      if (!entry.is_object()) throw FormatError(path, "/__metadata__", "must be an object");
      continue;
    }
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      throw FormatError(path, where, "needs dtype, shape and data_offsets");
    StTensor t;
    t.name = name;
    const auto& dt = entry["dtype"];
    const DtypeInfo* info = nullptr;
    if (dt.is_string())
      for (const auto& i : kDtypes)
        if (dt.get<std::string>() == i.name) info = &i;
    if (!info) throw FormatError(path, where, fmt::format("dtype {} is not supported", dt.dump()));
    t.dtype = info->dtype;
    const auto& shape = entry["shape"];
    if (!shape.is_array() || shape.size() > kMaxDims) throw FormatError(path, where, "shape must be an array of at most 8 sizes");
    uint64_t n = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned() || d.get<uint64_t>() > (1ull << 40))
        throw FormatError(path, where, fmt::format("bad dimension {}", d.dump()));
      const uint64_t v = d.get<uint64_t>();
      if (v != 0 && n > std::numeric_limits<uint64_t>::max() / 16 / v) throw FormatError(path, where, "shape overflows");
      n *= v;
      t.shape.push_back(static_cast<int64_t>(v));
    }
    const auto& off = entry["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      throw FormatError(path, where, "data_offsets must be two non-negative integers");
    const uint64_t begin = off[0].get<uint64_t>(), end = off[1].get<uint64_t>();
    if (begin > end || end > data_size)
      throw FormatError(path, where,
                        fmt::format("data_offsets [{}, {}] outside the {} data bytes", begin, end, data_size));
    if (end - begin != n * info->size)
      throw FormatError(path, fmt::format("{} (offset {})", where, data_start + begin),
                        fmt::format("{} bytes for {} values of {}", end - begin, n, info->name));
    t.data = bytes + data_start + begin;
    t.n_bytes = end - begin;
    t.file_offset = data_start + begin;
    extents.emplace_back(begin, end);
    f.tensors_.emplace(name, std::move(t));
  }
  std::sort(extents.begin(), extents.end());
  for (size_t i = 1; i < extents.size(); ++i)
    if (extents[i].first < extents[i - 1].second)
      throw FormatError(path, fmt::format("offset {}", data_start + extents[i].first), "tensor data overlap");
  return f;
}

void WriteSafetensors(const std::string& path, const std::vector<StTensorData>& tensors) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  header["__metadata__"] = {{"format", "pt"}};
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    header[t.name] = {{"dtype", StDtypeName(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text = header.dump();
  while ((text.size() + 8) % 8 != 0) text += ' ';
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    uint8_t len[8];
    uint64_t n = text.size();
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(n >> (8 * i));
    out.write(reinterpret_cast<const char*>(len), 8);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (const auto& t : tensors) out.write(reinterpret_cast<const char*>(t.bytes.data()), static_cast<std::streamsize>(t.bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp + " to " + path);
}

}  // namespace bitnet
