#include "harness/probes/memory.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "engine/model/model.h"
#include "engine/runtime/session.h"
#include "harness/probes/energy.h"

namespace bitnet::probes {

double PaperBitsPerWeight(WeightKind kind) { return kind == WeightKind::kTernary ? std::log2(3.0) : 16.0; }

PaperMemoryRow PaperMemory(int64_t linear_params, WeightKind kind) {
  PaperMemoryRow r;
  r.linear_params = linear_params;
  r.bits_per_weight = PaperBitsPerWeight(kind);
  const double billions = static_cast<double>(linear_params) / 1e9;
  r.exact_gb = billions * r.bits_per_weight / 8.0;
  const double rounded_billions = std::round(billions * 10.0) / 10.0;
  r.paper_gb = std::round(rounded_billions * r.bits_per_weight / 8.0 * 10.0) / 10.0;
  std::string s = fmt::format("{:.1f}", r.paper_gb);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  r.printed = s + "GB";
  return r;
}

uint64_t KvCacheBytes(const ModelConfig& c, int64_t n_ctx) {
  if (n_ctx <= 0) return 0;
  return 2ull * static_cast<uint64_t>(c.n_layer) * static_cast<uint64_t>(n_ctx) * static_cast<uint64_t>(c.kv_dim()) *
         sizeof(float);
}

namespace {

LoadedMemory WeightsMemory(const Model& m) {
  LoadedMemory r;
  const ModelWeights& w = m.weights();
  r.projection_bytes = w.ProjectionBytes();
  r.embedding_bytes = w.token_embd.n_bytes;
  r.head_bytes = w.tied_head ? 0 : w.output.n_bytes;
  uint64_t norms = static_cast<uint64_t>(w.output_norm.n);
  for (const auto& l : w.layers)
    norms += static_cast<uint64_t>(l.attn_norm.n + l.attn_sub_norm.n + l.ffn_norm.n + l.ffn_sub_norm.n);
  r.norm_bytes = norms * sizeof(float);
  std::error_code ec;
  const auto size = std::filesystem::file_size(m.path(), ec);
  r.file_bytes = ec ? 0 : size;
  return r;
}

}  // namespace

LoadedMemory LoadedModelMemory(const Model& m, int64_t n_ctx) {
  LoadedMemory r = WeightsMemory(m);
  r.kv_ctx = n_ctx;
  r.kv_cache_bytes = KvCacheBytes(m.config(), n_ctx);
  return r;
}

LoadedMemory LoadedModelMemory(const Model& m, const Session& s) {
  LoadedMemory r = WeightsMemory(m);
  r.kv_ctx = s.n_ctx();
  r.kv_cache_bytes = s.kv_bytes();
  return r;
}

ResidentMemory ParseProcStatus(const std::string& text) {
  ResidentMemory r;
  bool hwm = false, rss = false;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    if (key != "VmHWM" && key != "VmRSS") continue;
    std::string value = Trim(line.substr(colon + 1));
    const size_t space = value.find(' ');
    const std::string unit = space == std::string::npos ? "" : Trim(value.substr(space + 1));
    value = value.substr(0, space);
    uint64_t v = 0;
    if (!ParseU64(value, &v) || (unit != "kB" && !unit.empty())) {
      r.error = "unexpected " + key + " line: '" + line + "'";
      return r;
    }
    const uint64_t bytes = unit == "kB" ? v * 1024 : v;
    if (key == "VmHWM") r.peak_bytes = bytes, hwm = true;
    else r.current_bytes = bytes, rss = true;
  }
  r.ok = hwm && rss;
  if (!r.ok) r.error = std::string("no ") + (!hwm ? "VmHWM" : "VmRSS") + " line in the status text";
  return r;
}

ResidentMemory ReadResidentMemory(const std::string& path) {
  std::string text, error;
  if (!ReadSmallFile(path, &text, &error)) {
    ResidentMemory r;
    r.error = error;
    return r;
  }
  ResidentMemory r = ParseProcStatus(text);
  if (!r.ok) r.error = path + ": " + r.error;
  return r;
}

}  // namespace bitnet::probes
