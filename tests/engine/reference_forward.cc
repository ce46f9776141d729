#include "tests/engine/reference_forward.h"

#include <algorithm>
#include <cmath>

namespace bitnet::test {
namespace {

using Mat = std::vector<double>;  // row-major

std::vector<float> Dequant(const Linear& l) {
  std::vector<float> w(static_cast<size_t>(l.n_in * l.n_out));
  GetQuantTraits(l.type).to_float(l.data, w.data(), l.n_in * l.n_out);
  if (l.type != QuantType::I2_S)  // I2_S's to_float already applies the tensor scale
    for (auto& v : w) v *= l.scale;
  return w;
}

bool Ternary(const Linear& l) { return GetQuantTraits(l.type).ternary; }

// y (T, n_out) = x (T, n_in) W^T, with the input snapped to the per-token int8 grid for ternary W.
Mat Project(const Linear& l, const Mat& x, int64_t T) {
  const std::vector<float> w = Dequant(l);
  Mat y(static_cast<size_t>(T * l.n_out));
  std::vector<double> xr(static_cast<size_t>(l.n_in));
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t i = 0; i < l.n_in; ++i) xr[i] = x[t * l.n_in + i];
    if (Ternary(l)) {
      double amax = 1e-5;
      for (double v : xr) amax = std::max(amax, std::fabs(v));
      const float s = static_cast<float>(127.0 / amax);
      for (double& v : xr) v = std::clamp(std::nearbyint(static_cast<float>(v) * s), -128.0f, 127.0f) / s;
    }
    for (int64_t r = 0; r < l.n_out; ++r) {
      double acc = 0;
      for (int64_t i = 0; i < l.n_in; ++i) acc += w[r * l.n_in + i] * xr[i];
      y[t * l.n_out + r] = acc;
    }
  }
  return y;
}

Mat Norm(const Mat& x, const Norm& w, int64_t T, int64_t n, double eps) {
  Mat y(x.size());
  for (int64_t t = 0; t < T; ++t) {
    double ss = 0;
    for (int64_t i = 0; i < n; ++i) ss += x[t * n + i] * x[t * n + i];
    const double r = 1.0 / std::sqrt(ss / n + eps);
    for (int64_t i = 0; i < n; ++i) y[t * n + i] = x[t * n + i] * r * w.data[i];
  }
  return y;
}

void Rope(Mat& x, int64_t T, int64_t heads, int64_t d, double theta) {
  for (int64_t t = 0; t < T; ++t)
    for (int64_t h = 0; h < heads; ++h) {
      double* v = &x[(t * heads + h) * d];
      for (int64_t i = 0; i < d / 2; ++i) {
        const double a = t * std::pow(theta, -2.0 * i / d);
        const double x0 = v[i], x1 = v[i + d / 2];
        v[i] = x0 * std::cos(a) - x1 * std::sin(a);
        v[i + d / 2] = x0 * std::sin(a) + x1 * std::cos(a);
      }
    }
}

}  // namespace

std::vector<float> ReferenceLogits(const Model& model, const std::vector<int32_t>& tokens) {
  const ModelConfig& c = model.config();
  const ModelWeights& w = model.weights();
  const auto T = static_cast<int64_t>(tokens.size());
  const int64_t E = c.n_embd, D = c.head_dim, KV = c.kv_dim();
  const std::vector<float> emb = Dequant(w.token_embd);
  Mat x(static_cast<size_t>(T * E));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t i = 0; i < E; ++i) x[t * E + i] = emb[tokens[t] * E + i];

  for (const LayerWeights& L : w.layers) {
    Mat h = Norm(x, L.attn_norm, T, E, c.rms_eps);
    Mat q = Project(L.wq, h, T), k = Project(L.wk, h, T), v = Project(L.wv, h, T);
    Rope(q, T, c.n_head, D, c.rope_theta);
    Rope(k, T, c.n_head_kv, D, c.rope_theta);
    Mat att(static_cast<size_t>(T * E), 0.0);
    for (int64_t t = 0; t < T; ++t)
      for (int64_t hd = 0; hd < c.n_head; ++hd) {
        const int64_t g = hd / (c.n_head / c.n_head_kv);
        std::vector<double> p(static_cast<size_t>(t + 1));
        double mx = -1e300;
        for (int64_t j = 0; j <= t; ++j) {
          double s = 0;
          for (int64_t i = 0; i < D; ++i) s += q[t * E + hd * D + i] * k[j * KV + g * D + i];
          p[j] = s / std::sqrt(static_cast<double>(D));
          mx = std::max(mx, p[j]);
        }
        double sum = 0;
        for (auto& e : p) sum += (e = std::exp(e - mx));
        for (int64_t j = 0; j <= t; ++j)
          for (int64_t i = 0; i < D; ++i) att[t * E + hd * D + i] += p[j] / sum * v[j * KV + g * D + i];
      }
    att = Norm(att, L.attn_sub_norm, T, E, c.rms_eps);
    Mat o = Project(L.wo, att, T);
    for (size_t i = 0; i < x.size(); ++i) x[i] += o[i];

    h = Norm(x, L.ffn_norm, T, E, c.rms_eps);
    Mat g = Project(L.gate, h, T), u = Project(L.up, h, T);
    for (size_t i = 0; i < g.size(); ++i) g[i] = std::pow(std::max(g[i], 0.0), 2) * u[i];
    g = Norm(g, L.ffn_sub_norm, T, c.n_ff, c.rms_eps);
    Mat d = Project(L.down, g, T);
    for (size_t i = 0; i < x.size(); ++i) x[i] += d[i];
  }
  x = Norm(x, w.output_norm, T, E, c.rms_eps);
  const std::vector<float> head = Dequant(w.output);
  std::vector<float> logits(static_cast<size_t>(T * c.n_vocab));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t r = 0; r < c.n_vocab; ++r) {
      double acc = 0;
      for (int64_t i = 0; i < E; ++i) acc += head[r * E + i] * x[t * E + i];
      logits[t * c.n_vocab + r] = static_cast<float>(acc);
    }
  return logits;
}

}  // namespace bitnet::test
