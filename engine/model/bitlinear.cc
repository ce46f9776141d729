#include "engine/model/bitlinear.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "engine/runtime/thread_pool.h"

namespace bitnet {
namespace {
constexpr int64_t kRowGrain = 16;  // rows per unit of work: keeps chunks cache-friendly

// Multiplies rows [r0, r1) of the m outputs by a per-tensor scale (no-op for 1).
void ScaleColumns(float* y, int64_t m, int64_t n, int64_t r0, int64_t r1, float scale) {
  if (scale == 1.0f) return;
  for (int64_t t = 0; t < m; ++t)
    for (int64_t r = r0; r < r1; ++r) y[t * n + r] *= scale;
}
}  // namespace

void Projector::EnsureQuantized(ProjectionInput& in) {
  if (in.quantized) return;
  in.q->resize(static_cast<size_t>(in.m * in.k));
  in.scales->resize(static_cast<size_t>(in.m));
  int8_t* q = in.q->data();
  float* s = in.scales->data();
  pool_.ParallelFor(in.m, 1, [&](int64_t b, int64_t e) {
    k_.quantize_rows_i8(in.x + b * in.k, e - b, in.k, q + b * in.k, s + b);
  });
  in.quantized = true;
}

void Projector::EnsureBlockQuantized(ProjectionInput& in) {
  if (in.block_quantized) return;
  if (!in.qb || !in.qb_scales) throw UsageError("block-quantized weights need q8_32 activation scratch");
  if (in.k % 32 != 0) throw UsageError(fmt::format("row length {} is not a multiple of 32", in.k));
  in.qb->resize(static_cast<size_t>(in.m * in.k));
  in.qb_scales->resize(static_cast<size_t>(in.m * in.k / 32));
  int8_t* q = in.qb->data();
  float* d = in.qb_scales->data();
  const int64_t nq = in.k / 32;
  pool_.ParallelFor(in.m, 1, [&](int64_t b, int64_t e) {
    k_.quantize_rows_q8_32(in.x + b * in.k, e - b, in.k, q + b * in.k, d + b * nq);
  });
  in.block_quantized = true;
}

void Projector::Rows(const Linear& w, const ProjectionInput& in, float* y, int32_t* acc, int64_t r0,
                     int64_t r1) const {
  const int64_t m = in.m, n = w.n_out, k = w.n_in;
  switch (w.type) {
    case QuantType::I2_S: {
      const float* s = in.scales->data();
      k_.gemm_i2s(w.data, k, r0, r1, in.q->data(), m, acc, n);
      for (int64_t t = 0; t < m; ++t)
        for (int64_t r = r0; r < r1; ++r) y[t * n + r] = static_cast<float>(acc[t * n + r]) / s[t] * w.scale;
      return;
    }
    case QuantType::TQ2_0:
    case QuantType::TQ1_0: {
      const float* s = in.scales->data();
      (w.type == QuantType::TQ2_0 ? k_.gemm_tq2_0 : k_.gemm_tq1_0)(w.data, k, r0, r1, in.q->data(), m, y, n);
      for (int64_t t = 0; t < m; ++t)
        for (int64_t r = r0; r < r1; ++r) y[t * n + r] = y[t * n + r] / s[t] * w.scale;
      return;
    }
    case QuantType::F16:
      k_.gemm_f16(reinterpret_cast<const uint16_t*>(w.data), k, r0, r1, in.x, m, y, n);
      ScaleColumns(y, m, n, r0, r1, w.scale);
      return;
    case QuantType::F32:
      k_.gemm_f32(reinterpret_cast<const float*>(w.data), k, r0, r1, in.x, m, y, n);
      ScaleColumns(y, m, n, r0, r1, w.scale);
      return;
    case QuantType::BF16:
      k_.gemm_bf16(reinterpret_cast<const uint16_t*>(w.data), k, r0, r1, in.x, m, y, n);
      ScaleColumns(y, m, n, r0, r1, w.scale);
      return;
    case QuantType::Q8_0:
    case QuantType::Q4_0:
    case QuantType::Q4_K:
    case QuantType::Q6_K:
    case QuantType::Q1_0_g128: {
      const KernelTable::GemmBlockFn fn = w.type == QuantType::Q8_0   ? k_.gemm_q8_0
                                          : w.type == QuantType::Q4_0 ? k_.gemm_q4_0
                                          : w.type == QuantType::Q4_K ? k_.gemm_q4_k
                                          : w.type == QuantType::Q6_K ? k_.gemm_q6_k
                                                                      : k_.gemm_q1_0_g128;
      fn(w.data, k, r0, r1, in.qb->data(), in.qb_scales->data(), m, y, n);
      ScaleColumns(y, m, n, r0, r1, w.scale);
      return;
    }
    default:
      throw UsageError(fmt::format("tensor '{}': no matmul for type {}", w.name, GetQuantTraits(w.type).name));
  }
}

void Projector::Apply(const Linear& w, ProjectionInput& in, float* y, AlignedVector<int32_t>& scratch) {
  ApplyFused({{&w, y}}, in, scratch);
}

void Projector::ApplyFused(std::initializer_list<Target> targets, ProjectionInput& in,
                           AlignedVector<int32_t>& scratch) {
  int64_t total_rows = 0;
  bool ternary = false, int32_out = false, blocks = false;
  for (const Target& t : targets) {
    if (!IsProjectionType(t.w->type))
      throw UsageError(fmt::format("tensor '{}': no matmul for type {}", t.w->name, GetQuantTraits(t.w->type).name));
    total_rows += t.w->n_out;
    ternary = ternary || GetQuantTraits(t.w->type).ternary;
    int32_out = int32_out || t.w->type == QuantType::I2_S;
    blocks = blocks || IsBlockQuantType(t.w->type);
  }
  if (ternary) EnsureQuantized(in);
  if (blocks) EnsureBlockQuantized(in);
  const auto need = static_cast<size_t>(in.m * total_rows);
  if (int32_out && scratch.size() < need) scratch.resize(need);  // sized once by ForwardBuffers::Allocate
  pool_.ParallelFor(total_rows, kRowGrain, [&](int64_t b, int64_t e) {
    int64_t offset = 0;
    for (const Target& t : targets) {
      const int64_t n = t.w->n_out;
      const int64_t r0 = std::max(b, offset) - offset, r1 = std::min(e, offset + n) - offset;
      if (r0 < r1) Rows(*t.w, in, t.y, scratch.data() + in.m * offset, r0, r1);
      offset += n;
    }
  });
}

}  // namespace bitnet
