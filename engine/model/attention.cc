#include "engine/model/attention.h"

#include <algorithm>

#include "engine/model/ops.h"
#include "engine/runtime/thread_pool.h"

namespace bitnet {

void CausalAttention(const KernelTable& kt, ThreadPool& pool, KvCache& kv, int64_t layer, int64_t n_past, int64_t T,
                     const AttentionShape& s, const float* q, float* out, float* scores) {
  const int64_t D = s.head_dim, H = s.n_head, group = s.n_head / s.n_head_kv, QD = H * D;
  const int64_t n_ctx = kv.n_ctx();
  pool.Run([&](int ith, int nth) {
    float* sc = scores + static_cast<size_t>(ith) * static_cast<size_t>(n_ctx);
    for (int64_t job = ith; job < T * H; job += nth) {
      const int64_t t = job / H, head = job % H, g = head / group;
      const int64_t pos = n_past + t;
      const int64_t first = s.window > 0 ? std::max<int64_t>(0, pos - s.window + 1) : 0;
      const int64_t n_keys = pos + 1 - first;
      const float* qv = q + t * QD + head * D;
      for (int64_t j = 0; j < n_keys; ++j) sc[j] = kt.dot_f32(qv, kv.K(layer, first + j) + g * D, D) * s.scale;
      ops::Softmax(sc, n_keys);
      kt.weighted_sum_f32(sc, n_keys, kv.V(layer, first) + g * D, kv.kv_dim(), out + t * QD + head * D, D);
    }
  });
}

}  // namespace bitnet
