#include "engine/model/bitlinear.h"

#include <fmt/format.h>

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

void Projector::Apply(const Linear& w, ProjectionInput& in, float* y, std::vector<int32_t>& scratch) {
  const int64_t m = in.m, n = w.n_out, k = w.n_in;
  switch (w.type) {
    case QuantType::I2_S: {
      EnsureQuantized(in);
      if (scratch.size() < static_cast<size_t>(m * n)) scratch.resize(static_cast<size_t>(m * n));
      int32_t* acc = scratch.data();
      const int8_t* q = in.q->data();
      const float* s = in.scales->data();
      pool_.ParallelFor(n, kRowGrain, [&](int64_t r0, int64_t r1) {
        k_.gemm_i2s(w.data, k, r0, r1, q, m, acc, n);
        for (int64_t t = 0; t < m; ++t)
          for (int64_t r = r0; r < r1; ++r)
            y[t * n + r] = static_cast<float>(acc[t * n + r]) / s[t] * w.scale;
      });
      return;
    }
    case QuantType::TQ2_0:
    case QuantType::TQ1_0: {
      EnsureQuantized(in);
      const int8_t* q = in.q->data();
      const float* s = in.scales->data();
      auto gemm = w.type == QuantType::TQ2_0 ? k_.gemm_tq2_0 : k_.gemm_tq1_0;
      pool_.ParallelFor(n, kRowGrain, [&](int64_t r0, int64_t r1) {
        gemm(w.data, k, r0, r1, q, m, y, n);
        for (int64_t t = 0; t < m; ++t)
          for (int64_t r = r0; r < r1; ++r) y[t * n + r] = y[t * n + r] / s[t] * w.scale;
      });
      return;
    }
    case QuantType::F16: {
      const auto* wd = reinterpret_cast<const uint16_t*>(w.data);
      pool_.ParallelFor(n, kRowGrain, [&](int64_t r0, int64_t r1) {
        k_.gemm_f16(wd, k, r0, r1, in.x, m, y, n);
        ScaleColumns(y, m, n, r0, r1, w.scale);
      });
      return;
    }
    case QuantType::F32: {
      const auto* wd = reinterpret_cast<const float*>(w.data);
      pool_.ParallelFor(n, kRowGrain, [&](int64_t r0, int64_t r1) {
        k_.gemm_f32(wd, k, r0, r1, in.x, m, y, n);
        ScaleColumns(y, m, n, r0, r1, w.scale);
      });
      return;
    }
    default:
      throw UsageError(fmt::format("tensor '{}': no matmul for type {}", w.name,
                                   GetQuantTraits(w.type).name));
  }
}

}  // namespace bitnet
