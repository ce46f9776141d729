#pragma once
// A session: one model, one KV cache, one thread pool. Entry points: Score (log-likelihood of a
// continuation), Generate (text until a stop), and the lower-level Eval used by both.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/forward.h"
#include "engine/model/model.h"
#include "engine/runtime/kv_cache.h"
#include "engine/runtime/sampler.h"
#include "engine/runtime/thread_pool.h"
#include "kernels/kernels.h"

namespace bitnet {

struct SessionOptions {
  int n_threads = 0;       // 0: all hardware threads
  int64_t n_ctx = 0;       // 0: the model's context length, at most 4096
  int64_t n_batch = 512;   // tokens per forward call during prefill
  std::string kernel;      // "" picks the best usable variant
};

struct ScoreResult {
  double logprob = 0.0;                 // sum over continuation tokens
  bool greedy = true;                   // every continuation token was the argmax
  std::vector<double> token_logprobs;   // one per continuation token
  int64_t n_context_tokens = 0;
  int64_t n_continuation_tokens = 0;
  int64_t n_evaluated = 0;              // tokens actually run (after prefix reuse)
};

struct GenerateOptions {
  int64_t max_tokens = 128;
  std::vector<std::string> stop;  // generation ends before the first occurrence of any
  SamplingParams sampling;
};

struct GenerateResult {
  std::string text;                 // without the stop string
  std::vector<int32_t> tokens;      // generated tokens (the end-of-generation token excluded)
  std::string stop_reason;          // "eog", "stop", "max_tokens", "context"
  int64_t n_prompt_tokens = 0;
  double prefill_seconds = 0.0;     // time to first token
  double decode_seconds = 0.0;      // time of the remaining steps
};

struct ChatMessage {
  std::string role;     // "system", "user", "assistant"
  std::string content;
};

// BitNet b1.58 2B4T chat format: "<|begin_of_text|>System: ...<|eot_id|>User: ...<|eot_id|>Assistant: "
std::string FormatChat2B4T(const std::vector<ChatMessage>& messages, bool add_generation_prompt);

// lm-evaluation-harness's split of a (context, continuation) pair: trailing whitespace of the
// context moves to the continuation; the continuation's tokens are those of the joint encoding
// after the context's token count. Returns {context_tokens (with BOS if asked), continuation}.
std::pair<std::vector<int32_t>, std::vector<int32_t>> EncodePair(const Tokenizer& tok, std::string_view context,
                                                                 std::string_view continuation, bool add_bos);

class Session {
 public:
  Session(std::shared_ptr<const Model> model, const SessionOptions& opts = {});

  const Model& model() const { return *model_; }
  const KernelTable& kernels() const { return kernels_; }
  int n_threads() const { return pool_.size(); }
  int64_t n_ctx() const { return kv_.n_ctx(); }
  int64_t n_past() const { return kv_.n_past(); }
  const std::vector<int32_t>& cached_tokens() const { return cached_; }
  uint64_t kv_bytes() const { return kv_.bytes(); }

  void Reset();
  // Keeps the longest common prefix of the cache and `tokens`, at most `max_keep` tokens;
  // returns how many are kept.
  int64_t ReusePrefix(std::span<const int32_t> tokens, int64_t max_keep);

  // Appends tokens to the context and returns logits (rows, n_vocab) for the appended tokens
  // with index >= first_logit (relative to `tokens`); none when first_logit >= tokens.size().
  std::vector<float> Eval(std::span<const int32_t> tokens, int64_t first_logit);

  ScoreResult ScoreTokens(std::span<const int32_t> context, std::span<const int32_t> continuation);
  ScoreResult Score(std::string_view context, std::string_view continuation, bool add_bos = true);

  GenerateResult GenerateTokens(const std::vector<int32_t>& prompt, const GenerateOptions& opts);
  GenerateResult Generate(std::string_view prompt, const GenerateOptions& opts, bool chat = false);

 private:
  std::shared_ptr<const Model> model_;
  const KernelTable& kernels_;
  ThreadPool pool_;
  KvCache kv_;
  ForwardBuffers buf_;
  std::vector<int32_t> cached_;  // tokens whose keys/values are in the cache
};

}  // namespace bitnet
