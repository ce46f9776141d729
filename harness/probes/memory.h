#pragma once
// Memory rows: the paper's "Memory (non-emb)" figure (non-embedding linear weights × bits per
// weight), the bytes the loaded format really occupies (projections, F16 embedding/head, norms,
// KV cache at a context length), and the measured resident memory of this process (VmHWM /
// VmRSS from /proc/self/status; pages of the mapped model file count once touched).
#include <cstdint>
#include <string>

#include "harness/probes/energy_estimate.h"

namespace bitnet {
class Model;
class Session;
struct ModelConfig;
}  // namespace bitnet

namespace bitnet::probes {

// Nominal bits per weight: 16 for bf16, log2(3) ≈ 1.585 for ternary, 1 binary, 8/6/4 for the
// integer blocks, 32 for f32 (block scales left out, as Table 2 counts GPTQ-int4 at 4 bits).
double PaperBitsPerWeight(WeightKind kind);

struct PaperMemoryRow {
  int64_t linear_params = 0;
  double bits_per_weight = 0.0;
  double exact_gb = 0.0;     // params × bits / 8 / 1e9 (0.973 B bf16 -> 1.946 GB)
  double paper_gb = 0.0;     // as Table 1 rounds: params to 0.1 B first, then × bits / 8
  std::string printed;       // paper_gb with one decimal, a trailing ".0" dropped: "2GB", "0.4GB"
};

// Table 1 rounds the parameter count to 0.1 B before converting (1.0 B -> "2GB", 2.4 B ->
// "4.8GB", 2.1 B ternary -> "0.4GB"): rounding the exact GB instead would print 1.9 and 4.9.
PaperMemoryRow PaperMemory(int64_t linear_params, WeightKind kind);
// The row of a model's shape: as above for one kind; with mixed kinds (ArchShape::by_kind) the
// bits of each kind, bits_per_weight their weighted mean, printed from the exact GB.
PaperMemoryRow PaperMemory(const ArchShape& arch);

// KV cache of the engine (f32 keys and values per layer): 2 × n_layer × n_ctx × kv_dim × 4.
uint64_t KvCacheBytes(const ModelConfig& config, int64_t n_ctx);

struct LoadedMemory {
  uint64_t projection_bytes = 0;  // the ternary/float projections as stored (I2_S: 2 bits + scale)
  uint64_t embedding_bytes = 0;   // token embedding (F16 for 2B4T)
  uint64_t head_bytes = 0;        // the output head when not tied to the embedding; 0 when tied
  uint64_t norm_bytes = 0;        // every other tensor of the file: norms, biases (qwen2), q/k norms
                                  // (qwen3, gemma3), post-norms (gemma3), RoPE factors, scales
  uint64_t kv_cache_bytes = 0;
  int64_t kv_ctx = 0;             // context the KV bytes are for
  uint64_t file_bytes = 0;        // the GGUF file
  uint64_t weight_bytes() const { return projection_bytes + embedding_bytes + head_bytes + norm_bytes; }
  uint64_t total_bytes() const { return weight_bytes() + kv_cache_bytes; }
};

// KV cache computed from the configuration at n_ctx.
LoadedMemory LoadedModelMemory(const Model& model, int64_t n_ctx);
// KV cache as the session allocated it (Session::kv_bytes, at session.n_ctx()).
LoadedMemory LoadedModelMemory(const Model& model, const Session& session);

struct ResidentMemory {
  bool ok = false;
  std::string error;
  uint64_t peak_bytes = 0;     // VmHWM: peak resident set since the process started
  uint64_t current_bytes = 0;  // VmRSS
};

ResidentMemory ParseProcStatus(const std::string& text);
ResidentMemory ReadResidentMemory(const std::string& status_path = "/proc/self/status");

}  // namespace bitnet::probes
