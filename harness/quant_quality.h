#pragma once
// Quality of a quantized model against its 16-bit (or any reference) model on a text, as
// llama.cpp's perplexity --kl-divergence reports it: the text is cut into chunks of n_ctx tokens
// (the first one BOS when the tokenizer adds it), both models run every chunk from an empty
// cache, and each position of the second half of a chunk (position j predicts token j+1) is
// scored with
//   KL(P || Q) = sum_v P(v) (log P(v) - log Q(v))   (P the reference, Q the quantized model),
//   top-1 agreement (same argmax), the log-probability of the true next token under each model
//   (-> both perplexities and ln(PPL_Q / PPL_P)), and delta-p = Q(next) - P(next).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bitnet {
class Model;
}

namespace bitnet::quality {

struct Summary {
  int64_t n_tokens = 0;    // scored positions
  int64_t n_chunks = 0;
  double kl_mean = 0, kl_stderr = 0, kl_median = 0, kl_p99 = 0, kl_max = 0;
  double top1 = 0, top1_stderr = 0;                // fraction of positions with the same argmax
  double ppl_base = 0, ppl_quant = 0;
  double ln_ppl_ratio = 0, ln_ppl_ratio_stderr = 0;  // mean of nll_Q - nll_P
  double delta_p_mean = 0, delta_p_stderr = 0;
};

// Adds positions one at a time (logits rows of both models and the true next token).
class Accumulator {
 public:
  void Add(const float* base_logits, const float* quant_logits, int64_t n_vocab, int32_t next);
  Summary Finish(int64_t n_chunks) const;

 private:
  std::vector<double> kl_, nll_base_, nll_quant_, dp_;
  int64_t same_top1_ = 0;
};

struct Options {
  int64_t n_ctx = 512;       // tokens per chunk (>= 4)
  int64_t max_chunks = 0;    // 0: every whole chunk of the text
  int n_threads = 0;
  std::string kernel;
};

// Runs both models over `tokens` (the text, without BOS). Throws UsageError when the models'
// vocabularies differ or the text is shorter than one chunk.
Summary Compare(std::shared_ptr<const Model> base, std::shared_ptr<const Model> quant,
                const std::vector<int32_t>& tokens, bool add_bos, int32_t bos, const Options& opts);

}  // namespace bitnet::quality
