#pragma once
// Causal grouped-query attention of new tokens over the KV cache, with an optional sliding
// window (a query at position p sees keys at positions max(0, p - window + 1) .. p).
#include <cstdint>

#include "engine/runtime/kv_cache.h"
#include "kernels/kernels.h"

namespace bitnet {
class ThreadPool;

struct AttentionShape {
  int64_t n_head = 0, n_head_kv = 0, head_dim = 0;
  float scale = 1.0f;   // applied to q.k
  int64_t window = 0;   // 0: every earlier position
};

// q: (T, n_head * head_dim), rotated; out: (T, n_head * head_dim). The keys/values of the T new
// tokens must already be in the cache at positions n_past .. n_past + T - 1. `scores` holds
// n_threads * kv.n_ctx() floats.
void CausalAttention(const KernelTable& kt, ThreadPool& pool, KvCache& kv, int64_t layer, int64_t n_past, int64_t T,
                     const AttentionShape& s, const float* q, float* out, float* scores);

}  // namespace bitnet
