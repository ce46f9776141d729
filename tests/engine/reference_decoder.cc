#include "tests/engine/reference_decoder.h"

#include <algorithm>
#include <cmath>

namespace bitnet::test {
namespace {

using Mat = std::vector<double>;  // row-major

bool IsBlockType(QuantType t) {
  return t == QuantType::Q8_0 || t == QuantType::Q4_0 || t == QuantType::Q4_K || t == QuantType::Q6_K ||
         t == QuantType::Q1_0_g128;
}

std::vector<float> Dequant(const Linear& l) {
  std::vector<float> w(static_cast<size_t>(l.n_in * l.n_out));
  GetQuantTraits(l.type).to_float(l.data, w.data(), l.n_in * l.n_out);
  if (l.type != QuantType::I2_S)  // I2_S's to_float already applies the tensor scale
    for (auto& v : w) v *= l.scale;
  return w;
}

// The input row as the engine's integer kernels see it.
void SnapToActivationGrid(const Linear& l, std::vector<double>& xr) {
  if (GetQuantTraits(l.type).ternary) {
    double amax = 1e-5;
    for (double v : xr) amax = std::max(amax, std::fabs(v));
    const float s = static_cast<float>(127.0 / amax);
    for (double& v : xr) v = std::clamp(std::nearbyint(static_cast<float>(v) * s), -128.0f, 127.0f) / s;
  } else if (IsBlockType(l.type)) {
    for (size_t b = 0; b < xr.size(); b += 32) {
      float amax = 0.0f;
      for (size_t i = b; i < b + 32; ++i) amax = std::max(amax, std::fabs(static_cast<float>(xr[i])));
      const float d = amax / 127.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
      for (size_t i = b; i < b + 32; ++i) xr[i] = std::round(static_cast<float>(xr[i]) * id) * static_cast<double>(d);
    }
  }
}

Mat Project(const Linear& l, const Mat& x, int64_t T, const Norm* bias = nullptr) {
  const std::vector<float> w = Dequant(l);
  Mat y(static_cast<size_t>(T * l.n_out));
  std::vector<double> xr(static_cast<size_t>(l.n_in));
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t i = 0; i < l.n_in; ++i) xr[i] = x[t * l.n_in + i];
    SnapToActivationGrid(l, xr);
    for (int64_t r = 0; r < l.n_out; ++r) {
      double acc = 0;
      for (int64_t i = 0; i < l.n_in; ++i) acc += w[r * l.n_in + i] * xr[i];
      y[t * l.n_out + r] = acc + (bias && bias->data ? bias->data[r] : 0.0);
    }
  }
  return y;
}

// RMSNorm of every n-value group of x (rows or heads), times w.
void NormGroups(Mat& x, const float* w, int64_t n, double eps) {
  for (size_t g = 0; g < x.size(); g += static_cast<size_t>(n)) {
    double ss = 0;
    for (int64_t i = 0; i < n; ++i) ss += x[g + i] * x[g + i];
    const double r = 1.0 / std::sqrt(ss / n + eps);
    for (int64_t i = 0; i < n; ++i) x[g + i] = x[g + i] * r * w[i];
  }
}

void Rope(const ModelConfig& c, const float* factors, Mat& x, int64_t T, int64_t heads, double theta, double scale) {
  const int64_t d = c.head_dim;
  for (int64_t t = 0; t < T; ++t)
    for (int64_t h = 0; h < heads; ++h) {
      double* v = &x[(t * heads + h) * d];
      for (int64_t i = 0; i < d / 2; ++i) {
        double freq = std::pow(theta, -2.0 * i / d);
        if (factors) freq /= factors[i];
        const double a = t * scale * freq;
        // NEOX pairs (i, i + d/2); "normal" pairs (2i, 2i + 1).
        const int64_t i0 = c.rope_style == RopeStyle::kNeox ? i : 2 * i;
        const int64_t i1 = c.rope_style == RopeStyle::kNeox ? i + d / 2 : 2 * i + 1;
        const double x0 = v[i0], x1 = v[i1];
        v[i0] = x0 * std::cos(a) - x1 * std::sin(a);
        v[i1] = x0 * std::sin(a) + x1 * std::cos(a);
      }
    }
}

