// The shapes make-model writes: the Table 1 models from their public configurations
// (FORMATS.md §1 and §5; Hugging Face config.json of each), plus small test shapes.
#include <fmt/format.h>

#include <cmath>

#include "common/error.h"
#include "engine/model/synthetic.h"

namespace bitnet {
namespace {

SyntheticShape Arch(SyntheticShape s, const std::string& arch, QuantType native) {
  s.arch = arch;
  s.native_type = native;
  return s;
}

// A test shape of each decoder architecture: rows are multiples of 256 so every block type fits.
SyntheticShape Tiny(const std::string& arch) {
  SyntheticShape s = Arch({"tiny-" + arch, 512, 512, 256, 2, 512, 4, 2, 10000.0f, 1e-5f}, arch, QuantType::F16);
  if (arch == "llama") s.llama3_rope_freqs = true;
  if (arch == "qwen2" || arch == "qwen3") s.rope_theta = 1000000.0f;
  if (arch == "qwen3") {
    s.head_dim = 128;  // q_dim 512 != n_embd, as in Qwen3-0.6B
    s.tied = false;
  }
  if (arch == "gemma3") {
    s.n_layer = 7;  // sliding layers 0-4 and 6, global layer 5
    s.n_head_kv = 1;
    s.head_dim = 128;
    s.sliding_window = 5;
    s.rms_eps = 1e-6f;
  }
  if (arch == "minicpm") {
    s.embedding_scale = 12.0f;
    s.residual_scale = static_cast<float>(1.4 / std::sqrt(2.0));
    s.logit_scale = 2.0f;
  }
  if (arch == "bitnet") s.tied = false;
  return s;
}

}  // namespace

int64_t SyntheticShape::LinearParams() const {
  const int64_t qd = n_head * HeadDim(), kv = n_head_kv * HeadDim();
  return n_layer * (2 * n_embd * qd + 2 * n_embd * kv + 3 * n_embd * n_ff);
}

std::vector<std::string> ShapeNames() {
  return {"2b4t",        "llama3.2-1b",  "gemma3-1b",  "qwen2.5-1.5b", "smollm2-1.7b", "minicpm-2b",
          "bonsai-8b",   "bitnet-0.7b",  "small",      "tiny",         "tiny-llama",   "tiny-qwen2",
          "tiny-qwen3",  "tiny-gemma3",  "tiny-minicpm", "tiny-bitnet"};
}

SyntheticShape ShapeByName(const std::string& name) {
  if (name == "2b4t") return {"2b4t", 128256, 4096, 2560, 30, 6912, 20, 5};
  if (name == "small") return {"small", 4096, 2048, 512, 4, 1536, 8, 2};
  if (name == "tiny") return {"tiny", 1024, 1024, 256, 2, 512, 4, 1};
  if (name == "llama3.2-1b") {
    SyntheticShape s = Arch({name, 128256, 131072, 2048, 16, 8192, 32, 8, 500000.0f, 1e-5f}, "llama", QuantType::BF16);
    s.llama3_rope_freqs = true;
    return s;
  }
  if (name == "gemma3-1b") {
    SyntheticShape s = Arch({name, 262144, 32768, 1152, 26, 6912, 4, 1, 1000000.0f, 1e-6f}, "gemma3", QuantType::BF16);
    s.head_dim = 256;
    s.sliding_window = 512;
    return s;
  }
  if (name == "qwen2.5-1.5b")
    return Arch({name, 151936, 32768, 1536, 28, 8960, 12, 2, 1000000.0f, 1e-6f}, "qwen2", QuantType::BF16);
  if (name == "smollm2-1.7b")
    return Arch({name, 49152, 8192, 2048, 24, 8192, 32, 32, 130000.0f, 1e-5f}, "llama", QuantType::BF16);
  if (name == "minicpm-2b") {
    SyntheticShape s = Arch({name, 122753, 4096, 2304, 40, 5760, 36, 36, 10000.0f, 1e-5f}, "minicpm", QuantType::BF16);
    s.embedding_scale = 12.0f;
    s.residual_scale = static_cast<float>(1.4 / std::sqrt(40.0));
    s.logit_scale = 2304.0f / 256.0f;
    return s;
  }
  if (name == "bonsai-8b") {
    SyntheticShape s = Arch({name, 151936, 40960, 4096, 36, 12288, 32, 8, 1000000.0f, 1e-6f}, "qwen3",
                            QuantType::Q1_0_g128);
    s.head_dim = 128;
    s.tied = false;
    return s;
  }
  if (name == "bitnet-0.7b") {
    SyntheticShape s = Arch({name, 32002, 2048, 1536, 24, 4096, 16, 16, 10000.0f, 1e-5f}, "bitnet", QuantType::I2_S);
    s.tied = false;
    return s;
  }
  for (const char* a : {"llama", "qwen2", "qwen3", "gemma3", "minicpm", "bitnet"})
    if (name == std::string("tiny-") + a) return Tiny(a);
  std::string known;
  for (const auto& n : ShapeNames()) known += (known.empty() ? "" : ", ") + n;
  throw UsageError(fmt::format("unknown shape '{}' (known: {})", name, known));
}

}  // namespace bitnet
