#include "engine/model/bitnet_b158.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "engine/model/bitlinear.h"
#include "engine/model/ops.h"
#include "engine/runtime/thread_pool.h"

namespace bitnet {

void ForwardBuffers::Allocate(const ModelConfig& c, int64_t nb, int64_t n_ctx, int n_threads) {
  n_batch = nb;
  const auto E = static_cast<size_t>(c.n_embd), F = static_cast<size_t>(c.n_ff);
  const auto KV = static_cast<size_t>(c.kv_dim()), B = static_cast<size_t>(nb);
  const auto QD = static_cast<size_t>(c.q_dim()), widest = std::max({E, F, QD});
  x.assign(B * E, 0.0f);
  h.assign(B * E, 0.0f);
  q.assign(B * QD, 0.0f);
  k.assign(B * KV, 0.0f);
  v.assign(B * KV, 0.0f);
  attn.assign(B * QD, 0.0f);
  proj.assign(B * E, 0.0f);
  gate.assign(B * F, 0.0f);
  up.assign(B * F, 0.0f);
  rope.assign(B * static_cast<size_t>(c.head_dim), 0.0f);
  scores.assign(static_cast<size_t>(n_threads) * static_cast<size_t>(n_ctx), 0.0f);
  head_in.assign(B * E, 0.0f);
  qact.assign(B * std::max(E, F), 0);
  qscale.assign(B, 0.0f);
  acc.assign(B * std::max(QD + 2 * KV, 2 * F), 0);  // fused q/k/v and gate/up accumulators
  qblk.assign(B * widest, 0);
  qblk_scale.assign(B * widest / 32 + 1, 0.0f);
  rope_swa.assign(c.sliding_window > 0 ? B * static_cast<size_t>(c.head_dim) : 0, 0.0f);
}

namespace {

// Causal GQA attention of T new tokens (queries q, already rotated) over the cache.
void Attention(const ModelConfig& c, const KernelTable& kt, ThreadPool& pool, KvCache& kv, int64_t layer,
               int64_t n_past, int64_t T, ForwardBuffers& b) {
  const int64_t D = c.head_dim, H = c.n_head, group = c.n_head / c.n_head_kv;
  const float scale = 1.0f / std::sqrt(static_cast<float>(D));
  const int64_t n_ctx = kv.n_ctx();
  // One task per (token, head), claimed dynamically; the score scratch belongs to the executing thread.
  pool.ForEachTask(T * H, [&](int64_t job, int thread) {
    float* sc = b.scores.data() + static_cast<size_t>(thread) * static_cast<size_t>(n_ctx);
    const int64_t t = job / H, head = job % H, g = head / group;
    const float* qv = b.q.data() + t * c.n_embd + head * D;
    const int64_t n_keys = n_past + t + 1;  // causal: positions 0..n_past+t
    for (int64_t j = 0; j < n_keys; ++j) sc[j] = kt.dot_f32(qv, kv.K(layer, j) + g * D, D) * scale;
    ops::Softmax(sc, n_keys);
    kt.weighted_sum_f32(sc, n_keys, kv.V(layer, 0) + g * D, kv.kv_dim(), b.attn.data() + t * c.n_embd + head * D, D);
  });
}

void NormRows(ThreadPool& pool, const float* x, const float* w, int64_t T, int64_t n, float eps, float* out) {
  pool.ParallelFor(T, 1, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) ops::RmsNorm(x + t * n, w, n, eps, out + t * n);
  });
}

