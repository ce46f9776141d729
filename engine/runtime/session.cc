#include "engine/runtime/session.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "engine/runtime/chat_format.h"

namespace bitnet {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

int ResolveThreads(int n) {
  if (n > 0) return n;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

int64_t ResolveContext(const ModelConfig& c, int64_t n_ctx) {
  if (n_ctx > 0) return n_ctx;
  return std::min<int64_t>(c.n_ctx_train, 4096);
}

bool IsPySpace(unsigned char ch) {  // str.isspace() for the ASCII range and NBSP-free text
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' ||
         (ch >= 0x1c && ch <= 0x1f);
}

}  // namespace

std::string FormatChat2B4T(const std::vector<ChatMessage>& messages, bool add_generation_prompt) {
  return FormatChat(ChatStyle{ChatFormat::kBitnet, "<|begin_of_text|>", "2B4T"}, messages, add_generation_prompt);
}

std::pair<std::vector<int32_t>, std::vector<int32_t>> EncodePair(const Tokenizer& tok, std::string_view context,
                                                                 std::string_view continuation, bool add_bos) {
  size_t end = context.size();
  while (end > 0 && IsPySpace(static_cast<unsigned char>(context[end - 1]))) --end;
  std::string ctx(context.substr(0, end));
  std::string cont = std::string(context.substr(end)) + std::string(continuation);
  std::vector<int32_t> whole = tok.Encode(ctx + cont, /*add_bos=*/false, /*parse_special=*/false);
  std::vector<int32_t> ctx_enc = tok.Encode(ctx, /*add_bos=*/false, /*parse_special=*/false);
  std::vector<int32_t> cont_enc(whole.begin() + static_cast<std::ptrdiff_t>(std::min(ctx_enc.size(), whole.size())),
                                whole.end());
  if (add_bos || ctx_enc.empty()) ctx_enc.insert(ctx_enc.begin(), add_bos ? tok.bos() : tok.eos());
  return {ctx_enc, cont_enc};
}

Session::Session(std::shared_ptr<const Model> model, const SessionOptions& opts)
    : model_(std::move(model)),
      kernels_(SelectKernels(opts.kernel)),
      pool_(ResolveThreads(opts.n_threads)),
      kv_(model_->config().n_layer, ResolveContext(model_->config(), opts.n_ctx), model_->config().kv_dim()) {
  if (opts.n_batch <= 0) throw UsageError("the batch size must be positive");
  buf_.Allocate(model_->config(), std::min(opts.n_batch, kv_.n_ctx()), kv_.n_ctx(), pool_.size());
}

void Session::Reset() {
  kv_.Truncate(0);
  cached_.clear();
}

int64_t Session::ReusePrefix(std::span<const int32_t> tokens, int64_t max_keep) {
  int64_t keep = 0;
  const int64_t limit = std::min<int64_t>({static_cast<int64_t>(cached_.size()),
                                           static_cast<int64_t>(tokens.size()), max_keep});
  while (keep < limit && cached_[static_cast<size_t>(keep)] == tokens[static_cast<size_t>(keep)]) ++keep;
  kv_.Truncate(keep);
  cached_.resize(static_cast<size_t>(keep));
  return keep;
}

std::vector<float> Session::Eval(std::span<const int32_t> tokens, int64_t first_logit) {
  const int64_t V = model_->config().n_vocab;
  const auto n = static_cast<int64_t>(tokens.size());
  const int64_t n_rows = std::max<int64_t>(0, n - std::max<int64_t>(first_logit, 0));
  std::vector<float> logits(static_cast<size_t>(n_rows * V));
  std::vector<int64_t> rows;
  int64_t out_row = 0;
  for (int64_t start = 0; start < n; start += buf_.n_batch) {
    const int64_t len = std::min(buf_.n_batch, n - start);
    rows.clear();
    for (int64_t i = start; i < start + len; ++i)
      if (i >= first_logit) rows.push_back(i - start);
    auto chunk = tokens.subspan(static_cast<size_t>(start), static_cast<size_t>(len));
    Forward(*model_, kernels_, pool_, kv_, buf_, chunk, rows,
                      logits.data() + out_row * V);
    cached_.insert(cached_.end(), chunk.begin(), chunk.end());
    out_row += static_cast<int64_t>(rows.size());
  }
  return logits;
}

ScoreResult Session::ScoreTokens(std::span<const int32_t> context, std::span<const int32_t> continuation) {
  if (context.empty()) throw UsageError("Score needs at least one context token (e.g. BOS)");
  ScoreResult r;
  r.n_context_tokens = static_cast<int64_t>(context.size());
  r.n_continuation_tokens = static_cast<int64_t>(continuation.size());
  if (continuation.empty()) return r;
  // The model reads context + continuation[:-1]; logits at the last context position onwards.
  std::vector<int32_t> all(context.begin(), context.end());
  all.insert(all.end(), continuation.begin(), continuation.end() - 1);
  const auto ctx_len = static_cast<int64_t>(context.size());
  const int64_t kept = ReusePrefix(all, ctx_len - 1);
  std::span<const int32_t> todo(all.data() + kept, all.size() - static_cast<size_t>(kept));
  r.n_evaluated = static_cast<int64_t>(todo.size());
  std::vector<float> logits = Eval(todo, ctx_len - 1 - kept);
  const int64_t V = model_->config().n_vocab;
  for (size_t i = 0; i < continuation.size(); ++i) {
    const float* row = logits.data() + static_cast<int64_t>(i) * V;
    const double lp = LogProb(row, V, continuation[i]);
    r.token_logprobs.push_back(lp);
    r.logprob += lp;
    if (Argmax(row, V) != continuation[i]) r.greedy = false;
  }
  return r;
}

ScoreResult Session::Score(std::string_view context, std::string_view continuation, bool add_bos) {
  auto [ctx, cont] = EncodePair(model_->RequireTokenizer(), context, continuation, add_bos);
  return ScoreTokens(ctx, cont);
}

GenerateResult Session::GenerateTokens(const std::vector<int32_t>& prompt, const GenerateOptions& opts) {
  if (prompt.empty()) throw UsageError("Generate needs at least one prompt token");
  GenerateResult r;
  r.n_prompt_tokens = static_cast<int64_t>(prompt.size());
  const Tokenizer* tok = model_->tokenizer();
  const int64_t V = model_->config().n_vocab;
  Sampler sampler(opts.sampling);

  const auto t0 = Clock::now();
  const int64_t kept = ReusePrefix(prompt, static_cast<int64_t>(prompt.size()) - 1);
  std::vector<float> logits =
      Eval(std::span<const int32_t>(prompt).subspan(static_cast<size_t>(kept)),
           static_cast<int64_t>(prompt.size()) - kept - 1);
  const auto t1 = Clock::now();
  r.prefill_seconds = Seconds(t0, t1);
  r.stop_reason = "max_tokens";
  for (int64_t step = 0; step < opts.max_tokens; ++step) {
    const int32_t next = sampler.Sample(logits.data(), V);
    if (tok && tok->IsEog(next)) {
      r.stop_reason = "eog";
      break;
    }
    r.tokens.push_back(next);
    if (tok) {
      r.text += tok->TokenBytes(next);
      size_t cut = std::string::npos;
      for (const auto& s : opts.stop)
        if (!s.empty()) cut = std::min(cut, r.text.find(s));
      if (cut != std::string::npos) {
        r.text.resize(cut);
        r.stop_reason = "stop";
        break;
      }
    }
    if (step + 1 == opts.max_tokens) break;
    if (kv_.n_past() >= kv_.n_ctx()) {
      r.stop_reason = "context";
      break;
    }
    const int32_t one[1] = {next};
    logits = Eval(one, 0);
  }
  r.decode_seconds = Seconds(t1, Clock::now());
  return r;
}

GenerateResult Session::Generate(std::string_view prompt, const GenerateOptions& opts, bool chat) {
  const Tokenizer& tok = model_->RequireTokenizer();
  std::vector<int32_t> ids;
  if (chat) {
    ids = tok.Encode(FormatChat(ModelChatStyle(*model_), {{"user", std::string(prompt)}}, true), false, /*parse_special=*/true);
  } else {
    ids = tok.Encode(prompt, tok.add_bos(), /*parse_special=*/false);
  }
  return GenerateTokens(ids, opts);
}

}  // namespace bitnet
