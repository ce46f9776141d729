// The GGUF reader against hand-made corrupt files (each must throw FormatError naming the
// place and the reason), every truncation and single-byte corruption of a valid file,
// and the mapping's handling of missing and empty files.
#include <catch2/catch.hpp>
#include <cstring>
#include <optional>

#include "engine/gguf/gguf.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet::gguf {
namespace {

constexpr uint32_t kF32 = static_cast<uint32_t>(QuantType::F32);
constexpr uint32_t kStr = static_cast<uint32_t>(ValueType::STRING);
constexpr uint32_t kU32 = static_cast<uint32_t>(ValueType::UINT32);
constexpr uint32_t kArr = static_cast<uint32_t>(ValueType::ARRAY);

// Little-endian byte builder for hand-made files.
struct Bytes {
  std::vector<uint8_t> v;
  template <class T>
  Bytes& Put(T x) {
    const size_t at = v.size();
    v.resize(at + sizeof(T));
    std::memcpy(v.data() + at, &x, sizeof(T));
    return *this;
  }
  Bytes& U32(uint32_t x) { return Put(x); }
  Bytes& U64(uint64_t x) { return Put(x); }
  Bytes& Str(const std::string& s) {
    U64(s.size());
    v.insert(v.end(), s.begin(), s.end());
    return *this;
  }
};

std::vector<uint8_t> KvStr(const std::string& key, const std::string& value) {
  return Bytes().Str(key).U32(kStr).Str(value).v;
}
std::vector<uint8_t> KvU32(const std::string& key, uint32_t value) {
  return Bytes().Str(key).U32(kU32).U32(value).v;
}

struct TensorSpec {
  std::string name;
  std::vector<uint64_t> dims;
  uint32_t type = kF32;
  uint64_t offset = 0;
};

// A small file described field by field, so each case can break exactly one thing.
struct FileSpec {
  std::string magic = "GGUF";
  uint32_t version = 3;
  std::vector<std::vector<uint8_t>> kvs = {KvStr("general.architecture", "test")};
  std::vector<TensorSpec> tensors = {{"a", {8}}, {"b", {4, 2}, kF32, 32}};
  uint64_t alignment = 32;  // used for padding only
  uint64_t data_bytes = 64;
  std::optional<uint64_t> tensor_count, kv_count;

