#pragma once
// Projections through the kernel table: W1.58A8 BitLinear for ternary weights (per-token int8
// activations, exact int32 accumulation for I2_S, per-tensor weight scale) and float matmuls
// for F16/F32 weights. Output rows are split over the thread pool.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "common/aligned_vector.h"
#include "engine/model/weights.h"
#include "kernels/kernels.h"

namespace bitnet {
class ThreadPool;

// The input of one or more projections: float rows, and their int8 quantization when a
// ternary projection reads them (computed once, shared by q/k/v and by gate/up).
struct ProjectionInput {
  const float* x = nullptr;   // (m, k)
  int64_t m = 0, k = 0;
  AlignedVector<int8_t>* q = nullptr;   // (m, k) scratch
  AlignedVector<float>* scales = nullptr;  // (m) scratch
  bool quantized = false;
  // Block-format weights (Q8_0, Q4_0, Q4_K, Q6_K, Q1_0_g128) read the input quantized in blocks
  // of 32 (KernelTable::quantize_rows_q8_32), also computed once per input.
  AlignedVector<int8_t>* qb = nullptr;         // (m, k) scratch
  AlignedVector<float>* qb_scales = nullptr;   // (m, k/32) scratch
  bool block_quantized = false;
};

class Projector {
 public:
  Projector(const KernelTable& kernels, ThreadPool& pool) : k_(kernels), pool_(pool) {}

  // y (m, w.n_out) = x (m, w.n_in) W^T, with ternary rules for ternary types.
  void Apply(const Linear& w, ProjectionInput& in, float* y, AlignedVector<int32_t>& scratch_i32);

  // Several projections of the same input (q, k, v; gate, up) in one parallel region: their
  // output rows are concatenated and split over the threads together.
  struct Target {
    const Linear* w;
    float* y;  // (m, w->n_out)
  };
  void ApplyFused(std::initializer_list<Target> targets, ProjectionInput& in, AlignedVector<int32_t>& scratch_i32);

  const KernelTable& kernels() const { return k_; }

 private:
  void EnsureQuantized(ProjectionInput& in);
  void EnsureBlockQuantized(ProjectionInput& in);
  // Rows [r0, r1) of one projection; `acc` is this projection's (m, n_out) int32 scratch.
  void Rows(const Linear& w, const ProjectionInput& in, float* y, int32_t* acc, int64_t r0, int64_t r1) const;
  const KernelTable& k_;
  ThreadPool& pool_;
};

}  // namespace bitnet
