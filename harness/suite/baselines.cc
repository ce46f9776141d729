#include "harness/suite/baselines.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include "common/error.h"
#include "engine/model/weights.h"

namespace bitnet::suite {

namespace fs = std::filesystem;

namespace {

struct ColumnShape {
  const char* shape;
  const char* column;
};

// Table 1's baseline columns and the make-model shapes with their configurations.
constexpr ColumnShape kBaselineColumns[] = {
    {"llama3.2-1b", "LLaMA 3.2 1B"}, {"gemma3-1b", "Gemma-3 1B"},     {"qwen2.5-1.5b", "Qwen2.5 1.5B"},
    {"smollm2-1.7b", "SmolLM2 1.7B"}, {"minicpm-2b", "MiniCPM 2B"},
};

bool SameDims(const ModelConfig& c, const SyntheticShape& s) {
  return c.n_vocab == s.n_vocab && c.n_embd == s.n_embd && c.n_layer == s.n_layer &&
         c.n_ff == s.n_ff && c.n_head == s.n_head && c.n_head_kv == s.n_head_kv && c.head_dim == s.HeadDim();
}

// Every projection of the model is of a type accepted by `ok`.
template <typename Pred>
bool AllProjections(const Model& m, Pred ok) {
  if (m.weights().layers.empty()) return false;
  for (const auto& l : m.weights().layers)
    for (const Linear* p : {&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down})
      if (!ok(p->type)) return false;
  return true;
}

std::string Gb(uint64_t bytes) { return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9); }

}  // namespace

std::optional<std::string> Table1Column(const Model& model) {
  const ModelConfig& c = model.config();
  if (c.arch_name.rfind("bitnet", 0) == 0 && SameDims(c, ShapeByName("2b4t"))) return "BitNet b1.58 2B";
  const bool sixteen_bit =
      AllProjections(model, [](QuantType t) { return t == QuantType::BF16 || t == QuantType::F16; });
  if (!sixteen_bit) return std::nullopt;
  for (const ColumnShape& b : kBaselineColumns)
    if (const SyntheticShape s = ShapeByName(b.shape); c.arch_name == s.arch && SameDims(c, s))
      return std::string(b.column);
  return std::nullopt;
}

SyntheticOptions BaselineWriterOptions(const BaselineModelSpec& spec, const std::string& source) {
  SyntheticOptions o;
  try {
    o.shape = ShapeByName(spec.shape);
  } catch (const UsageError& e) {
    throw InputError(source, "/baselines/models (" + spec.name + ")/shape", e.what());
  }
  const auto type = QuantTypeFromName(spec.type);
  if (!type || !IsProjectionType(*type))
    throw InputError(source, "/baselines/models (" + spec.name + ")/type",
                     fmt::format("'{}' is not a projection type make-model writes", spec.type));
  o.type = *type;
  o.seed = spec.seed;
  o.sync = false;
  return o;
}

uint64_t SyntheticTensorBytes(const SyntheticOptions& o) {
  const SyntheticShape& s = o.shape;
  const QuantType embd = o.embedding_type ? *o.embedding_type : (o.type == QuantType::BF16 ? QuantType::BF16 : QuantType::F16);
  auto bytes = [](QuantType t, int64_t n) { return TensorBytes(t, static_cast<uint64_t>(n)).value_or(0); };
  const int64_t E = s.n_embd, F = s.n_ff, QD = s.n_head * s.HeadDim(), KV = s.n_head_kv * s.HeadDim();
  const uint64_t layer = bytes(o.type, E * QD) * 2 + bytes(o.type, E * KV) * 2 + bytes(o.type, E * F) * 3;
  // Norms and biases: a few f32 vectors of at most n_ff per layer.
  const uint64_t small = static_cast<uint64_t>(s.n_layer) * static_cast<uint64_t>(8 * std::max(E, F)) * 4;
  return static_cast<uint64_t>(s.n_layer) * layer + bytes(embd, s.n_vocab * E) * (s.tied ? 1 : 2) + small;
}

std::string DiskShortfall(const fs::path& dir, uint64_t bytes) {
  fs::path probe = fs::absolute(dir);
  std::error_code ec;
  while (!fs::exists(probe, ec) && probe.has_parent_path() && probe != probe.parent_path()) probe = probe.parent_path();
  struct statvfs st {};
  if (::statvfs(probe.c_str(), &st) != 0)
    return fmt::format("cannot read the free space of {}", probe.string());
  const uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
  constexpr uint64_t kHeadroom = 1000ull * 1000 * 1000;
  if (free_bytes >= bytes + kHeadroom) return "";
  return fmt::format("needs {} free on {} for its synthetic model plus 1 GB of headroom ({} free)", Gb(bytes),
                     probe.string(), Gb(free_bytes));
}

fs::path BaselinePath(const fs::path& out, const BaselineModelSpec& spec) {
  return out / "baselines" / fmt::format("synthetic-{}-{}-seed{}.gguf", spec.shape, spec.type, spec.seed);
}

}  // namespace bitnet::suite
