// make-model's Table 1 shapes against the probes' configurations: the same non-embedding
// linear weights (so the memory and energy rows of every column come out as in the paper),
// and a written synthetic baseline that the energy/memory probes read back the same way.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/engine.h"
#include "engine/model/synthetic.h"
#include "harness/probes/energy_estimate.h"
#include "harness/probes/memory.h"
#include "harness/run_context.h"
#include "tests/test_support.h"

namespace bitnet {

TEST_CASE("make-model's Table 1 shapes have the probes' linear weight counts", "[shapes]") {
  const char* shapes[] = {"llama3.2-1b", "gemma3-1b", "qwen2.5-1.5b", "smollm2-1.7b", "minicpm-2b", "2b4t"};
  const auto models = probes::Table1Models();
  REQUIRE(models.size() == 6);
  const int64_t expected[] = {973078528, 697761792, 1310195712, 1610612736, 2441871360, 2084044800};
  for (size_t i = 0; i < 6; ++i) {
    const SyntheticShape s = ShapeByName(shapes[i]);
    INFO(shapes[i] << " vs " << models[i].name);
    CHECK(s.LinearParams() == models[i].linear_params);
    CHECK(s.LinearParams() == expected[i]);
    CHECK(s.n_layer == models[i].n_layer);
    CHECK(s.n_head == models[i].n_head);
    CHECK(s.HeadDim() == models[i].head_dim);
    // The paper's memory row (Table 1: 2GB, 1.4GB, 2.6GB, 3.2GB, 4.8GB, 0.4GB).
    const auto kind = s.native_type == QuantType::I2_S ? probes::WeightKind::kTernary : probes::WeightKind::kBf16;
    CHECK(probes::PaperMemory(s.LinearParams(), kind).printed == probes::Table1Printed()[i].memory);
  }
  // Bonsai 8B: ~6.95 B non-embedding weights (FORMATS.md §6).
  const SyntheticShape bonsai = ShapeByName("bonsai-8b");
  CHECK(bonsai.LinearParams() == 6945767424);
  CHECK(bonsai.native_type == QuantType::Q1_0_g128);
}

TEST_CASE("a written synthetic baseline reads back with its shape's counts", "[shapes]") {
  const auto dir = test::TempDir("shapes");
  SyntheticOptions o;
  o.shape = ShapeByName("tiny-gemma3");
  o.type = QuantType::Q4_0;
  o.threads = 2;
  const std::string path = (dir / "g.gguf").string();
  WriteSyntheticModel(o, path);
  auto m = Model::Load(path);
  CHECK(m->weights().NonEmbeddingParams() == o.shape.LinearParams());
  const probes::ArchShape a = probes::ArchShapeFromModel(*m);
  CHECK(a.linear_params == o.shape.LinearParams());
  CHECK(a.head_dim == 128);
  CHECK(a.weights == probes::WeightKind::kInt4);  // Q4_0: costed and counted as 4-bit integers
  CHECK(m->WeightTypeName() == "Q4_0");
}

TEST_CASE("the streaming synthetic writer: same options, same bytes, whatever the threads", "[shapes]") {
  const auto dir = test::TempDir("shapes-determinism");
  // sha256 of the files the whole-tensor writer (before streaming and chunked packing) wrote for
  // seed 3: the bytes of a seed do not change with the writer's implementation.
  struct Golden {
    const char* shape;
    QuantType type;
    const char* sha256;
  };
  const Golden golden[] = {
      {"tiny-qwen2", QuantType::BF16, "98c43d0b23a3fb749ef3c795d56ff9ee6bc324138ebfd2fa35fdf5314b33ba8e"},  // rows in chunks
      {"tiny-qwen2", QuantType::Q4_0, "da4fd22f27cbd190a4c052be4e00751e654f511248083f859adf36420b0e9ed4"},
      {"tiny-qwen2", QuantType::TQ2_0, "d6d58098da69e3529c5805f9ca65b5c7b156c2b3280f0ac161474570d74725a5"},  // absmean
      {"tiny-qwen2", QuantType::I2_S, "16767f11828630b4c220481636505628cf67a9debb69b0e85e05cdb604ddb796"},
      {"tiny", QuantType::TQ2_0, "fb578ec3fcc17ab46b3f78d071aa72fd710df4e10ace0a4411f9b1ccc8861099"},  // 2B4T graph
      {"tiny", QuantType::I2_S, "b9ace361e05942a6e4800af9b432d80cb0ef75ae0d67b1725499b644a6cd988f"},
      {"small", QuantType::I2_S, "09dc90ea988e32cc4374772d3abe1c99117a57ccc89a0e53c698a631cf9e2264"},  // 12 chunks
  };
  for (const auto& [shape, type, sha] : golden) {
    for (int threads : {1, 2, 3}) {
      SyntheticOptions o;
      o.shape = ShapeByName(shape);
      o.type = type;
      o.seed = 3;
      o.threads = threads;
      o.sync = threads != 2;  // fsync or not: the same file
      const std::string path = (dir / fmt::format("{}-{}-{}.gguf", shape, GetQuantTraits(type).name, threads)).string();
      WriteSyntheticModel(o, path);
      INFO(shape << ", " << GetQuantTraits(type).name << ", " << threads << " threads");
      CHECK(Sha256File(path) == sha);
    }
  }
}

}  // namespace bitnet
