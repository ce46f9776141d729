#include "harness/quant_quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "engine/engine.h"

namespace bitnet::quality {
namespace {

// log-softmax of one row, in double.
void LogSoftmax(const float* x, int64_t n, std::vector<double>& out) {
  out.resize(static_cast<size_t>(n));
  double mx = -INFINITY;
  for (int64_t i = 0; i < n; ++i) mx = std::max(mx, static_cast<double>(x[i]));
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(x[i]) - mx);
  const double lse = mx + std::log(sum);
  for (int64_t i = 0; i < n; ++i) out[static_cast<size_t>(i)] = static_cast<double>(x[i]) - lse;
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

double StdErr(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = Mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
}

// The q-quantile of sorted values (linear interpolation).
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

void Accumulator::Add(const float* p_logits, const float* q_logits, int64_t n, int32_t next) {
  std::vector<double> lp, lq;
  LogSoftmax(p_logits, n, lp);
  LogSoftmax(q_logits, n, lq);
  double kl = 0;
  int64_t ap = 0, aq = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double p = std::exp(lp[static_cast<size_t>(i)]);
    if (p > 0) kl += p * (lp[static_cast<size_t>(i)] - lq[static_cast<size_t>(i)]);
    if (p_logits[i] > p_logits[ap]) ap = i;
    if (q_logits[i] > q_logits[aq]) aq = i;
  }
  kl_.push_back(std::max(kl, 0.0));  // >= 0 mathematically; clip rounding noise
  same_top1_ += ap == aq;
  nll_base_.push_back(-lp[static_cast<size_t>(next)]);
  nll_quant_.push_back(-lq[static_cast<size_t>(next)]);
  dp_.push_back(std::exp(lq[static_cast<size_t>(next)]) - std::exp(lp[static_cast<size_t>(next)]));
}

Summary Accumulator::Finish(int64_t n_chunks) const {
  Summary s;
  s.n_chunks = n_chunks;
  s.n_tokens = static_cast<int64_t>(kl_.size());
  if (kl_.empty()) return s;
  const double n = static_cast<double>(kl_.size());
  s.kl_mean = Mean(kl_);
  s.kl_stderr = StdErr(kl_);
  std::vector<double> sorted = kl_;
  std::sort(sorted.begin(), sorted.end());
  s.kl_median = Quantile(sorted, 0.5);
  s.kl_p99 = Quantile(sorted, 0.99);
  s.kl_max = sorted.back();
  s.top1 = static_cast<double>(same_top1_) / n;
  s.top1_stderr = std::sqrt(s.top1 * (1.0 - s.top1) / n);
  s.ppl_base = std::exp(Mean(nll_base_));
  s.ppl_quant = std::exp(Mean(nll_quant_));
  std::vector<double> diff(kl_.size());
  for (size_t i = 0; i < diff.size(); ++i) diff[i] = nll_quant_[i] - nll_base_[i];
  s.ln_ppl_ratio = Mean(diff);
  s.ln_ppl_ratio_stderr = StdErr(diff);
  s.delta_p_mean = Mean(dp_);
  s.delta_p_stderr = StdErr(dp_);
  return s;
}

Summary Compare(std::shared_ptr<const Model> base, std::shared_ptr<const Model> quant,
                const std::vector<int32_t>& tokens, bool add_bos, int32_t bos, const Options& o) {
  const int64_t V = base->config().n_vocab;
  if (quant->config().n_vocab != V)
    throw UsageError(fmt::format("the models' vocabularies differ ({} and {} tokens)", V, quant->config().n_vocab));
  if (o.n_ctx < 4) throw UsageError(fmt::format("--ctx-size {} is too small (at least 4)", o.n_ctx));
  const int64_t text_per_chunk = add_bos ? o.n_ctx - 1 : o.n_ctx;
  int64_t n_chunks = static_cast<int64_t>(tokens.size()) / text_per_chunk;
  if (o.max_chunks > 0) n_chunks = std::min(n_chunks, o.max_chunks);
  if (n_chunks == 0)
    throw UsageError(fmt::format("the text has {} tokens, fewer than one chunk of {}", tokens.size(), text_per_chunk));
  SessionOptions so;
  so.n_threads = o.n_threads;
  so.n_ctx = o.n_ctx;
  so.n_batch = o.n_ctx;
  so.kernel = o.kernel;
  Session sp(base, so), sq(quant, so);
  const int64_t first = o.n_ctx / 2;  // positions scored: first .. n_ctx-2
  Accumulator acc;
  for (int64_t c = 0; c < n_chunks; ++c) {
    std::vector<int32_t> chunk;
    if (add_bos) chunk.push_back(bos);
    chunk.insert(chunk.end(), tokens.begin() + c * text_per_chunk, tokens.begin() + (c + 1) * text_per_chunk);
    sp.Reset();
    sq.Reset();
    const std::vector<float> lp = sp.Eval(chunk, first), lq = sq.Eval(chunk, first);
    for (int64_t j = first; j + 1 < o.n_ctx; ++j) {
      const int64_t row = j - first;
      acc.Add(lp.data() + row * V, lq.data() + row * V, V, chunk[static_cast<size_t>(j + 1)]);
    }
  }
  return acc.Finish(n_chunks);
}

}  // namespace bitnet::quality
