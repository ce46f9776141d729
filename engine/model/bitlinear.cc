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
    default:
      throw UsageError(fmt::format("tensor '{}': no matmul for type {}", w.name, GetQuantTraits(w.type).name));
  }
}

void Projector::Apply(const Linear& w, ProjectionInput& in, float* y, std::vector<int32_t>& scratch) {
  ApplyFused({{&w, y}}, in, scratch);
}

void Projector::ApplyFused(std::initializer_list<Target> targets, ProjectionInput& in,
                           std::vector<int32_t>& scratch) {
  int64_t total_rows = 0;
  bool ternary = false, int32_out = false;
  for (const Target& t : targets) {
    if (!IsProjectionType(t.w->type))
      throw UsageError(fmt::format("tensor '{}': no matmul for type {}", t.w->name, GetQuantTraits(t.w->type).name));
    total_rows += t.w->n_out;
    ternary = ternary || GetQuantTraits(t.w->type).ternary;
    int32_out = int32_out || t.w->type == QuantType::I2_S;
  }
  if (ternary) EnsureQuantized(in);
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
