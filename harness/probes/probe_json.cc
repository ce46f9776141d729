#include "harness/probes/probe_json.h"

#include <numeric>

namespace bitnet::probes {

using nlohmann::json;

json PaperMemoryJson(const PaperMemoryRow& r) {
  return {{"linear_params", r.linear_params},
          {"bits_per_weight", r.bits_per_weight},
          {"gb", r.paper_gb},
          {"exact_gb", r.exact_gb},
          {"printed", r.printed}};
}

json LoadedMemoryJson(const LoadedMemory& m) {
  return {{"projection_bytes", m.projection_bytes}, {"embedding_bytes", m.embedding_bytes},
          {"head_bytes", m.head_bytes},             {"norm_bytes", m.norm_bytes},
          {"weight_bytes", m.weight_bytes()},       {"kv_cache_bytes", m.kv_cache_bytes},
          {"kv_ctx", m.kv_ctx},                     {"total_bytes", m.total_bytes()},
          {"file_bytes", m.file_bytes}};
}

json ResidentMemoryJson(const ResidentMemory& m) {
  return {{"ok", m.ok},
          {"peak_bytes", m.ok ? json(m.peak_bytes) : json()},
          {"current_bytes", m.ok ? json(m.current_bytes) : json()},
          {"error", m.ok ? json() : json(m.error)}};
}

json MemoryJson(const PaperMemoryRow& row, const LoadedMemory& loaded, const ResidentMemory& resident) {
  return {{"paper_row", PaperMemoryJson(row)},
          {"loaded", LoadedMemoryJson(loaded)},
          {"resident", ResidentMemoryJson(resident)}};
}

json MillisecondStats(const std::vector<double>& seconds) {
  if (seconds.empty()) return {{"mean", nullptr}, {"p50", nullptr}, {"p90", nullptr}};
  const double mean = std::accumulate(seconds.begin(), seconds.end(), 0.0) / static_cast<double>(seconds.size());
  return {{"mean", mean * 1e3}, {"p50", Percentile(seconds, 50) * 1e3}, {"p90", Percentile(seconds, 90) * 1e3}};
}

json LatencyJson(const LatencyResult& r, int warmup) {
  const double ttft = r.ttft_mean;
  return {{"threads", r.n_threads},
          {"kernel", r.kernel},
          {"n_prompt", r.n_prompt},
          {"n_gen", r.n_gen},
          {"repetitions", r.ttft_seconds.size()},
          {"warmup", warmup},
          {"ttft_ms", MillisecondStats(r.ttft_seconds)},
          {"tpot_ms", MillisecondStats(r.token_seconds)},
          {"prefill_tps", ttft > 0 ? json(static_cast<double>(r.n_prompt) / ttft) : json()},
          {"decode_tps", r.tpot_mean > 0 ? json(r.tokens_per_second()) : json()}};
}

namespace {

json ByKind(const ArchShape& arch) {
  json out = json::object();
  if (arch.by_kind.empty()) {
    out[WeightKindName(arch.weights)] = arch.linear_params;
  } else {
    for (const auto& [kind, n] : arch.by_kind) out[WeightKindName(kind)] = n;
  }
  return out;
}

}  // namespace

json EnergyEstimateJson(const ArchShape& arch, const EnergyEstimate& e, ProcessNode node) {
  return {{"joules", e.joules},
          {"joules_per_token", e.joules_per_token()},
          {"sequence_tokens", e.seq_len},
          {"node_nm", node == ProcessNode::k7nm ? 7 : 45},
          {"linear_joules", e.linear_joules},
          {"attention_joules", e.attention_joules},
          {"linear_params", arch.linear_params},
          {"weights", WeightKindName(arch.weights)},
          {"weights_by_kind", ByKind(arch)},
          {"e_linear_pj", e.e_linear_pj},
          {"method", "BitNet 2B4T report §2 (REFERENCE.md §2): sequence_tokens × (linear MACs × e_linear + "
                     "attention MACs × e_fp16); e_linear by weight format: INT8 add for ternary and binary weights, "
                     "INT8 mul+add for 8/6/4-bit integer blocks, FP16 add+mul for 16-bit floats, FP32 add+mul for "
                     "32-bit; block scales left out"}};
}

json EnergyMeasuredJson(const EnergyPerToken& e) {
  json j = {{"source", e.source}, {"available", e.available}, {"reason", e.available ? json() : json(e.reason)}};
  const bool ok = e.available && e.reading.ok;
  j["joules"] = ok ? json(e.joules) : json();
  j["joules_per_token"] = ok && e.tokens > 0 ? json(e.joules_per_token) : json();
  j["watts"] = ok && e.reading.seconds > 0 ? json(e.watts) : json();
  j["tokens"] = e.tokens > 0 ? json(e.tokens) : json();
  j["seconds"] = ok ? json(e.reading.seconds) : json();
  json domains = json::array();
  for (const auto& d : e.reading.domains) domains.push_back({{"name", d.name}, {"kind", d.kind}, {"joules", d.joules}});
  j["domains"] = domains;
  j["notes"] = e.reading.notes;
  return j;
}

json EnergyUnavailableJson(const std::string& source, const std::string& reason) {
  EnergyPerToken e;
  e.source = source;
  e.available = false;
  e.reason = reason;
  return EnergyMeasuredJson(e);
}

}  // namespace bitnet::probes
