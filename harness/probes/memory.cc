#include "harness/probes/memory.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "engine/model/model.h"
#include "engine/runtime/session.h"
#include "harness/probes/energy.h"

namespace bitnet::probes {

double PaperBitsPerWeight(WeightKind kind) {
  switch (kind) {
    case WeightKind::kTernary: return std::log2(3.0);
    case WeightKind::kBinary: return 1.0;
    case WeightKind::kInt8: return 8.0;
    case WeightKind::kInt6: return 6.0;
    case WeightKind::kInt4: return 4.0;
    case WeightKind::kFp32: return 32.0;
    case WeightKind::kBf16: break;
  }
  return 16.0;
}

namespace {

std::string PrintedGb(double gb) {
  std::string s = fmt::format("{:.1f}", gb);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "GB";
}

}  // namespace

PaperMemoryRow PaperMemory(int64_t linear_params, WeightKind kind) {
  PaperMemoryRow r;
  r.linear_params = linear_params;
  r.bits_per_weight = PaperBitsPerWeight(kind);
  const double billions = static_cast<double>(linear_params) / 1e9;
  r.exact_gb = billions * r.bits_per_weight / 8.0;
  const double rounded_billions = std::round(billions * 10.0) / 10.0;
  r.paper_gb = std::round(rounded_billions * r.bits_per_weight / 8.0 * 10.0) / 10.0;
  r.printed = PrintedGb(r.paper_gb);
  return r;
}

PaperMemoryRow PaperMemory(const ArchShape& arch) {
  if (arch.by_kind.empty()) return PaperMemory(arch.linear_params, arch.weights);
  PaperMemoryRow r;
  r.linear_params = arch.linear_params;
  double bits = 0.0;
  for (const auto& [kind, n] : arch.by_kind) bits += static_cast<double>(n) * PaperBitsPerWeight(kind);
  r.bits_per_weight = arch.linear_params > 0 ? bits / static_cast<double>(arch.linear_params) : 0.0;
  r.exact_gb = bits / 8.0 / 1e9;
  r.paper_gb = std::round(r.exact_gb * 10.0) / 10.0;
  r.printed = PrintedGb(r.paper_gb);
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
  // Everything the file holds besides the projections, embedding and head, counted from its
  // tensors (norms, biases, q/k norms, post-norms, RoPE factors, separate scales), so a new
  // architecture's extra tensors are never missed.
  std::set<std::string> big = {w.token_embd.name, w.output.name};
  for (const auto& l : w.layers)
    for (const Linear* p : {&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down}) big.insert(p->name);
  for (const gguf::TensorInfo& t : m.file().tensors())
    if (!big.count(t.name)) r.norm_bytes += t.n_bytes;
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
