#include "harness/suite/efficiency.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <string_view>

#include "evals/core/sha256.h"
#include "harness/bench.h"
#include "harness/probes/energy.h"
#include "harness/probes/energy_estimate.h"
#include "harness/probes/latency.h"
#include "harness/probes/memory.h"
#include "harness/probes/probe_json.h"

namespace bitnet::suite {

using nlohmann::json;

namespace {

constexpr std::string_view kFingerprintText =
    "The BitNet b1.58 model uses ternary weights and eight-bit activations. Question: what is two "
    "plus three? Answer: five. The quick brown fox jumps over the lazy dog near the river bank.";

std::vector<int32_t> FingerprintPrompt(const Model& model, int64_t n) {
  std::vector<int32_t> tokens;
  if (const Tokenizer* tok = model.tokenizer()) {
    tokens = tok->Encode(kFingerprintText, tok->add_bos());
    const std::vector<int32_t> more = tok->Encode(kFingerprintText, false);
    while (static_cast<int64_t>(tokens.size()) < n && !more.empty()) tokens.insert(tokens.end(), more.begin(), more.end());
  } else {
    for (int64_t i = 0; i < n; ++i) tokens.push_back(static_cast<int32_t>((i * 7919 + 13) % model.config().n_vocab));
  }
  tokens.resize(static_cast<size_t>(n));
  return tokens;
}

SessionOptions WithThreadsAndCtx(const SessionOptions& base, int threads, int64_t n_ctx) {
  SessionOptions o = base;
  o.n_threads = threads;
  o.n_ctx = n_ctx;
  return o;
}

}  // namespace

json RunLogitsFingerprint(const std::shared_ptr<const Model>& model, const SessionOptions& base,
                          const FingerprintSpec& spec) {
  static_assert(std::endian::native == std::endian::little, "the fingerprint hashes little-endian floats");
  const int64_t n = std::min<int64_t>(spec.prompt_tokens, model->config().n_ctx_train);
  Session s(model, WithThreadsAndCtx(base, base.n_threads, n));
  const std::vector<int32_t> prompt = FingerprintPrompt(*model, n);
  const std::vector<float> logits = s.Eval(prompt, 0);
  const std::string hash = evals::Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(logits.data()), logits.size() * sizeof(float)));
  return {{"prompt_tokens", static_cast<int64_t>(prompt.size())},
          {"rows", static_cast<int64_t>(logits.size()) / model->config().n_vocab},
          {"n_vocab", model->config().n_vocab},
          {"sha256", hash},
          {"prompt_token_ids_sha256", evals::Sha256Hex(std::string_view(
                                          reinterpret_cast<const char*>(prompt.data()), prompt.size() * sizeof(int32_t)))},
          {"kernel", s.kernels().name},
          {"threads", s.n_threads()}};
}

json RunLatencyRow(const std::shared_ptr<const Model>& model, const SessionOptions& base, int threads,
                   const LatencySpec& spec) {
  probes::LatencyOptions o;
  o.n_prompt = spec.n_prompt;
  o.n_gen = spec.n_gen;
  o.warmup = spec.warmup;
  o.repetitions = spec.repetitions;
  const int64_t n_ctx = std::min<int64_t>(spec.n_prompt + spec.n_gen, model->config().n_ctx_train);
  Session s(model, WithThreadsAndCtx(base, threads, n_ctx));
  return probes::LatencyJson(probes::MeasureLatency(s, o), spec.warmup);
}

json RunEnergyMeasured(const std::shared_ptr<const Model>& model, const SessionOptions& base,
                       const EnergyMeasuredSpec& spec) {
  json out = json::array();
  std::unique_ptr<Session> session;  // created only when a source can measure
  for (auto& src : probes::DefaultEnergySources()) {
    std::string reason;
    if (!src->Available(&reason)) {
      out.push_back(probes::EnergyUnavailableJson(src->name(), reason));
      continue;
    }
    const int64_t n_ctx = std::min<int64_t>(spec.n_prompt + spec.n_gen, model->config().n_ctx_train);
    if (!session) session = std::make_unique<Session>(model, WithThreadsAndCtx(base, base.n_threads, n_ctx));
    probes::LatencyOptions o;  // the timed region: one greedy generation, no warm-up inside
    o.n_prompt = spec.n_prompt;
    o.n_gen = spec.n_gen;
    o.warmup = 0;
    o.repetitions = 1;
    probes::MeasureLatency(*session, o);  // warm-up outside the measured region
    const probes::EnergyPerToken e = probes::MeasureEnergyPerToken(*src, [&]() -> int64_t {
      const probes::LatencyResult r = probes::MeasureLatency(*session, o);
      return r.n_prompt + r.n_gen;
    });
    json row = probes::EnergyMeasuredJson(e);
    row["threads"] = session->n_threads();
    row["region"] = "prefill of n_prompt tokens + n_gen greedy decode steps; tokens = n_prompt + n_gen";
    out.push_back(row);
  }
  return out;
}

json RunEnergyEstimated(const Model& model, const EnergyEstimatedSpec& spec) {
  const probes::ArchShape arch = probes::ArchShapeFromModel(model);
  probes::EnergyEstimateOptions o;
  o.seq_len = spec.sequence_tokens;
  o.node = spec.node_nm == 45 ? probes::ProcessNode::k45nm : probes::ProcessNode::k7nm;
  return probes::EnergyEstimateJson(arch, probes::EstimateEnergy(arch, o), o.node);
}

json RunMemory(const Model& model, const MemorySpec& spec) {
  const probes::ArchShape arch = probes::ArchShapeFromModel(model);
  const int64_t kv_ctx = std::min<int64_t>(spec.kv_ctx, model.config().n_ctx_train);
  return probes::MemoryJson(probes::PaperMemory(arch),
                            probes::LoadedModelMemory(model, kv_ctx), probes::ReadResidentMemory());
}

json RunBenchRows(const std::shared_ptr<const Model>& model, const SessionOptions& base, const BenchSpec& spec) {
  int64_t longest = 8;
  for (int64_t n : spec.n_prompt) longest = std::max(longest, n);
  for (int64_t n : spec.n_gen) longest = std::max(longest, n);
  Session s(model, WithThreadsAndCtx(base, base.n_threads, std::min<int64_t>(longest, model->config().n_ctx_train)));
  BenchOptions o;
  o.n_prompt = spec.n_prompt;
  o.n_gen = spec.n_gen;
  o.repetitions = spec.repetitions;
  return BenchJson(*model, s, RunBench(s, o));
}

bool ResetPeakResident() {
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return ok;
}

}  // namespace bitnet::suite
