#include "engine/model/config.h"

#include <fmt/format.h>

#include <cmath>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/model/gguf_keys.h"

namespace bitnet {
namespace {

std::string Key(const char* pattern, const std::string& arch) {
  return fmt::format(fmt::runtime(pattern), arch);
}

// Limits far above any real model, so corrupt values fail here instead of in an allocation.
constexpr int64_t kMaxVocab = 1 << 22;
constexpr int64_t kMaxEmbd = 1 << 16;
constexpr int64_t kMaxLayers = 1024;
constexpr int64_t kMaxFf = 1 << 18;
constexpr int64_t kMaxHeads = 1024;
constexpr int64_t kMaxContext = 1 << 24;

int64_t GetPositive(const gguf::File& f, const std::string& key, int64_t limit) {
  const uint64_t v = f.GetUint(key);
  if (v == 0 || v > static_cast<uint64_t>(limit))
    throw FormatError(f.path(), fmt::format("key '{}'", key),
                      fmt::format("value {} is outside 1..{}", v, limit));
  return static_cast<int64_t>(v);
}

}  // namespace

bool ParseArch(const std::string& name, Arch* out) {
  if (name == "bitnet-b1.58") {
    *out = Arch::kBitnetB158;
    return true;
  }
  if (name == "bitnet-25") {
    *out = Arch::kBitnet25;
    return true;
  }
  return false;
}

ModelConfig ModelConfig::FromGguf(const gguf::File& f) {
  ModelConfig c;
  c.arch_name = f.GetString(keys::kArchitecture);
  if (!ParseArch(c.arch_name, &c.arch))
    throw FormatError(f.path(), fmt::format("key '{}'", keys::kArchitecture),
                      fmt::format("architecture '{}' is not supported (this engine runs "
                                  "bitnet-b1.58 and bitnet-25)",
                                  c.arch_name));
  if (f.Find(keys::kName)) c.name = f.GetString(keys::kName);
  const std::string& a = c.arch_name;
  if (f.Find(Key(keys::kVocabSize, a))) {
    c.n_vocab = GetPositive(f, Key(keys::kVocabSize, a), kMaxVocab);
  } else if (const gguf::Value* toks = f.Find(keys::kTokenizerTokens)) {
    c.n_vocab = static_cast<int64_t>(toks->array_size());
  } else {
    const gguf::TensorInfo* emb = f.FindTensor("token_embd.weight");
    if (emb && emb->dims.size() == 2) c.n_vocab = emb->dims[1];
  }
  c.n_ctx_train = GetPositive(f, Key(keys::kContextLength, a), kMaxContext);
  c.n_embd = GetPositive(f, Key(keys::kEmbeddingLength, a), kMaxEmbd);
  c.n_layer = GetPositive(f, Key(keys::kBlockCount, a), kMaxLayers);
  c.n_ff = GetPositive(f, Key(keys::kFeedForwardLength, a), kMaxFf);
  c.n_head = GetPositive(f, Key(keys::kHeadCount, a), kMaxHeads);
  c.n_head_kv = f.Find(Key(keys::kHeadCountKv, a))
                    ? GetPositive(f, Key(keys::kHeadCountKv, a), kMaxHeads)
                    : c.n_head;
  c.head_dim = c.n_embd / c.n_head;
  c.n_rot = f.Find(Key(keys::kRopeDimensionCount, a))
                ? GetPositive(f, Key(keys::kRopeDimensionCount, a), kMaxEmbd)
                : c.head_dim;
  c.rms_eps = static_cast<float>(f.GetFloat(Key(keys::kRmsEps, a)));
  if (f.Find(Key(keys::kRopeFreqBase, a)))
    c.rope_theta = static_cast<float>(f.GetFloat(Key(keys::kRopeFreqBase, a)));
  c.Validate(f.path());
  return c;
}

void ModelConfig::Validate(const std::string& file) const {
  auto fail = [&](const std::string& key, const std::string& why) {
    throw FormatError(file, fmt::format("key '{}.{}'", arch_name, key), why);
  };
  if (n_vocab <= 0 || n_vocab > kMaxVocab) fail("vocab_size", fmt::format("bad vocabulary size {}", n_vocab));
  if (n_embd % n_head != 0)
    fail("attention.head_count",
         fmt::format("embedding length {} is not a multiple of {} heads", n_embd, n_head));
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