  std::vector<uint8_t> Build() const {
    Bytes b;
    b.v.insert(b.v.end(), magic.begin(), magic.end());
    b.U32(version).U64(tensor_count.value_or(tensors.size())).U64(kv_count.value_or(kvs.size()));
    for (const auto& kv : kvs) b.v.insert(b.v.end(), kv.begin(), kv.end());
    for (const TensorSpec& t : tensors) {
      b.Str(t.name).U32(static_cast<uint32_t>(t.dims.size()));
      for (uint64_t d : t.dims) b.U64(d);
      b.U32(t.type).U64(t.offset);
    }
    while (b.v.size() % alignment != 0) b.v.push_back(0);
    b.v.resize(b.v.size() + data_bytes, 0);
    return b.v;
  }
};

File ParseBytes(std::vector<uint8_t> bytes) {
  return File::Parse(Mapping::FromBytes(std::move(bytes)), "bad.gguf");
}

enum class Corrupt {
  kEmpty, kWrongMagic, kVersion1, kVersion99, kBigEndian, kUnknownValueType,
  kUnknownTensorType, kUnsizableTensorType, kNDims0, kNDims5, kDim0, kDimNegative,
  kDimsOverflow, kRowNotBlockMultiple, kOutOfRange, kPastEnd, kOverlap, kMisaligned,
  kDuplicateKey, kDuplicateTensor, kEmptyKey, kEmptyTensorName, kAlignment3, kAlignment0,
  kAlignmentNotU32, kHugeString, kHugeKey, kHugeArray, kArrayCountPastEnd, kNestedArray,
  kBadBool, kHugeKvCount, kHugeTensorCount, kTruncatedHeader,
};

struct Case {
  Corrupt kind;
  const char* name;
  std::string where;   // expected in FormatError::where()
  std::string reason;  // expected in FormatError::reason()
};

std::vector<uint8_t> ArrayKv(uint32_t elem, uint64_t count, std::vector<uint8_t> tail = {}) {
  Bytes b;
  b.Str("arr").U32(kArr).U32(elem).U64(count);
  b.v.insert(b.v.end(), tail.begin(), tail.end());
  return b.v;
}

std::vector<uint8_t> MakeCorrupt(Corrupt kind) {
  FileSpec s;
  switch (kind) {
    case Corrupt::kEmpty: return {};
    case Corrupt::kWrongMagic: s.magic = "GGML"; break;
    case Corrupt::kVersion1: s.version = 1; break;
    case Corrupt::kVersion99: s.version = 99; break;
    case Corrupt::kBigEndian: s.version = 0x03000000; break;
    case Corrupt::kUnknownValueType: s.kvs.push_back(Bytes().Str("k").U32(13).U32(0).v); break;
    case Corrupt::kUnknownTensorType: s.tensors[1].type = 33; break;
    case Corrupt::kUnsizableTensorType: s.tensors[1].type = 39; break;
    case Corrupt::kNDims0: s.tensors[0].dims = {}; break;
    case Corrupt::kNDims5: s.tensors[0].dims = {1, 1, 1, 1, 8}; break;
    case Corrupt::kDim0: s.tensors[1].dims = {4, 0}; break;
    case Corrupt::kDimNegative: s.tensors[1].dims = {4, ~uint64_t{0}}; break;
    case Corrupt::kDimsOverflow: s.tensors[1].dims = {1u << 31, 1u << 31, 1u << 31}; break;
    case Corrupt::kRowNotBlockMultiple: s.tensors[1] = {"b", {100}, 36, 32}; break;
    case Corrupt::kOutOfRange: s.tensors[1].offset = 64; break;
    case Corrupt::kPastEnd: s.tensors[1].offset = uint64_t{1} << 62; break;
    case Corrupt::kOverlap:  // b = [0, 64) and a = [32, 64)
      s.tensors[0].offset = 32;
      s.tensors[1] = {"b", {4, 4}, kF32, 0};
      break;
    case Corrupt::kMisaligned: s.tensors[1].offset = 16; break;
    case Corrupt::kDuplicateKey: s.kvs.push_back(KvStr("general.architecture", "again")); break;
    case Corrupt::kDuplicateTensor: s.tensors[1].name = "a"; break;
    case Corrupt::kEmptyKey: s.kvs.push_back(KvU32("", 1)); break;
    case Corrupt::kEmptyTensorName: s.tensors[1].name = ""; break;
    case Corrupt::kAlignment3: s.kvs.push_back(KvU32("general.alignment", 3)); break;
    case Corrupt::kAlignment0: s.kvs.push_back(KvU32("general.alignment", 0)); break;
    case Corrupt::kAlignmentNotU32: s.kvs.push_back(KvStr("general.alignment", "32")); break;
    case Corrupt::kHugeString: s.kvs.push_back(Bytes().Str("k").U32(kStr).U64(~0ull >> 1).v); break;
    case Corrupt::kHugeKey: s.kvs.insert(s.kvs.begin(), Bytes().U64(1ull << 40).v); break;
    case Corrupt::kHugeArray: s.kvs.push_back(ArrayKv(kU32, ~0ull)); break;
    case Corrupt::kArrayCountPastEnd: s.kvs.push_back(ArrayKv(kU32, 10000)); break;
    case Corrupt::kNestedArray:
      s.kvs.push_back(ArrayKv(kArr, 1, Bytes().U32(kU32).U64(0).v));
      break;
    case Corrupt::kBadBool: s.kvs.push_back(Bytes().Str("k").U32(7).Put<uint8_t>(2).v); break;
    case Corrupt::kHugeKvCount: s.kv_count = 1ull << 60; break;
    case Corrupt::kHugeTensorCount: s.tensor_count = ~0ull; break;
    case Corrupt::kTruncatedHeader: return {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1};
  }
  return s.Build();
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {Corrupt::kEmpty, "empty", "offset 0", "empty file"},
      {Corrupt::kWrongMagic, "wrong magic", "offset 0", "bad magic 'GGML'"},
      {Corrupt::kVersion1, "version 1", "offset 4", "version 1 is not supported"},
      {Corrupt::kVersion99, "version 99", "offset 4", "unsupported GGUF version 99"},
      {Corrupt::kBigEndian, "big-endian", "offset 4", "big-endian"},
      {Corrupt::kUnknownValueType, "unknown value type", "key 'k'", "unknown value type 13"},
      {Corrupt::kUnknownTensorType, "unknown tensor type", "tensor 'b'", "unknown tensor type id"},
      {Corrupt::kUnsizableTensorType, "TL2", "tensor 'b'", "TL2 (id 39) is not supported: layout"},
      {Corrupt::kNDims0, "n_dims 0", "tensor 'a'", "n_dims 0 is not in 1..4"},
      {Corrupt::kNDims5, "n_dims 5", "tensor 'a'", "n_dims 5 is not in 1..4"},
      {Corrupt::kDim0, "dim 0", "tensor 'b'", "dim 1 is 0"},
      {Corrupt::kDimNegative, "dim -1", "tensor 'b'", "dim 1 is -1"},
      {Corrupt::kDimsOverflow, "dims overflow", "tensor 'b'", "element count overflows"},
      {Corrupt::kRowNotBlockMultiple, "row % block", "tensor 'b'", "not a multiple of I2_S's"},
      {Corrupt::kOutOfRange, "out of range", "tensor 'b'", "outside the data section"},
      {Corrupt::kPastEnd, "offset 2^62", "tensor 'b'", "outside the data section"},
      {Corrupt::kOverlap, "overlap", "tensor 'a'", "overlaps tensor 'b'"},
      {Corrupt::kMisaligned, "misaligned", "tensor 'b'", "not a multiple of the alignment 32"},
      {Corrupt::kDuplicateKey, "duplicate key", "key 'general.architecture'", "duplicate key"},
      {Corrupt::kDuplicateTensor, "duplicate tensor", "tensor 'a'", "duplicate tensor name"},
      {Corrupt::kEmptyKey, "empty key", "key #1", "empty key"},
      {Corrupt::kEmptyTensorName, "empty tensor name", "tensor #1", "empty tensor name"},
      {Corrupt::kAlignment3, "alignment 3", "key 'general.alignment'", "alignment 3 is not"},
      {Corrupt::kAlignment0, "alignment 0", "key 'general.alignment'", "alignment 0 is not"},
      {Corrupt::kAlignmentNotU32, "alignment type", "key 'general.alignment'", "must be UINT32"},
      {Corrupt::kHugeString, "huge string", "key 'k'", "exceeds the limit"},
      {Corrupt::kHugeKey, "huge key", "key #0 (offset 24)", "key length 1099511627776 exceeds"},
      {Corrupt::kHugeArray, "huge array", "key 'arr'", "exceeds the limit"},
      {Corrupt::kArrayCountPastEnd, "array past end", "key 'arr'", "cannot fit in the"},
      {Corrupt::kNestedArray, "nested array", "key 'arr'", "nested arrays are not supported"},
      {Corrupt::kBadBool, "bool 2", "key 'k'", "BOOL value 2"},
      {Corrupt::kHugeKvCount, "huge kv_count", "offset 16", "kv_count 1152921504606846976"},
      {Corrupt::kHugeTensorCount, "huge tensor_count", "offset 8", "tensor_count"},
      {Corrupt::kTruncatedHeader, "truncated header", "offset 8", "truncated file"},
  };
  return cases;
}

