#pragma once
// The attention key/value cache: f32, one (n_ctx, kv_dim) matrix of keys and one of values per
// layer. Positions [0, n_past) hold valid entries; Truncate keeps a prefix for reuse.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/aligned_vector.h"

namespace bitnet {

class KvCache {
 public:
  KvCache() = default;
  KvCache(int64_t n_layer, int64_t n_ctx, int64_t kv_dim);

  int64_t n_ctx() const { return n_ctx_; }
  int64_t n_past() const { return n_past_; }
  int64_t kv_dim() const { return kv_dim_; }
  void set_n_past(int64_t n) { n_past_ = n; }
  void Truncate(int64_t n) { if (n < n_past_) n_past_ = n < 0 ? 0 : n; }
  uint64_t bytes() const { return (k_.size() + v_.size()) * sizeof(float); }

  float* K(int64_t layer, int64_t pos) { return &k_[static_cast<size_t>((layer * n_ctx_ + pos) * kv_dim_)]; }
  float* V(int64_t layer, int64_t pos) { return &v_[static_cast<size_t>((layer * n_ctx_ + pos) * kv_dim_)]; }

 private:
  int64_t n_layer_ = 0, n_ctx_ = 0, kv_dim_ = 0, n_past_ = 0;
  AlignedVector<float> k_;  // (n_layer, n_ctx, kv_dim), 64-byte aligned
  AlignedVector<float> v_;  // (n_layer, n_ctx, kv_dim)
};

}  // namespace bitnet
