// The paper's efficiency rows from the models' configurations: Table 1's six energy figures
// (REFERENCE.md §2) and its memory row.
#include <catch2/catch.hpp>

#include <cmath>

#include "harness/probes/energy_estimate.h"
#include "harness/probes/memory.h"
#include "tests/engine/synthetic_fixture.h"
#include "engine/model/model.h"

namespace bitnet::probes {
namespace {

double Round(double x, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(x * f) / f;
}

TEST_CASE("per-op energy table: Horowitz 45 nm and the 7 nm figures") {
  const auto& t = OpEnergyTable();
  REQUIRE(t.size() == 6);
  CHECK(std::string(t[0].name) == "INT8 add");
  CHECK(OpEnergyPj(ArithOp::kInt8Add, ProcessNode::k45nm) == 0.03);
  CHECK(OpEnergyPj(ArithOp::kInt8Add, ProcessNode::k7nm) == 0.007);
  CHECK(OpEnergyPj(ArithOp::kInt8Mul, ProcessNode::k7nm) == 0.07);
  CHECK(OpEnergyPj(ArithOp::kFp16Add, ProcessNode::k7nm) == 0.16);
  CHECK(OpEnergyPj(ArithOp::kFp16Mul, ProcessNode::k7nm) == 0.34);
  CHECK(OpEnergyPj(ArithOp::kFp32Add, ProcessNode::k45nm) == 0.9);
  CHECK(OpEnergyPj(ArithOp::kFp32Mul, ProcessNode::k45nm) == 3.7);
  CHECK(OpEnergyPj(ArithOp::kFp32Mul, ProcessNode::k7nm) == 1.31);
}

TEST_CASE("Table 1 models: linear weights counted from the public configurations") {
  const auto models = Table1Models();
  REQUIRE(models.size() == 6);
  const int64_t exact[6] = {973078528, 697761792, 1310195712, 1610612736, 2441871360, 2084044800};
  // FORMATS.md §5 brackets (0.973 ... 2.442 B) and §1's ≈2.085 G for 2B4T.
  const double billions[6] = {0.973, 0.698, 1.310, 1.611, 2.442, 2.084};
  for (size_t i = 0; i < 6; ++i) {
    INFO(models[i].name);
    CHECK(models[i].linear_params == exact[i]);
    CHECK(Round(models[i].linear_params / 1e9, 3) == Approx(billions[i]));
    CHECK(models[i].name == Table1Printed()[i].model);
  }
  CHECK(models[5].weights == WeightKind::kTernary);
  CHECK(models[0].weights == WeightKind::kBf16);
}

TEST_CASE("estimated energy reproduces all six Table 1 figures") {
  const auto models = Table1Models();
  // To 4 decimals, as REFERENCE.md §2 derives them.
  const double four[6] = {0.2577, 0.1856, 0.3467, 0.4252, 0.6493, 0.0276};
  for (size_t i = 0; i < 6; ++i) {
    INFO(models[i].name);
    const EnergyEstimate e = EstimateEnergy(models[i]);
    CHECK(e.seq_len == 512);
    CHECK(Round(e.joules, 3) == Approx(Table1Printed()[i].energy_j));
    CHECK(Round(e.joules, 4) == Approx(four[i]));
    CHECK(e.joules == Approx(e.linear_joules + e.attention_joules));
    CHECK(e.joules_per_token() == Approx(e.joules / 512));
  }
  // The parts for 2B4T: ternary linear MACs at the INT8-add energy, attention at FP16.
  const EnergyEstimate b = EstimateEnergy(models[5]);
  CHECK(b.e_linear_pj == 0.007);
  CHECK(b.e_attention_pj == Approx(0.50));
  CHECK(b.macs_attention_per_token == 30.0 * 20 * 128 * 2 * 512);
  CHECK(b.linear_joules == Approx(512 * 2084044800.0 * 0.007e-12));
  // LLaMA: 512 × (0.973e9 × 0.5 pJ + 16·32·64·2·512 × 0.5 pJ)
  CHECK(EstimateEnergy(models[0]).joules == Approx(512 * (973078528.0 + 33554432.0) * 0.5e-12));
}

TEST_CASE("estimated energy: 45 nm and other sequence lengths scale as the formula says") {
  const ArchShape a = Table1Models()[0];
  const EnergyEstimate e45 = EstimateEnergy(a, {512, ProcessNode::k45nm});
  CHECK(e45.e_linear_pj == Approx(1.5));
  CHECK(e45.joules == Approx(3.0 * EstimateEnergy(a).joules));  // 1.5 pJ / 0.5 pJ everywhere
  const EnergyEstimate e256 = EstimateEnergy(a, {256, ProcessNode::k7nm});
  CHECK(e256.linear_joules == Approx(EstimateEnergy(a).linear_joules / 2));
  CHECK(e256.attention_joules == Approx(EstimateEnergy(a).attention_joules / 4));
}

TEST_CASE("paper memory row reproduces Table 1 as printed") {
  const auto models = Table1Models();
  for (size_t i = 0; i < 6; ++i) {
    INFO(models[i].name);
    const PaperMemoryRow m = PaperMemory(models[i].linear_params, models[i].weights);
    CHECK(m.printed == Table1Printed()[i].memory);
  }
  // Exact values beside the rounded ones (REFERENCE.md §2: 0.973 B -> 1.95 GB; 2.085 B -> 0.41 GB).
  CHECK(Round(PaperMemory(models[0].linear_params, WeightKind::kBf16).exact_gb, 2) == Approx(1.95));
  CHECK(Round(PaperMemory(models[5].linear_params, WeightKind::kTernary).exact_gb, 2) == Approx(0.41));
  CHECK(PaperBitsPerWeight(WeightKind::kTernary) == Approx(1.58496));
  // Rounding the exact GB directly would miss two columns: that is why params are rounded first.
  CHECK(Round(PaperMemory(models[0].linear_params, WeightKind::kBf16).exact_gb, 1) == Approx(1.9));
  CHECK(Round(PaperMemory(models[4].linear_params, WeightKind::kBf16).exact_gb, 1) == Approx(4.9));
}

TEST_CASE("ArchShapeFromModel: counts and weight kind of a loaded model") {
  const auto i2s = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  const ArchShape a = ArchShapeFromModel(*i2s);
  CHECK(a.weights == WeightKind::kTernary);
  CHECK(a.n_layer == i2s->config().n_layer);
  CHECK(a.n_head == i2s->config().n_head);
  CHECK(a.head_dim == i2s->config().head_dim);
  CHECK(a.linear_params == i2s->weights().NonEmbeddingParams());
  const auto& c = i2s->config();
  CHECK(a.linear_params == GatedLinearParams(c.n_layer, c.n_embd, c.n_head, c.n_head_kv, c.head_dim, c.n_ff));
  const auto f16 = Model::Load(test::SyntheticModelPath("tiny", QuantType::F16));
  CHECK(ArchShapeFromModel(*f16).weights == WeightKind::kBf16);
}

TEST_CASE("energy estimate: each weight format costs its own multiply-accumulate") {
  // 7 nm: ternary and binary an INT8 add; integer blocks INT8 mul + add; 16-bit FP16 mul + add;
  // 32-bit FP32 mul + add.
  CHECK(LinearMacEnergyPj(WeightKind::kTernary, ProcessNode::k7nm) == Approx(0.007));
  CHECK(LinearMacEnergyPj(WeightKind::kBinary, ProcessNode::k7nm) == Approx(0.007));
  CHECK(LinearMacEnergyPj(WeightKind::kInt8, ProcessNode::k7nm) == Approx(0.077));
  CHECK(LinearMacEnergyPj(WeightKind::kInt4, ProcessNode::k7nm) == Approx(0.077));
  CHECK(LinearMacEnergyPj(WeightKind::kBf16, ProcessNode::k7nm) == Approx(0.50));
  CHECK(LinearMacEnergyPj(WeightKind::kFp32, ProcessNode::k7nm) == Approx(1.69));
  CHECK(LinearMacEnergyPj(WeightKind::kInt8, ProcessNode::k45nm) == Approx(0.23));
  CHECK(WeightKindOf(QuantType::Q1_0_g128) == WeightKind::kBinary);
  CHECK(WeightKindOf(QuantType::Q8_0) == WeightKind::kInt8);
  CHECK(WeightKindOf(QuantType::Q6_K) == WeightKind::kInt6);
  CHECK(WeightKindOf(QuantType::Q4_K) == WeightKind::kInt4);
  CHECK(WeightKindOf(QuantType::Q4_0) == WeightKind::kInt4);
  CHECK(WeightKindOf(QuantType::TQ1_0) == WeightKind::kTernary);
  CHECK(WeightKindOf(QuantType::BF16) == WeightKind::kBf16);
  CHECK(WeightKindOf(QuantType::F16) == WeightKind::kBf16);
  CHECK(WeightKindOf(QuantType::F32) == WeightKind::kFp32);

  // Bonsai 8B (binary): its linear part costs as much per weight as BitNet's.
  ArchShape bonsai{"Bonsai 8B", 36, 32, 128, 6945767424, WeightKind::kBinary};
  const EnergyEstimate b = EstimateEnergy(bonsai);
  CHECK(b.e_linear_pj == Approx(0.007));
  CHECK(b.linear_joules == Approx(512.0 * 6945767424.0 * 0.007e-12));
  ArchShape as_bf16 = bonsai;
  as_bf16.weights = WeightKind::kBf16;
  CHECK(EstimateEnergy(as_bf16).linear_joules == Approx(b.linear_joules * 0.50 / 0.007));
  // The six columns of Table 1 are unchanged.
  CHECK(EstimateEnergy(Table1Models()[0]).joules == Approx(0.2577).epsilon(1e-3));
  CHECK(EstimateEnergy(Table1Models()[5]).joules == Approx(0.0276).epsilon(1e-2));
  // Mixed kinds: each part at its own energy.
  ArchShape mixed = Table1Models()[0];
  mixed.by_kind = {{WeightKind::kInt4, mixed.linear_params / 2}, {WeightKind::kInt6, mixed.linear_params / 2}};
  CHECK(EstimateEnergy(mixed).e_linear_pj == Approx(0.077));
}

TEST_CASE("ArchShapeFromModel: block-quantized and binary models are costed as their format") {
  const auto q1 = Model::Load(test::SyntheticModelPath("tiny-qwen3", QuantType::Q1_0_g128));
  const ArchShape a = ArchShapeFromModel(*q1);
  CHECK(a.weights == WeightKind::kBinary);
  CHECK(a.by_kind.empty());
  CHECK(EstimateEnergy(a).e_linear_pj == Approx(0.007));
  const auto q8 = Model::Load(test::SyntheticModelPath("tiny-llama", QuantType::Q8_0));
  CHECK(ArchShapeFromModel(*q8).weights == WeightKind::kInt8);
  const auto f32 = Model::Load(test::SyntheticModelPath("tiny-llama", QuantType::F32));
  CHECK(ArchShapeFromModel(*f32).weights == WeightKind::kFp32);
}

}  // namespace
}  // namespace bitnet::probes
