// The forward pass of the pre-norm decoder architectures (llama, qwen2, qwen3, gemma3, minicpm,
// bitnet): one graph whose optional steps are switched by the ModelConfig the architecture's
// file set (engine/model/arch_*.cc). Per layer, with x the residual stream (T, n_embd):
//
//   h = RMSNorm(x) * attn_norm
//   q, k, v = h Wq, h Wk, h Wv  (+ biases: qwen2)
//   q, k = RMSNorm per head * attn_{q,k}_norm                      (qwen3, gemma3)
//   q, k = RoPE (NEOX or adjacent pairs; sliding layers use their own base: gemma3)
//   a = causal GQA attention, scale 1/sqrt(head_dim) (gemma3 27B: its own), window on sliding layers
//   a = RMSNorm(a) * attn_sub_norm                                 (bitnet)
//   o = a Wo;  o = RMSNorm(o) * post_attention_norm                (gemma3)
//   x = x + residual_scale * o                                     (minicpm scale)
//   h = RMSNorm(x) * ffn_norm;  m = act(h Wgate) * (h Wup)        (SiLU; GELU-tanh: gemma3)
//   m = RMSNorm(m) * ffn_sub_norm                                  (bitnet)
//   d = m Wdown;  d = RMSNorm(d) * post_ffw_norm                   (gemma3)
//   x = x + residual_scale * d
//
// Embeddings are multiplied by embedding_scale (gemma3 sqrt(n_embd), minicpm), the logits of
// RMSNorm(x) * output_norm times the head are divided by logit_scale (minicpm).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "engine/model/attention.h"
#include "engine/model/bitlinear.h"
#include "engine/model/forward.h"
#include "engine/model/ops.h"
#include "engine/runtime/thread_pool.h"

namespace bitnet {
namespace {

void NormRows(ThreadPool& pool, const float* x, const float* w, int64_t T, int64_t n, float eps, float* out) {
  pool.ParallelFor(T, 1, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) ops::RmsNorm(x + t * n, w, n, eps, out + t * n);
  });
}

void AddResidual(AlignedVector<float>& x, const AlignedVector<float>& y, int64_t n, float scale) {
  if (scale == 1.0f) {
    for (int64_t i = 0; i < n; ++i) x[i] += y[i];
  } else {
    for (int64_t i = 0; i < n; ++i) x[i] += scale * y[i];
  }
}

ProjectionInput Input(ForwardBuffers& b, float* x, int64_t T, int64_t k) {
  return ProjectionInput{x, T, k, &b.qact, &b.qscale, false, &b.qblk, &b.qblk_scale};
}

// Biases, per-head norms and RoPE of the new q (T, q_dim) and k (T, kv_dim); then k, v into the cache.
void PrepareQkv(const ModelConfig& c, const LayerWeights& L, int64_t il, ThreadPool& pool, KvCache& kv,
                ForwardBuffers& b, int64_t n_past, int64_t T) {
  const int64_t QD = c.q_dim(), KV = c.kv_dim(), D = c.head_dim;
  const float* angles = c.IsSlidingLayer(il) ? b.rope_swa.data() : b.rope.data();
  auto rope = c.rope_style == RopeStyle::kNeox ? ops::RopeNeox : ops::RopeNorm;
  pool.ParallelFor(T, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      float* q = b.q.data() + t * QD;
      float* k = b.k.data() + t * KV;
      float* v = b.v.data() + t * KV;
      if (c.qkv_bias) {
        for (int64_t i = 0; i < QD; ++i) q[i] += L.bq.data[i];
        for (int64_t i = 0; i < KV; ++i) k[i] += L.bk.data[i];
        for (int64_t i = 0; i < KV; ++i) v[i] += L.bv.data[i];
      }
      const float* cs = angles + t * D;
      for (int64_t h = 0; h < c.n_head; ++h) {
        if (c.qk_norm) ops::RmsNorm(q + h * D, L.q_norm.data, D, c.rms_eps, q + h * D);
        rope(q + h * D, D, cs);
      }
      for (int64_t h = 0; h < c.n_head_kv; ++h) {
        if (c.qk_norm) ops::RmsNorm(k + h * D, L.k_norm.data, D, c.rms_eps, k + h * D);
        rope(k + h * D, D, cs);
      }
      std::copy_n(k, KV, kv.K(il, n_past + t));
      std::copy_n(v, KV, kv.V(il, n_past + t));
    }
  });
}

