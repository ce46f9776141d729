#pragma once
// The BitNet b1.58 2B4T forward pass (architectures bitnet-b1.58 and bitnet-25).
#include <cstdint>
#include <span>
#include <vector>

#include "common/aligned_vector.h"
#include "engine/model/model.h"
#include "engine/runtime/kv_cache.h"
#include "kernels/kernels.h"

namespace bitnet {
class ThreadPool;

// Scratch for one forward call of up to n_batch tokens; allocated once per session, 64-byte aligned
// (the kernels' vector loads of activation rows stay within cache lines).
struct ForwardBuffers {
  int64_t n_batch = 0;
  AlignedVector<float> x;        // (n_batch, n_embd)  residual stream
  AlignedVector<float> h;        // (n_batch, n_embd)  normed input of a sublayer
  AlignedVector<float> q;        // (n_batch, q_dim)   queries (q_dim = n_head * head_dim)
  AlignedVector<float> k;        // (n_batch, kv_dim)  keys of the new tokens
  AlignedVector<float> v;        // (n_batch, kv_dim)  values of the new tokens
  AlignedVector<float> attn;     // (n_batch, q_dim)   attention output
  AlignedVector<float> proj;     // (n_batch, n_embd)  output of o/down projections
  AlignedVector<float> gate;     // (n_batch, n_ff)
  AlignedVector<float> up;       // (n_batch, n_ff)
  AlignedVector<float> rope;     // (n_batch, head_dim) cos/sin per token
  AlignedVector<float> scores;   // (n_threads, n_ctx)  attention weights of one query
  AlignedVector<float> head_in;  // (n_batch, n_embd)  final-normed rows that need logits
  AlignedVector<int8_t> qact;    // (n_batch, max(n_embd, n_ff)) int8 activations
  AlignedVector<float> qscale;   // (n_batch)
  AlignedVector<int32_t> acc;    // (n_batch, max(q_dim + 2 kv_dim, 2 n_ff)) int32 accumulators
  AlignedVector<int8_t> qblk;    // (n_batch, max(n_embd, q_dim, n_ff)) q8_32 activations of block formats
  AlignedVector<float> qblk_scale;  // (n_batch, max(n_embd, q_dim, n_ff) / 32)
  AlignedVector<float> rope_swa; // (n_batch, head_dim) cos/sin of the sliding-window layers (gemma3)

  void Allocate(const ModelConfig& c, int64_t n_batch, int64_t n_ctx, int n_threads);
};

// Runs tokens at positions [kv.n_past(), kv.n_past() + tokens.size()) (at most n_batch of them),
// appends their keys/values to the cache and writes logits (rows.size(), n_vocab) for the token
// indices in `rows` (ascending, each < tokens.size()). Throws UsageError on a full context or an
// out-of-range token id.
void ForwardBitnetB158(const Model& model, const KernelTable& kernels, ThreadPool& pool,
                       KvCache& kv, ForwardBuffers& buf, std::span<const int32_t> tokens,
                       std::span<const int64_t> rows, float* logits);

}  // namespace bitnet