Mat Attention(const ModelConfig& c, const Mat& q, const Mat& k, const Mat& v, int64_t T, int64_t window) {
  const int64_t D = c.head_dim, QD = c.q_dim(), KV = c.kv_dim();
  Mat att(static_cast<size_t>(T * QD), 0.0);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t hd = 0; hd < c.n_head; ++hd) {
      const int64_t g = hd / (c.n_head / c.n_head_kv);
      const int64_t first = window > 0 ? std::max<int64_t>(0, t - window + 1) : 0;
      std::vector<double> p;
      double mx = -1e300;
      for (int64_t j = first; j <= t; ++j) {
        double s = 0;
        for (int64_t i = 0; i < D; ++i) s += q[t * QD + hd * D + i] * k[j * KV + g * D + i];
        p.push_back(s * (c.attention_scale > 0 ? c.attention_scale : 1.0 / std::sqrt(static_cast<double>(D))));
        mx = std::max(mx, p.back());
      }
      double sum = 0;
      for (auto& e : p) sum += (e = std::exp(e - mx));
      for (int64_t j = first; j <= t; ++j)
        for (int64_t i = 0; i < D; ++i) att[t * QD + hd * D + i] += p[j - first] / sum * v[j * KV + g * D + i];
    }
  return att;
}

double Activation(FfnActivation a, double g) {
  switch (a) {
    case FfnActivation::kSilu: return g / (1.0 + std::exp(-g));
    case FfnActivation::kGeluTanh:
      return 0.5 * g * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (g + 0.044715 * g * g * g)));
    case FfnActivation::kSquaredRelu: return std::pow(std::max(g, 0.0), 2);
  }
  return 0.0;
}

}  // namespace

std::vector<float> ReferenceDecoderLogits(const Model& model, const std::vector<int32_t>& tokens) {
  const ModelConfig& c = model.config();
  const ModelWeights& w = model.weights();
  const auto T = static_cast<int64_t>(tokens.size());
  const int64_t E = c.n_embd, QD = c.q_dim();
  const std::vector<float> emb = Dequant(w.token_embd);
  Mat x(static_cast<size_t>(T * E));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t i = 0; i < E; ++i) x[t * E + i] = emb[tokens[t] * E + i] * static_cast<double>(c.embedding_scale);

  for (int64_t il = 0; il < c.n_layer; ++il) {
    const LayerWeights& L = w.layers[static_cast<size_t>(il)];
    const bool sliding = c.IsSlidingLayer(il);
    Mat h = x;
    NormGroups(h, L.attn_norm.data, E, c.rms_eps);
    Mat q = Project(L.wq, h, T, &L.bq), k = Project(L.wk, h, T, &L.bk), v = Project(L.wv, h, T, &L.bv);
    if (c.qk_norm) {
      NormGroups(q, L.q_norm.data, c.head_dim, c.rms_eps);
      NormGroups(k, L.k_norm.data, c.head_dim, c.rms_eps);
    }
    const double theta = sliding ? c.rope_theta_swa : c.rope_theta;
    const double scale = sliding ? 1.0 : c.rope_freq_scale;
    Rope(c, sliding ? nullptr : w.rope_freqs.data, q, T, c.n_head, theta, scale);
    Rope(c, sliding ? nullptr : w.rope_freqs.data, k, T, c.n_head_kv, theta, scale);
    Mat att = Attention(c, q, k, v, T, sliding ? c.sliding_window : 0);
    if (c.sub_norms) NormGroups(att, L.attn_sub_norm.data, QD, c.rms_eps);
    Mat o = Project(L.wo, att, T);
    if (c.post_norms) NormGroups(o, L.post_attn_norm.data, E, c.rms_eps);
    for (size_t i = 0; i < x.size(); ++i) x[i] += c.residual_scale * o[i];

    h = x;
    NormGroups(h, L.ffn_norm.data, E, c.rms_eps);
    Mat g = Project(L.gate, h, T), u = Project(L.up, h, T);
    for (size_t i = 0; i < g.size(); ++i) g[i] = Activation(c.ffn_act, g[i]) * u[i];
    if (c.sub_norms) NormGroups(g, L.ffn_sub_norm.data, c.n_ff, c.rms_eps);
    Mat d = Project(L.down, g, T);
    if (c.post_norms) NormGroups(d, L.post_ffn_norm.data, E, c.rms_eps);
    for (size_t i = 0; i < x.size(); ++i) x[i] += c.residual_scale * d[i];
  }
  NormGroups(x, w.output_norm.data, E, c.rms_eps);
  const Mat logits = Project(w.output, x, T);
  std::vector<float> out(logits.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(logits[i] / c.logit_scale);
  return out;
}

}  // namespace bitnet::test
