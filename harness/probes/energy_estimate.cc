#include "harness/probes/energy_estimate.h"

#include <map>

#include "engine/model/model.h"

namespace bitnet::probes {
namespace {

constexpr std::array<OpEnergy, 6> kOps = {{
    {ArithOp::kInt8Add, "INT8 add", 0.03, 0.007},
    {ArithOp::kInt8Mul, "INT8 mul", 0.2, 0.07},
    {ArithOp::kFp16Add, "FP16 add", 0.4, 0.16},
    {ArithOp::kFp16Mul, "FP16 mul", 1.1, 0.34},
    {ArithOp::kFp32Add, "FP32 add", 0.9, 0.38},
    {ArithOp::kFp32Mul, "FP32 mul", 3.7, 1.31},
}};

constexpr std::array<Table1Efficiency, 6> kPrinted = {{
    {"LLaMA 3.2 1B", 0.258, "2GB", 48},
    {"Gemma-3 1B", 0.186, "1.4GB", 41},
    {"Qwen2.5 1.5B", 0.347, "2.6GB", 65},
    {"SmolLM2 1.7B", 0.425, "3.2GB", 67},
    {"MiniCPM 2B", 0.649, "4.8GB", 124},
    {"BitNet b1.58 2B", 0.028, "0.4GB", 29},
}};

}  // namespace

const std::array<OpEnergy, 6>& OpEnergyTable() { return kOps; }

double OpEnergyPj(ArithOp op, ProcessNode node) {
  const OpEnergy& e = kOps[static_cast<size_t>(op)];
  return node == ProcessNode::k45nm ? e.pj_45nm : e.pj_7nm;
}

const char* WeightKindName(WeightKind k) {
  switch (k) {
    case WeightKind::kBf16: return "bf16";
    case WeightKind::kTernary: return "ternary";
    case WeightKind::kBinary: return "binary";
    case WeightKind::kInt8: return "int8";
    case WeightKind::kInt6: return "int6";
    case WeightKind::kInt4: return "int4";
    case WeightKind::kFp32: return "fp32";
  }
  return "?";
}

WeightKind WeightKindOf(QuantType t) {
  switch (t) {
    case QuantType::TQ1_0:
    case QuantType::TQ2_0:
    case QuantType::I2_S:
    case QuantType::TL1:
    case QuantType::TL2: return WeightKind::kTernary;
    case QuantType::Q1_0_g128: return WeightKind::kBinary;
    case QuantType::Q8_0: return WeightKind::kInt8;
    case QuantType::Q6_K: return WeightKind::kInt6;
    case QuantType::Q4_0:
    case QuantType::Q4_K: return WeightKind::kInt4;
    case QuantType::F32: return WeightKind::kFp32;
    default: return WeightKind::kBf16;  // F16, BF16
  }
}

double LinearMacEnergyPj(WeightKind k, ProcessNode node) {
  switch (k) {
    case WeightKind::kTernary:
    case WeightKind::kBinary: return OpEnergyPj(ArithOp::kInt8Add, node);
    case WeightKind::kInt8:
    case WeightKind::kInt6:
    case WeightKind::kInt4: return OpEnergyPj(ArithOp::kInt8Add, node) + OpEnergyPj(ArithOp::kInt8Mul, node);
    case WeightKind::kFp32: return OpEnergyPj(ArithOp::kFp32Add, node) + OpEnergyPj(ArithOp::kFp32Mul, node);
    case WeightKind::kBf16: break;
  }
  return OpEnergyPj(ArithOp::kFp16Add, node) + OpEnergyPj(ArithOp::kFp16Mul, node);
}

int64_t GatedLinearParams(int64_t n_layer, int64_t n_embd, int64_t n_head, int64_t n_head_kv, int64_t head_dim,
                          int64_t n_ff) {
  const int64_t q_dim = n_head * head_dim, kv_dim = n_head_kv * head_dim;
  return n_layer * (2 * n_embd * q_dim + 2 * n_embd * kv_dim + 3 * n_embd * n_ff);
}

std::vector<ArchShape> Table1Models() {
  const WeightKind bf16 = WeightKind::kBf16;
  return {
      {"LLaMA 3.2 1B", 16, 32, 64, GatedLinearParams(16, 2048, 32, 8, 64, 8192), bf16},
      {"Gemma-3 1B", 26, 4, 256, GatedLinearParams(26, 1152, 4, 1, 256, 6912), bf16},
      {"Qwen2.5 1.5B", 28, 12, 128, GatedLinearParams(28, 1536, 12, 2, 128, 8960), bf16},
      {"SmolLM2 1.7B", 24, 32, 64, GatedLinearParams(24, 2048, 32, 32, 64, 8192), bf16},
      {"MiniCPM 2B", 40, 36, 64, GatedLinearParams(40, 2304, 36, 36, 64, 5760), bf16},
      {"BitNet b1.58 2B", 30, 20, 128, GatedLinearParams(30, 2560, 20, 5, 128, 6912), WeightKind::kTernary},
  };
}

const std::array<Table1Efficiency, 6>& Table1Printed() { return kPrinted; }

EnergyEstimate EstimateEnergy(const ArchShape& a, const EnergyEstimateOptions& o) {
  EnergyEstimate e;
  e.seq_len = o.seq_len;
  const double mac16 = OpEnergyPj(ArithOp::kFp16Add, o.node) + OpEnergyPj(ArithOp::kFp16Mul, o.node);
  e.macs_linear_per_token = static_cast<double>(a.linear_params);
  double linear_pj = 0.0;  // per token
  if (a.by_kind.empty()) {
    linear_pj = e.macs_linear_per_token * LinearMacEnergyPj(a.weights, o.node);
  } else {
    for (const auto& [kind, n] : a.by_kind) linear_pj += static_cast<double>(n) * LinearMacEnergyPj(kind, o.node);
  }
  e.e_linear_pj = a.linear_params > 0 ? linear_pj / e.macs_linear_per_token : LinearMacEnergyPj(a.weights, o.node);
  e.e_attention_pj = mac16;
  // Each token attends over the whole sequence (the paper's simplification, not a causal average).
  e.macs_attention_per_token = static_cast<double>(a.n_layer) * static_cast<double>(a.n_head) *
                               static_cast<double>(a.head_dim) * 2.0 * static_cast<double>(o.seq_len);
  const double n = static_cast<double>(o.seq_len);
  e.linear_joules = n * linear_pj * 1e-12;
  e.attention_joules = n * e.macs_attention_per_token * e.e_attention_pj * 1e-12;
  e.joules = e.linear_joules + e.attention_joules;
  return e;
}

ArchShape ArchShapeFromModel(const Model& m) {
  const auto& c = m.config();
  ArchShape a;
  a.name = c.name.empty() ? c.arch_name : c.name;
  a.n_layer = c.n_layer;
  a.n_head = c.n_head;
  a.head_dim = c.head_dim;
  a.linear_params = m.weights().NonEmbeddingParams();
  std::map<WeightKind, int64_t> kinds;
  for (const auto& l : m.weights().layers)
    for (const Linear* p : {&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down})
      kinds[WeightKindOf(p->type)] += p->n_in * p->n_out;
  int64_t most = -1;
  for (const auto& [kind, n] : kinds)
    if (n > most) most = n, a.weights = kind;
  if (kinds.size() > 1) a.by_kind.assign(kinds.begin(), kinds.end());
  return a;
}

}  // namespace bitnet::probes
