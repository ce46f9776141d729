#pragma once
// The BitNet b1.58 2B4T report's "Energy (estimated)" row (Table 1), reconstructed in
// /work/shared/docs/REFERENCE.md §2: the arithmetic energy of one 512-token sequence at 7 nm,
//
//   E = seq_len × (MACs_linear × e_linear + MACs_attention × e_fp16)
//
// MACs_linear     = non-embedding linear weights (one MAC per weight per token);
// e_linear        = FP16 add + FP16 mul (0.16 + 0.34 = 0.50 pJ) for 16-bit weights, INT8 add
//                   (0.007 pJ) for ternary weights (a ternary "multiply" is an add or a skip);
// MACs_attention  = n_layer × n_head × head_dim × 2 (QK^T and AV) × seq_len per token, always at
//                   the FP16 MAC energy.
// Per-op energies: Horowitz (ISSCC 2014) at 45 nm and the 7 nm figures the BitNet papers use.
// Other weight formats follow the same rule (WeightKind): the operations a weight of that format
// costs per token.
// Nothing here is measured: measured energy is a separate row (energy.h), never mixed with this.
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kernels/quant_types.h"

namespace bitnet {
class Model;
}

namespace bitnet::probes {

enum class ArithOp { kInt8Add, kInt8Mul, kFp16Add, kFp16Mul, kFp32Add, kFp32Mul };
enum class ProcessNode { k45nm, k7nm };

struct OpEnergy {
  ArithOp op;
  const char* name;  // "INT8 add"
  double pj_45nm;
  double pj_7nm;
};

// The six rows of the per-op table, in ArithOp order.
const std::array<OpEnergy, 6>& OpEnergyTable();
double OpEnergyPj(ArithOp op, ProcessNode node);

// How a linear layer's weights are stored, as far as the estimate and the paper's memory row care:
// the multiply-accumulate it costs with 8-bit activations and its nominal bits per weight.
//   kBf16    16-bit float (BF16, F16): FP16 add + FP16 mul per weight, 16 bits (the paper's baselines)
//   kFp32    32-bit float: FP32 add + FP32 mul, 32 bits
//   kTernary {-1, 0, +1} (I2_S, TQ1_0, TQ2_0, TL1, TL2): INT8 add, log2(3) bits (the paper's BitNet)
//   kBinary  {-d, +d} (Q1_0_g128): INT8 add (a sign and an add), 1 bit
//   kInt8, kInt6, kInt4  integer blocks (Q8_0; Q6_K; Q4_0, Q4_K): INT8 mul + INT8 add, 8 / 6 / 4 bits
// Block and tensor scales (one multiply per block of 32-256 weights) are left out, as the paper
// leaves out BitNet's per-tensor scale.
enum class WeightKind { kBf16, kTernary, kBinary, kInt8, kInt6, kInt4, kFp32 };
const char* WeightKindName(WeightKind k);  // "bf16", "ternary", "binary", "int8", "int6", "int4", "fp32"
// The kind of a weight type (kernels/quant_types.h).
WeightKind WeightKindOf(QuantType t);
// Energy of one weight's multiply-accumulate with an 8-bit activation (see WeightKind).
double LinearMacEnergyPj(WeightKind k, ProcessNode node);

// What the estimate needs of an architecture.
struct ArchShape {
  std::string name;
  int64_t n_layer = 0;
  int64_t n_head = 0;
  int64_t head_dim = 0;
  int64_t linear_params = 0;  // non-embedding linear weights (no embedding, head, norms or biases)
  WeightKind weights = WeightKind::kBf16;  // the kind of most of them
  // Weights per kind when the projections mix kinds (Q4_K files keep some in Q6_K); empty: all
  // linear_params are of `weights`.
  std::vector<std::pair<WeightKind, int64_t>> by_kind;
};

// Non-embedding linear weights of a LLaMA-style block stack: q and o (n_embd × n_head·head_dim
// each), k and v (n_embd × n_head_kv·head_dim each), and a gated FFN (3 × n_embd × n_ff).
int64_t GatedLinearParams(int64_t n_layer, int64_t n_embd, int64_t n_head, int64_t n_head_kv, int64_t head_dim,
                          int64_t n_ff);

// The six Table 1 columns, with their linear weights counted from the public configurations
// (FORMATS.md §5, §1): LLaMA 3.2 1B 973,078,528; Gemma-3 1B 697,761,792; Qwen2.5 1.5B
// 1,310,195,712 (q/k/v biases excluded); SmolLM2 1.7B 1,610,612,736; MiniCPM 2B 2,441,871,360;
// BitNet b1.58 2B4T 2,084,044,800 (ternary).
std::vector<ArchShape> Table1Models();

// The figures as printed in Table 1, in Table1Models() order.
struct Table1Efficiency {
  const char* model;
  double energy_j;        // "Energy (estimated)"
  const char* memory;     // "Memory (non-emb)" as printed, e.g. "2GB"
  double tpot_ms;         // "Latency (CPU; TPOT)" (i7-13800H, 8 threads)
};
const std::array<Table1Efficiency, 6>& Table1Printed();

struct EnergyEstimateOptions {
  int64_t seq_len = 512;
  ProcessNode node = ProcessNode::k7nm;
};

struct EnergyEstimate {
  int64_t seq_len = 0;
  double macs_linear_per_token = 0.0;
  double macs_attention_per_token = 0.0;
  double e_linear_pj = 0.0;     // energy of one linear MAC (the weighted mean when kinds mix)
  double e_attention_pj = 0.0;  // energy of one attention MAC (FP16 add + mul)
  double linear_joules = 0.0;
  double attention_joules = 0.0;
  double joules = 0.0;          // the whole sequence
  double joules_per_token() const { return seq_len > 0 ? joules / static_cast<double>(seq_len) : 0.0; }
};

EnergyEstimate EstimateEnergy(const ArchShape& arch, const EnergyEstimateOptions& opts = {});

// The shape of a loaded model: its layer/head counts, its projections' weight count, and the
// kind of each projection's weight type (WeightKindOf).
ArchShape ArchShapeFromModel(const Model& model);

}  // namespace bitnet::probes
