// GGUF writer -> reader round trips: every value type, several tensor types, alignment,
// atomic writes, and the writer's own argument checks.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <limits>

#include "engine/gguf/gguf.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet::gguf {
namespace {

Value Scalar(ValueType t, int64_t i, uint64_t u) {
  Value v;
  v.type = t;
  v.i = i;
  v.u = u;
  return v;
}

Value IntArray(ValueType elem, std::vector<int64_t> ints) {
  Value v;
  v.type = ValueType::ARRAY;
  v.elem_type = elem;
  v.ints = std::move(ints);
  return v;
}

Value FloatArray(ValueType elem, std::vector<double> floats) {
  Value v;
  v.type = ValueType::ARRAY;
  v.elem_type = elem;
  v.floats = std::move(floats);
  return v;
}

// Packs n deterministic floats into `type` with the reference packer.
std::vector<uint8_t> Packed(QuantType type, int64_t n, uint32_t seed) {
  const QuantTraits& tr = GetQuantTraits(type);
  std::vector<float> x = test::RandomFloats(static_cast<size_t>(n), seed);
  if (tr.ternary)  // I2_S's packer expects ternarized input: value * scale
    for (float& v : x) v = 0.5f * static_cast<float>(std::lround(v));
  std::vector<uint8_t> out(*TensorBytes(type, static_cast<uint64_t>(n)));
  tr.from_float_ref(x.data(), out.data(), n);
  return out;
}

File ParseBytes(std::vector<uint8_t> bytes) {
  return File::Parse(Mapping::FromBytes(std::move(bytes)), "<memory>");
}

}  // namespace

TEST_CASE("gguf writer round-trips every value type", "[gguf]") {
  constexpr uint64_t kBigU64 = 0xfedcba9876543210ull;
  Writer w;
  w.Set("t.u8", Scalar(ValueType::UINT8, 0, 200));
  w.Set("t.i8", Scalar(ValueType::INT8, -100, 0));
  w.Set("t.u16", Scalar(ValueType::UINT16, 0, 60000));
  w.Set("t.i16", Scalar(ValueType::INT16, -30000, 0));
  w.Set("t.u32", Value::U32(4000000000u));
  w.Set("t.i32", Value::I32(-2000000000));
  w.Set("t.f32", Value::F32(1.5f));
  w.Set("t.bool", Value::Bool(true));
  w.Set("t.str", Value::Str("h\xc3\xa9llo"));
  w.Set("t.u64", Value::U64(kBigU64));
  w.Set("t.i64", Scalar(ValueType::INT64, -(int64_t{1} << 62), 0));
  Value f64;
  f64.type = ValueType::FLOAT64;
  f64.f = 1e-300;
  w.Set("t.f64", f64);
  w.Set("a.str", Value::StrArray({"a", "", "ccc"}));
  w.Set("a.i32", Value::I32Array({-1, 0, 7}));
  w.Set("a.f32", Value::F32Array({0.25f, -2.0f}));
  w.Set("a.u8", IntArray(ValueType::UINT8, {0, 255}));
  w.Set("a.i8", IntArray(ValueType::INT8, {-128, 127}));
  w.Set("a.u16", IntArray(ValueType::UINT16, {65535}));
  w.Set("a.i16", IntArray(ValueType::INT16, {-32768}));
  w.Set("a.u32", IntArray(ValueType::UINT32, {4294967295}));
  w.Set("a.bool", IntArray(ValueType::BOOL, {1, 0, 1}));
  w.Set("a.u64", IntArray(ValueType::UINT64, {static_cast<int64_t>(kBigU64)}));
  w.Set("a.i64", IntArray(ValueType::INT64, {std::numeric_limits<int64_t>::min()}));
  w.Set("a.f64", FloatArray(ValueType::FLOAT64, {1e300}));
  w.Set("a.empty", Value::StrArray({}));

  const File f = ParseBytes(w.ToBytes());
  CHECK(f.version() == 3);
  CHECK(f.alignment() == 32);
  REQUIRE(f.kv().size() == 25);
  CHECK(f.kv()[0].first == "t.u8");   // insertion order
  CHECK(f.kv()[24].first == "a.empty");
  CHECK(f.Require("t.u8").type == ValueType::UINT8);
  CHECK(f.GetUint("t.u8") == 200);
  CHECK(f.Require("t.i8").i == -100);
  CHECK(f.GetUint("t.u16") == 60000);
  CHECK(f.Require("t.i16").i == -30000);
  CHECK(f.GetUint("t.u32") == 4000000000u);
  CHECK(f.Require("t.i32").i == -2000000000);
  CHECK(f.GetFloat("t.f32") == 1.5);
  CHECK(f.GetBool("t.bool", false));
  CHECK(f.GetString("t.str") == "h\xc3\xa9llo");
  CHECK(f.GetUint("t.u64") == kBigU64);
  CHECK(f.Require("t.i64").i == -(int64_t{1} << 62));
  CHECK(f.GetFloat("t.f64") == 1e-300);
  CHECK(f.Require("a.str").strs == std::vector<std::string>{"a", "", "ccc"});
  CHECK(f.Require("a.i32").ints == std::vector<int64_t>{-1, 0, 7});
  CHECK(f.Require("a.f32").floats == std::vector<double>{0.25, -2.0});
  CHECK(f.Require("a.u8").ints == std::vector<int64_t>{0, 255});
  CHECK(f.Require("a.i8").ints == std::vector<int64_t>{-128, 127});
  CHECK(f.Require("a.u16").ints == std::vector<int64_t>{65535});
  CHECK(f.Require("a.i16").ints == std::vector<int64_t>{-32768});
  CHECK(f.Require("a.u32").ints == std::vector<int64_t>{4294967295});
  CHECK(f.Require("a.bool").ints == std::vector<int64_t>{1, 0, 1});
  CHECK(static_cast<uint64_t>(f.Require("a.u64").ints.at(0)) == kBigU64);
  CHECK(f.Require("a.i64").ints == std::vector<int64_t>{std::numeric_limits<int64_t>::min()});
  CHECK(f.Require("a.f64").floats == std::vector<double>{1e300});
  CHECK(f.Require("a.empty").elem_type == ValueType::STRING);
  CHECK(f.Require("a.empty").array_size() == 0);
  CHECK(f.Require("a.bool").elem_type == ValueType::BOOL);
  CHECK(f.tensors().empty());
}

