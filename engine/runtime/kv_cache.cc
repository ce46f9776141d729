#include "engine/runtime/kv_cache.h"

namespace bitnet {

KvCache::KvCache(int64_t n_layer, int64_t n_ctx, int64_t kv_dim)
    : n_layer_(n_layer), n_ctx_(n_ctx), kv_dim_(kv_dim),
      k_(static_cast<size_t>(n_layer * n_ctx * kv_dim)),
      v_(static_cast<size_t>(n_layer * n_ctx * kv_dim)) {}

}  // namespace bitnet