void Layer(const ModelConfig& c, const LayerWeights& L, int64_t il, Projector& proj, ThreadPool& pool,
           KvCache& kv, ForwardBuffers& b, int64_t n_past, int64_t T) {
  const int64_t E = c.n_embd, KV = c.kv_dim(), F = c.n_ff, D = c.head_dim;
  // Attention block: h = norm(x); q,k,v = BitLinear(h); rope; attend; subln; o-proj; residual.
  NormRows(pool, b.x.data(), L.attn_norm.data, T, E, c.rms_eps, b.h.data());
  ProjectionInput hin{b.h.data(), T, E, &b.qact, &b.qscale, false, &b.qblk, &b.qblk_scale};
  proj.ApplyFused({{&L.wq, b.q.data()}, {&L.wk, b.k.data()}, {&L.wv, b.v.data()}}, hin, b.acc);
  pool.ParallelFor(T, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const float* cs = b.rope.data() + t * D;
      for (int64_t h = 0; h < c.n_head; ++h) ops::RopeNeox(b.q.data() + t * E + h * D, D, cs);
      for (int64_t h = 0; h < c.n_head_kv; ++h) ops::RopeNeox(b.k.data() + t * KV + h * D, D, cs);
      std::copy_n(b.k.data() + t * KV, KV, kv.K(il, n_past + t));
      std::copy_n(b.v.data() + t * KV, KV, kv.V(il, n_past + t));
    }
  });
  Attention(c, proj.kernels(), pool, kv, il, n_past, T, b);
  NormRows(pool, b.attn.data(), L.attn_sub_norm.data, T, E, c.rms_eps, b.attn.data());
  ProjectionInput ain{b.attn.data(), T, E, &b.qact, &b.qscale, false, &b.qblk, &b.qblk_scale};
  proj.Apply(L.wo, ain, b.proj.data(), b.acc);
  for (int64_t i = 0; i < T * E; ++i) b.x[i] += b.proj[i];

  // FFN block: h = norm(x); m = relu(gate(h))^2 * up(h); subln; down; residual.
  NormRows(pool, b.x.data(), L.ffn_norm.data, T, E, c.rms_eps, b.h.data());
  ProjectionInput fin{b.h.data(), T, E, &b.qact, &b.qscale, false, &b.qblk, &b.qblk_scale};
  proj.ApplyFused({{&L.gate, b.gate.data()}, {&L.up, b.up.data()}}, fin, b.acc);
  pool.ParallelFor(T, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      ops::SquaredReluGlu(b.gate.data() + t * F, b.up.data() + t * F, F);
      ops::RmsNorm(b.gate.data() + t * F, L.ffn_sub_norm.data, F, c.rms_eps, b.gate.data() + t * F);
    }
  });
  ProjectionInput min{b.gate.data(), T, F, &b.qact, &b.qscale, false, &b.qblk, &b.qblk_scale};
  proj.Apply(L.down, min, b.proj.data(), b.acc);
  for (int64_t i = 0; i < T * E; ++i) b.x[i] += b.proj[i];
}

}  // namespace

void ForwardBitnetB158(const Model& model, const KernelTable& kernels, ThreadPool& pool, KvCache& kv,
                       ForwardBuffers& b, std::span<const int32_t> tokens,
                       std::span<const int64_t> rows, float* logits) {
  const ModelConfig& c = model.config();
  const ModelWeights& w = model.weights();
  const auto T = static_cast<int64_t>(tokens.size());
  const int64_t n_past = kv.n_past(), E = c.n_embd;
  if (T == 0) return;
  if (T > b.n_batch) throw UsageError(fmt::format("{} tokens exceed the batch size {}", T, b.n_batch));
  if (n_past + T > kv.n_ctx())
    throw UsageError(fmt::format("context full: {} cached + {} new tokens exceed n_ctx {}", n_past, T,
                                 kv.n_ctx()));
  // Embedding rows: x (T, E).
  for (int64_t t = 0; t < T; ++t) {
    const int32_t id = tokens[static_cast<size_t>(t)];
    if (id < 0 || id >= c.n_vocab)
      throw UsageError(fmt::format("token id {} is outside the vocabulary [0, {})", id, c.n_vocab));
    EmbeddingRow(w.token_embd, id, b.x.data() + t * E);
    ops::RopeAngles(n_past + t, c.head_dim, c.rope_theta, b.rope.data() + t * c.head_dim);
  }
  Projector proj(kernels, pool);
  for (int64_t il = 0; il < c.n_layer; ++il)
    Layer(c, w.layers[static_cast<size_t>(il)], il, proj, pool, kv, b, n_past, T);
  kv.set_n_past(n_past + T);

  // Head: final norm of the rows that need logits, then logits = x_sel . output^T.
  const auto n_rows = static_cast<int64_t>(rows.size());
  if (n_rows == 0) return;
  for (int64_t i = 0; i < n_rows; ++i) {
    const int64_t t = rows[static_cast<size_t>(i)];
    if (t < 0 || t >= T) throw UsageError(fmt::format("logit row {} outside the batch of {}", t, T));
    ops::RmsNorm(b.x.data() + t * E, w.output_norm.data, E, c.rms_eps, b.head_in.data() + i * E);
  }
  ProjectionInput hin{b.head_in.data(), n_rows, E, &b.qact, &b.qscale, false, &b.qblk, &b.qblk_scale};
  proj.Apply(w.output, hin, logits, b.acc);
}

}  // namespace bitnet