TEST_CASE("gguf writer round-trips F32, F16, I2_S and TQ2_0 tensors", "[gguf]") {
  struct T {
    const char* name;
    QuantType type;
    std::vector<int64_t> dims;
  };
  const std::vector<T> specs = {
      {"norm.weight", QuantType::F32, {7}},
      {"embd.weight", QuantType::F16, {5, 3}},
      {"blk.0.attn_q.weight", QuantType::I2_S, {256, 3}},
      {"blk.0.ffn_up.weight", QuantType::TQ2_0, {512, 2, 1, 2}},
  };
  for (uint64_t alignment : {uint64_t{32}, uint64_t{64}, uint64_t{1}}) {
    CAPTURE(alignment);
    Writer w(alignment);
    w.Set("general.architecture", Value::Str("bitnet-b1.58"));
    std::vector<std::vector<uint8_t>> data;
    for (size_t k = 0; k < specs.size(); ++k) {
      int64_t n = 1;
      for (int64_t d : specs[k].dims) n *= d;
      data.push_back(Packed(specs[k].type, n, 1234 + static_cast<uint32_t>(k)));
      w.AddTensor(specs[k].name, static_cast<uint32_t>(specs[k].type), specs[k].dims, data[k]);
    }
    const File f = ParseBytes(w.ToBytes());
    CHECK(f.alignment() == alignment);
    CHECK((f.Find("general.alignment") != nullptr) == (alignment != 32));
    CHECK(f.data_offset() % alignment == 0);
    REQUIRE(f.tensors().size() == specs.size());
    for (size_t k = 0; k < specs.size(); ++k) {
      const TensorInfo* t = f.FindTensor(specs[k].name);
      REQUIRE(t != nullptr);
      CHECK(t == &f.tensors()[k]);
      CHECK(t->dims == specs[k].dims);
      CHECK(t->type_id == static_cast<uint32_t>(specs[k].type));
      CHECK(t->n_bytes == data[k].size());
      CHECK(t->offset % alignment == 0);
      CHECK(t->file_offset == f.data_offset() + t->offset);
      CHECK(std::equal(data[k].begin(), data[k].end(), t->data));
    }
    CHECK(f.FindTensor("blk.0.attn_q.weight")->n_bytes == 256 * 3 / 4 + 32);
    CHECK(f.FindTensor("blk.0.attn_q.weight")->rows() == 3);
    CHECK(f.FindTensor("blk.0.ffn_up.weight")->n_elements() == 2048);
  }
}

