#include "engine/model/ops.h"

#include <algorithm>
#include <cmath>

namespace bitnet::ops {

void RmsNorm(const float* x, const float* w, int64_t n, float eps, float* out) {
  double ss = 0.0;
  for (int64_t i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float scale = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(n) + eps));
  // Element-wise (out may be x): the same two roundings per element, vectorized.
#pragma GCC ivdep
  for (int64_t i = 0; i < n; ++i) out[i] = x[i] * scale * w[i];
}

void RopeAngles(int64_t pos, int64_t d, float theta, float* cos_sin) {
  const int64_t half = d / 2;
  for (int64_t i = 0; i < half; ++i) {
    const double freq = std::pow(static_cast<double>(theta), -2.0 * static_cast<double>(i) / static_cast<double>(d));
    const double a = static_cast<double>(pos) * freq;
    cos_sin[i] = static_cast<float>(std::cos(a));
    cos_sin[half + i] = static_cast<float>(std::sin(a));
  }
}

void RopeNeox(float* x, int64_t d, const float* cos_sin) {
  const int64_t half = d / 2;
#pragma GCC ivdep
  for (int64_t i = 0; i < half; ++i) {
    const float c = cos_sin[i], s = cos_sin[half + i];
    const float x0 = x[i], x1 = x[i + half];
    x[i] = x0 * c - x1 * s;
    x[i + half] = x0 * s + x1 * c;
  }
}

void RopeAnglesScaled(int64_t pos, int64_t d, float theta, float freq_scale, const float* factors, float* cos_sin) {
  const int64_t half = d / 2;
  for (int64_t i = 0; i < half; ++i) {
    double freq = std::pow(static_cast<double>(theta), -2.0 * static_cast<double>(i) / static_cast<double>(d));
    if (factors) freq /= static_cast<double>(factors[i]);
    const double a = static_cast<double>(pos) * static_cast<double>(freq_scale) * freq;
    cos_sin[i] = static_cast<float>(std::cos(a));
    cos_sin[half + i] = static_cast<float>(std::sin(a));
  }
}

void RopeNorm(float* x, int64_t d, const float* cos_sin) {
  const int64_t half = d / 2;
  for (int64_t i = 0; i < half; ++i) {
    const float c = cos_sin[i], s = cos_sin[half + i];
    const float x0 = x[2 * i], x1 = x[2 * i + 1];
    x[2 * i] = x0 * c - x1 * s;
    x[2 * i + 1] = x0 * s + x1 * c;
  }
}

void SiluGlu(float* g, const float* u, int64_t n) {
  for (int64_t i = 0; i < n; ++i) g[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

void GeluTanhGlu(float* g, const float* u, int64_t n) {
  constexpr float kSqrt2OverPi = 0.7978845608028654f;
  for (int64_t i = 0; i < n; ++i) {
    const float x = g[i];
    g[i] = 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x))) * u[i];
  }
}

void Softmax(float* x, int64_t n) {
  float mx = -INFINITY;
  for (int64_t i = 0; i < n; ++i) mx = std::max(mx, x[i]);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - mx);
    sum += x[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void SquaredReluGlu(float* g, const float* u, int64_t n) {
  // Element-wise; without the pragma GCC's alias check between g and u kept the scalar loop.
#pragma GCC ivdep
  for (int64_t i = 0; i < n; ++i) {
    const float r = g[i] > 0.0f ? g[i] : 0.0f;
    g[i] = r * r * u[i];
  }
}

float Dot(const float* a, const float* b, int64_t n) {
  float acc = 0.0f;
  for (int64_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

}  // namespace bitnet::ops