void Layer(const ModelConfig& c, const LayerWeights& L, int64_t il, Projector& proj, ThreadPool& pool, KvCache& kv,
           ForwardBuffers& b, int64_t n_past, int64_t T) {
  const int64_t E = c.n_embd, QD = c.q_dim(), F = c.n_ff;
  // Attention block.
  NormRows(pool, b.x.data(), L.attn_norm.data, T, E, c.rms_eps, b.h.data());
  ProjectionInput hin = Input(b, b.h.data(), T, E);
  proj.ApplyFused({{&L.wq, b.q.data()}, {&L.wk, b.k.data()}, {&L.wv, b.v.data()}}, hin, b.acc);
  PrepareQkv(c, L, il, pool, kv, b, n_past, T);
  AttentionShape shape{c.n_head, c.n_head_kv, c.head_dim, c.AttentionScale(),
                       c.IsSlidingLayer(il) ? c.sliding_window : 0};
  CausalAttention(proj.kernels(), pool, kv, il, n_past, T, shape, b.q.data(), b.attn.data(), b.scores.data());
  if (c.sub_norms) NormRows(pool, b.attn.data(), L.attn_sub_norm.data, T, QD, c.rms_eps, b.attn.data());
  ProjectionInput ain = Input(b, b.attn.data(), T, QD);
  proj.Apply(L.wo, ain, b.proj.data(), b.acc);
  if (c.post_norms) NormRows(pool, b.proj.data(), L.post_attn_norm.data, T, E, c.rms_eps, b.proj.data());
  AddResidual(b.x, b.proj, T * E, c.residual_scale);

  // FFN block.
  NormRows(pool, b.x.data(), L.ffn_norm.data, T, E, c.rms_eps, b.h.data());
  ProjectionInput fin = Input(b, b.h.data(), T, E);
  proj.ApplyFused({{&L.gate, b.gate.data()}, {&L.up, b.up.data()}}, fin, b.acc);
  pool.ParallelFor(T, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      float* g = b.gate.data() + t * F;
      const float* u = b.up.data() + t * F;
      switch (c.ffn_act) {
        case FfnActivation::kSilu: ops::SiluGlu(g, u, F); break;
        case FfnActivation::kGeluTanh: ops::GeluTanhGlu(g, u, F); break;
        case FfnActivation::kSquaredRelu: ops::SquaredReluGlu(g, u, F); break;
      }
      if (c.sub_norms) ops::RmsNorm(g, L.ffn_sub_norm.data, F, c.rms_eps, g);
    }
  });
  ProjectionInput min = Input(b, b.gate.data(), T, F);
  proj.Apply(L.down, min, b.proj.data(), b.acc);
  if (c.post_norms) NormRows(pool, b.proj.data(), L.post_ffn_norm.data, T, E, c.rms_eps, b.proj.data());
  AddResidual(b.x, b.proj, T * E, c.residual_scale);
}

}  // namespace

void ForwardDecoder(const Model& model, const KernelTable& kernels, ThreadPool& pool, KvCache& kv,
                    ForwardBuffers& b, std::span<const int32_t> tokens, std::span<const int64_t> rows,
                    float* logits) {
  const ModelConfig& c = model.config();
  const ModelWeights& w = model.weights();
  const auto T = static_cast<int64_t>(tokens.size());
  const int64_t n_past = kv.n_past(), E = c.n_embd, D = c.head_dim;
  if (T == 0) return;
  if (T > b.n_batch) throw UsageError(fmt::format("{} tokens exceed the batch size {}", T, b.n_batch));
  if (n_past + T > kv.n_ctx())
    throw UsageError(fmt::format("context full: {} cached + {} new tokens exceed n_ctx {}", n_past, T, kv.n_ctx()));
  // Embedding rows x (T, E), scaled; RoPE angles of each position (T, D).
  for (int64_t t = 0; t < T; ++t) {
    const int32_t id = tokens[static_cast<size_t>(t)];
    if (id < 0 || id >= c.n_vocab)
      throw UsageError(fmt::format("token id {} is outside the vocabulary [0, {})", id, c.n_vocab));
    float* dst = b.x.data() + t * E;
    EmbeddingRow(w.token_embd, id, dst);
    if (c.embedding_scale != 1.0f)
      for (int64_t i = 0; i < E; ++i) dst[i] *= c.embedding_scale;
    ops::RopeAnglesScaled(n_past + t, D, c.rope_theta, c.rope_freq_scale, w.rope_freqs.data, b.rope.data() + t * D);
    if (c.sliding_window > 0)
      ops::RopeAnglesScaled(n_past + t, D, c.rope_theta_swa, 1.0f, nullptr, b.rope_swa.data() + t * D);
  }
  Projector proj(kernels, pool);
  for (int64_t il = 0; il < c.n_layer; ++il) Layer(c, w.layers[static_cast<size_t>(il)], il, proj, pool, kv, b, n_past, T);
  kv.set_n_past(n_past + T);

  // Head: final norm of the rows that need logits, logits = x_sel . output^T / logit_scale.
  const auto n_rows = static_cast<int64_t>(rows.size());
  if (n_rows == 0) return;
  for (int64_t i = 0; i < n_rows; ++i) {
    const int64_t t = rows[static_cast<size_t>(i)];
    if (t < 0 || t >= T) throw UsageError(fmt::format("logit row {} outside the batch of {}", t, T));
    ops::RmsNorm(b.x.data() + t * E, w.output_norm.data, E, c.rms_eps, b.head_in.data() + i * E);
  }
  ProjectionInput hin = Input(b, b.head_in.data(), n_rows, E);
  proj.Apply(w.output, hin, logits, b.acc);
  if (c.logit_scale != 1.0f) {
    const float inv = 1.0f / c.logit_scale;
    for (int64_t i = 0; i < n_rows * c.n_vocab; ++i) logits[i] *= inv;
  }
}

void Forward(const Model& model, const KernelTable& kernels, ThreadPool& pool, KvCache& kv, ForwardBuffers& buf,
             std::span<const int32_t> tokens, std::span<const int64_t> rows, float* logits) {
  if (model.config().IsBitnetB158()) {
    ForwardBitnetB158(model, kernels, pool, kv, buf, tokens, rows, logits);
  } else {
    ForwardDecoder(model, kernels, pool, kv, buf, tokens, rows, logits);
  }
}

}  // namespace bitnet