TEST_CASE("gguf Writer::Write is atomic and File::Open reads it back", "[gguf]") {
  const auto dir = test::TempDir("gguf-writer");
  const std::string path = (dir / "model.gguf").string();
  Writer w;
  w.Set("general.name", Value::Str("first"));
  w.Set("general.name", Value::Str("second"));  // replaces, keeps its place
  w.Set("x", Value::U32(1));
  w.AddTensor("w", static_cast<uint32_t>(QuantType::F32), {4}, std::vector<uint8_t>(16, 0));
  w.Write(path);
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK(e.path().filename() == "model.gguf");  // no temporary left behind
  const File f = File::Open(path);
  CHECK(f.path() == path);
  REQUIRE(f.kv().size() == 2);
  CHECK(f.kv()[0].first == "general.name");
  CHECK(f.GetString("general.name") == "second");
  CHECK(f.file_size() == std::filesystem::file_size(path));
  CHECK(w.ToBytes() == test::ReadFileBytes(path));

  CHECK_THROWS_AS(w.Write((dir / "missing-dir" / "x.gguf").string()), std::runtime_error);
}

TEST_CASE("gguf writer rejects bad arguments", "[gguf]") {
  const auto f32 = static_cast<uint32_t>(QuantType::F32);
  const auto i2s = static_cast<uint32_t>(QuantType::I2_S);
  CHECK_THROWS_AS(Writer(0), std::invalid_argument);
  CHECK_THROWS_AS(Writer(48), std::invalid_argument);
  CHECK_THROWS_AS(Writer(uint64_t{1} << 33), std::invalid_argument);
  Writer w;
  CHECK_THROWS_AS(w.AddTensor("a", f32, {4}, std::vector<uint8_t>(15)), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("a", i2s, {128}, std::vector<uint8_t>(32)), std::invalid_argument);
  CHECK_NOTHROW(w.AddTensor("a", i2s, {128}, std::vector<uint8_t>(64)));
  CHECK_THROWS_AS(w.AddTensor("a", f32, {4}, std::vector<uint8_t>(16)), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("", f32, {4}, std::vector<uint8_t>(16)), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("b", f32, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("b", f32, {1, 1, 1, 1, 1}, std::vector<uint8_t>(4)),
                  std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("b", f32, {0}, {}), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("b", 99, {4}, std::vector<uint8_t>(16)), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("b", 39, {256}, std::vector<uint8_t>(64)), std::invalid_argument);
  CHECK_THROWS_AS(w.AddTensor("b", i2s, {100}, std::vector<uint8_t>(57)), std::invalid_argument);
  CHECK_THROWS_AS(w.Set("", Value::U32(1)), std::invalid_argument);
  CHECK_THROWS_AS(w.Set("general.alignment", Value::U32(64)), std::invalid_argument);
  CHECK_THROWS_AS(w.Set("k", Scalar(ValueType::UINT8, 0, 256)), std::invalid_argument);
  CHECK_THROWS_AS(w.Set("k", IntArray(ValueType::INT8, {128})), std::invalid_argument);
  CHECK_THROWS_AS(w.Set("k", IntArray(ValueType::ARRAY, {})), std::invalid_argument);
}

TEST_CASE("gguf typed getters name the key and the problem", "[gguf]") {
  Writer w;
  w.Set("s", Value::Str("x"));
  w.Set("neg", Value::I32(-3));
  w.Set("pos", Value::I32(3));
  w.Set("b", Value::Bool(false));
  const File f = ParseBytes(w.ToBytes());
  CHECK(f.GetUint("pos") == 3);
  CHECK(f.GetFloat("pos") == 3.0);
  CHECK(f.GetFloat("neg") == -3.0);
  CHECK_FALSE(f.GetBool("b", true));
  CHECK(f.GetBool("missing", true));
  CHECK(f.Find("missing") == nullptr);
  CHECK(f.FindTensor("missing") == nullptr);
  CHECK_THROWS_WITH(f.Require("missing"), Catch::Contains("key 'missing'") &&
                                              Catch::Contains("missing"));
  CHECK_THROWS_WITH(f.GetUint("neg"), Catch::Contains("key 'neg'") &&
                                          Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(f.GetUint("s"), Catch::Contains("key 's'") && Catch::Contains("STRING"));
  CHECK_THROWS_WITH(f.GetString("pos"), Catch::Contains("expected STRING, found INT32"));
  CHECK_THROWS_WITH(f.GetFloat("s"), Catch::Contains("expected a number"));
  CHECK_THROWS_AS(f.GetBool("s", false), FormatError);
}

TEST_CASE("gguf value helpers", "[gguf]") {
  CHECK(ValueTypeName(ValueType::FLOAT64) == "FLOAT64");
  CHECK(ValueTypeName(static_cast<ValueType>(77)) == "UNKNOWN");
  CHECK(Value::U32(5).is_integer());
  CHECK(Value::U32(5).i == 5);
  CHECK(Value::I32(-5).u == 0);
  CHECK(Value::U64(~uint64_t{0}).i == std::numeric_limits<int64_t>::max());
  CHECK(Value::F32(1).is_float());
  CHECK_FALSE(Value::Bool(true).is_integer());
  CHECK(Value::StrArray({"a", "b"}).array_size() == 2);
  CHECK(Value::F32Array({1, 2, 3}).array_size() == 3);
  CHECK(Value::I32Array({1}).array_size() == 1);
  CHECK(Value::Str("abc").array_size() == 0);
}

TEST_CASE("gguf writer: produced tensors are written as their bytes would be, one at a time", "[gguf]") {
  const auto dir = test::TempDir("gguf-writer-produced");
  const auto q40 = static_cast<uint32_t>(QuantType::Q4_0);
  const auto f32 = static_cast<uint32_t>(QuantType::F32);
  const std::vector<uint8_t> a = Packed(QuantType::Q4_0, 256, 1), b = Packed(QuantType::F32, 5, 2);
  Writer eager, produced;
  for (Writer* w : {&eager, &produced}) w->Set("general.name", Value::Str("p"));
  eager.AddTensor("a", q40, {128, 2}, a);
  eager.AddTensor("b", f32, {5}, b);
  int calls = 0;
  produced.AddProducedTensor("a", q40, {128, 2}, [&](std::span<uint8_t> out) {
    ++calls;
    REQUIRE(out.size() == a.size());  // sized by the writer from the type and dims
    std::copy(a.begin(), a.end(), out.begin());
  });
  produced.AddProducedTensor("b", f32, {5}, [&](std::span<uint8_t> out) {
    ++calls;
    REQUIRE(out.size() == 20);
    std::copy(b.begin(), b.end(), out.begin());
  });
  CHECK(calls == 0);  // nothing produced before writing
  CHECK(produced.ToBytes() == eager.ToBytes());
  const std::string path = (dir / "p.gguf").string();
  produced.Write(path, /*sync=*/false);
  CHECK(calls == 4);
  CHECK(test::ReadFileBytes(path) == eager.ToBytes());

  // A producer that fails: the exception reaches the caller, no temporary file is left.
  Writer failing;
  failing.AddProducedTensor("a", q40, {128, 2}, [](std::span<uint8_t>) { throw std::runtime_error("no data"); });
  CHECK_THROWS_WITH(failing.Write((dir / "f.gguf").string()), "no data");
  for (const auto& e : std::filesystem::directory_iterator(dir)) CHECK(e.path().filename() == "p.gguf");

  // The same checks as tensors with bytes.
  CHECK_THROWS_AS(failing.AddProducedTensor("a", q40, {128, 2}, [](std::span<uint8_t>) {}), std::invalid_argument);
  CHECK_THROWS_AS(failing.AddProducedTensor("c", q40, {100}, [](std::span<uint8_t>) {}), std::invalid_argument);
  CHECK_THROWS_AS(failing.AddProducedTensor("c", 99, {32}, [](std::span<uint8_t>) {}), std::invalid_argument);
  CHECK_THROWS_AS(failing.AddProducedTensor("c", f32, {4}, nullptr), std::invalid_argument);
}

}  // namespace bitnet::gguf