// Parses `bytes` and returns true, or returns false on FormatError; anything else escapes.
bool ParsesOrFormatError(const std::vector<uint8_t>& bytes) {
  try {
    ParseBytes(bytes);
    return true;
  } catch (const FormatError& e) {
    CHECK(e.file() == "bad.gguf");
    CHECK_FALSE(e.reason().empty());
    return false;
  }
}

}  // namespace

TEST_CASE("gguf reader: the hand-made base file is valid", "[gguf]") {
  const File f = ParseBytes(FileSpec().Build());
  CHECK(f.GetString("general.architecture") == "test");
  REQUIRE(f.tensors().size() == 2);
  CHECK(f.tensors()[1].n_bytes == 32);
  CHECK(f.tensors()[1].rows() == 2);
  CHECK(f.data_offset() % 32 == 0);
  FileSpec v2;
  v2.version = 2;
  CHECK(ParseBytes(v2.Build()).version() == 2);
}

TEST_CASE("gguf reader rejects each hand-made corrupt file", "[gguf]") {
  for (const Case& c : Cases()) {
    SECTION(c.name) {
      const std::vector<uint8_t> bytes = MakeCorrupt(c.kind);
      try {
        ParseBytes(bytes);
        FAIL("parsed without error");
      } catch (const FormatError& e) {
        INFO(e.what());
        CHECK(e.file() == "bad.gguf");
        CHECK_THAT(e.where(), Catch::Contains(c.where));
        CHECK_THAT(e.where(), Catch::Contains("offset "));
        CHECK_THAT(e.reason(), Catch::Contains(c.reason));
      }
    }
  }
}

