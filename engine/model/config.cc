#include "engine/model/config.h"

#include <fmt/format.h>

#include <cmath>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/model/architectures.h"
#include "engine/model/gguf_keys.h"

namespace bitnet {
namespace {

// Limits far above any real model, so corrupt values fail here instead of in an allocation.
constexpr int64_t kMaxVocab = 1 << 22;
constexpr int64_t kMaxEmbd = 1 << 16;
constexpr int64_t kMaxLayers = 1024;
constexpr int64_t kMaxFf = 1 << 18;
constexpr int64_t kMaxHeads = 1024;
constexpr int64_t kMaxHeadDim = 1024;
constexpr int64_t kMaxContext = 1 << 24;

// Linear RoPE scaling is read; any other scaling type is refused with the key's name.
void ReadRopeScaling(const gguf::File& f, ModelConfig& c) {
  const std::string type_key = ArchKey(keys::kRopeScalingType, c.arch_name);
  const std::string factor_key = ArchKey(keys::kRopeScalingFactor, c.arch_name);
  std::string type = "none";
  if (f.Find(type_key)) type = f.GetString(type_key);
  if (type == "none") return;
  if (type != "linear")
    throw FormatError(f.path(), fmt::format("key '{}'", type_key),
                      fmt::format("RoPE scaling '{}' is not supported (none, linear)", type));
  const float factor = ReadFloatKey(f, factor_key, 1e-3, 1e6);
  c.rope_freq_scale = 1.0f / factor;
}

}  // namespace

std::string ArchKey(const char* pattern, const std::string& arch) {
  return fmt::format(fmt::runtime(pattern), arch);
}

int64_t ReadPositiveKey(const gguf::File& f, const std::string& key, int64_t limit) {
  const uint64_t v = f.GetUint(key);
  if (v == 0 || v > static_cast<uint64_t>(limit))
    throw FormatError(f.path(), fmt::format("key '{}'", key),
                      fmt::format("value {} is outside 1..{}", v, limit));
  return static_cast<int64_t>(v);
}

float ReadFloatKey(const gguf::File& f, const std::string& key, double lo, double hi) {
  const double v = f.GetFloat(key);
  if (!std::isfinite(v) || v < lo || v > hi)
    throw FormatError(f.path(), fmt::format("key '{}'", key), fmt::format("value {} is outside [{}, {}]", v, lo, hi));
  return static_cast<float>(v);
}

void RefuseFloatKey(const gguf::File& f, const std::string& key, double neutral, const char* why) {
  if (!f.Find(key)) return;
  const double v = f.GetFloat(key);
  if (v != neutral)
    throw FormatError(f.path(), fmt::format("key '{}'", key), fmt::format("value {} is not supported: {}", v, why));
}

const std::vector<ArchEntry>& Architectures() {
  static const std::vector<ArchEntry> table = {
      {"bitnet-b1.58", Arch::kBitnetB158, "BitNet b1.58 2B4T (bitnet.cpp)", ConfigureBitnetB158},
      {"bitnet-25", Arch::kBitnet25, "BitNet b1.58 2B4T (older bitnet.cpp name)", ConfigureBitnetB158},
      {"bitnet", Arch::kBitnet, "1bitLLM bitnet_b1_58", ConfigureBitnet},
      {"llama", Arch::kLlama, "LLaMA 3, SmolLM2, Falcon3-1.58bit, Llama3-8B-1.58", ConfigureLlama},
      {"qwen2", Arch::kQwen2, "Qwen2.5", ConfigureQwen2},
      {"qwen3", Arch::kQwen3, "Qwen3, Bonsai", ConfigureQwen3},
      {"gemma3", Arch::kGemma3, "Gemma 3", ConfigureGemma3},
      {"minicpm", Arch::kMiniCpm, "MiniCPM", ConfigureMiniCpm},
  };
  return table;
}

const ArchEntry* FindArchitecture(const std::string& name) {
  for (const ArchEntry& e : Architectures())
    if (name == e.name) return &e;
  return nullptr;
}

std::string ArchitectureNames() {
  std::string out;
  for (const ArchEntry& e : Architectures()) out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out;
}

bool ParseArch(const std::string& name, Arch* out) {
  const ArchEntry* e = FindArchitecture(name);
  if (!e) return false;
  *out = e->arch;
  return true;
}

ModelConfig ModelConfig::FromGguf(const gguf::File& f) {
  ModelConfig c;
  c.arch_name = f.GetString(keys::kArchitecture);
  const ArchEntry* entry = FindArchitecture(c.arch_name);
  if (!entry)
    throw FormatError(f.path(), fmt::format("key '{}'", keys::kArchitecture),
                      fmt::format("architecture '{}' is not supported (this engine runs {})", c.arch_name,
                                  ArchitectureNames()));
  c.arch = entry->arch;
  if (f.Find(keys::kName)) c.name = f.GetString(keys::kName);
  const std::string& a = c.arch_name;
  auto key = [&](const char* pattern) { return ArchKey(pattern, a); };
  if (f.Find(key(keys::kVocabSize))) {
    c.n_vocab = ReadPositiveKey(f, key(keys::kVocabSize), kMaxVocab);
  } else if (const gguf::Value* toks = f.Find(keys::kTokenizerTokens)) {
    c.n_vocab = static_cast<int64_t>(toks->array_size());
  } else {
    const gguf::TensorInfo* emb = f.FindTensor("token_embd.weight");
    if (emb && emb->dims.size() == 2) c.n_vocab = emb->dims[1];
  }
  c.n_ctx_train = ReadPositiveKey(f, key(keys::kContextLength), kMaxContext);
  c.n_embd = ReadPositiveKey(f, key(keys::kEmbeddingLength), kMaxEmbd);
  c.n_layer = ReadPositiveKey(f, key(keys::kBlockCount), kMaxLayers);
  c.n_ff = ReadPositiveKey(f, key(keys::kFeedForwardLength), kMaxFf);
  c.n_head = ReadPositiveKey(f, key(keys::kHeadCount), kMaxHeads);
  c.n_head_kv = f.Find(key(keys::kHeadCountKv)) ? ReadPositiveKey(f, key(keys::kHeadCountKv), kMaxHeads) : c.n_head;
  if (f.Find(key(keys::kKeyLength))) {
    c.head_dim = ReadPositiveKey(f, key(keys::kKeyLength), kMaxHeadDim);
    if (f.Find(key(keys::kValueLength)) && ReadPositiveKey(f, key(keys::kValueLength), kMaxHeadDim) != c.head_dim)
      throw FormatError(f.path(), fmt::format("key '{}'", key(keys::kValueLength)),
                        fmt::format("value head size differs from the key head size {}", c.head_dim));
  } else {
    if (c.n_embd % c.n_head != 0)
      throw FormatError(f.path(), fmt::format("key '{}'", key(keys::kHeadCount)),
                        fmt::format("embedding length {} is not a multiple of {} heads (and no {})", c.n_embd,
                                    c.n_head, key(keys::kKeyLength)));
    c.head_dim = c.n_embd / c.n_head;
  }
  c.n_rot = f.Find(key(keys::kRopeDimensionCount)) ? ReadPositiveKey(f, key(keys::kRopeDimensionCount), kMaxEmbd)
                                                  : c.head_dim;
  c.rms_eps = static_cast<float>(f.GetFloat(key(keys::kRmsEps)));
  if (f.Find(key(keys::kRopeFreqBase))) c.rope_theta = static_cast<float>(f.GetFloat(key(keys::kRopeFreqBase)));
  ReadRopeScaling(f, c);
  entry->configure(f, c);
  c.Validate(f.path());
  return c;
}

void ModelConfig::Validate(const std::string& file) const {
  auto fail = [&](const std::string& key, const std::string& why) {
    throw FormatError(file, fmt::format("key '{}.{}'", arch_name, key), why);
  };
  if (n_vocab <= 0 || n_vocab > kMaxVocab) fail("vocab_size", fmt::format("bad vocabulary size {}", n_vocab));
  if (IsBitnetB158() && n_embd != q_dim())
    fail("attention.head_count",
         fmt::format("embedding length {} is not {} heads x head size {}", n_embd, n_head, head_dim));
  if (n_head % n_head_kv != 0)
    fail("attention.head_count_kv",
         fmt::format("{} heads are not a multiple of {} KV heads", n_head, n_head_kv));
  if (head_dim % 2 != 0) fail("attention.head_count", fmt::format("head size {} is odd", head_dim));
  if (n_rot != head_dim)
    fail("rope.dimension_count",
         fmt::format("rotary dimension {} differs from the head size {} (partial RoPE is not part "
                     "of this architecture)",
                     n_rot, head_dim));
  if (!(rms_eps > 0.0f && rms_eps < 1.0f))
    fail("attention.layer_norm_rms_epsilon", fmt::format("epsilon {} is outside (0, 1)", rms_eps));
  if (!(rope_theta > 1.0f) || !std::isfinite(rope_theta))
    fail("rope.freq_base", fmt::format("RoPE base {} must be a finite number above 1", rope_theta));
}

}  // namespace bitnet