TEST_CASE("gguf reader: every prefix of a valid file parses or throws FormatError", "[gguf]") {
  Writer w;
  w.Set("general.architecture", Value::Str("bitnet-b1.58"));
  w.Set("n", Value::U32(7));
  w.Set("toks", Value::StrArray({"<s>", "a", "bc"}));
  w.Set("scores", Value::F32Array({0.5f, 1.5f}));
  w.Set("ids", Value::I32Array({1, 2, 3}));
  w.Set("flag", Value::Bool(true));
  w.AddTensor("x", kF32, {3}, std::vector<uint8_t>(12, 1));
  w.AddTensor("y", static_cast<uint32_t>(QuantType::I2_S), {128}, std::vector<uint8_t>(64, 2));
  const std::vector<uint8_t> full = w.ToBytes();
  const File ok = ParseBytes(full);
  const uint64_t data_end = ok.FindTensor("y")->file_offset + ok.FindTensor("y")->n_bytes;
  for (size_t len = 0; len < full.size(); ++len) {
    CAPTURE(len);
    const bool parsed = ParsesOrFormatError(std::vector<uint8_t>(full.begin(), full.begin() + len));
    CHECK(parsed == (len >= data_end));  // only the trailing padding may be cut
  }
}

TEST_CASE("gguf reader: every single-byte corruption parses or throws FormatError", "[gguf]") {
  Writer w;
  w.Set("general.architecture", Value::Str("bitnet"));
  w.Set("toks", Value::StrArray({"a", "b"}));
  w.Set("b", Value::Bool(false));
  w.AddTensor("x", kF32, {2, 2}, std::vector<uint8_t>(16, 0));
  w.AddTensor("y", static_cast<uint32_t>(QuantType::TQ2_0), {256}, std::vector<uint8_t>(66, 0));
  const std::vector<uint8_t> full = w.ToBytes();
  const size_t header_end = ParseBytes(full).data_offset();
  for (size_t pos = 0; pos < header_end; ++pos) {
    for (int val : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::vector<uint8_t> bytes = full;
      bytes[pos] = static_cast<uint8_t>(val);
      CAPTURE(pos, val);
      ParsesOrFormatError(bytes);
    }
  }
}

TEST_CASE("gguf reader accepts arrays and files without tensors", "[gguf]") {
  FileSpec s;
  s.tensors.clear();
  s.data_bytes = 0;
  s.kvs.push_back(ArrayKv(kU32, 2, Bytes().U32(5).U32(6).v));
  s.kvs.push_back(KvU32("general.alignment", 64));
  const File f = ParseBytes(s.Build());
  CHECK(f.alignment() == 64);
  CHECK(f.Require("arr").ints == std::vector<int64_t>{5, 6});
  CHECK(f.tensors().empty());
}

TEST_CASE("gguf Mapping: missing, empty and directory inputs", "[gguf]") {
  const auto dir = test::TempDir("gguf-mapping");
  const std::string missing = (dir / "nope.gguf").string();
  try {
    File::Open(missing);
    FAIL("opened a missing file");
  } catch (const FormatError&) {
    FAIL("a missing file is not a format error");
  } catch (const InputError& e) {
    CHECK(e.file() == missing);
    CHECK_THAT(e.reason(), Catch::Contains("cannot open"));
  }
  const std::string empty = (dir / "empty.gguf").string();
  test::WriteFileBytes(empty, {});
  CHECK(Mapping::Open(empty)->size() == 0);
  CHECK_THROWS_AS(File::Open(empty), FormatError);
  CHECK_THROWS_WITH(File::Open(empty), Catch::Contains("empty.gguf: offset 0: empty file"));
  CHECK_THROWS_AS(Mapping::Open(dir.string()), InputError);

  const std::vector<uint8_t> bytes = FileSpec().Build();
  const std::string good = (dir / "good.gguf").string();
  test::WriteFileBytes(good, bytes);
  const auto m = Mapping::Open(good);
  REQUIRE(m->size() == bytes.size());
  CHECK(std::equal(bytes.begin(), bytes.end(), m->data()));
  CHECK(Mapping::FromBytes({})->size() == 0);
}

}  // namespace bitnet::gguf
