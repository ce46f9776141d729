#pragma once
// Hyper-parameters of a model, read from GGUF keys and validated (every value is untrusted).
#include <cstdint>
#include <string>

namespace bitnet {
namespace gguf { class File; }

enum class Arch {
  kBitnetB158,  // "bitnet-b1.58": BitNet b1.58 2B4T as bitnet.cpp writes it
  kBitnet25,    // "bitnet-25": older name for the same graph
};

struct ModelConfig {
  Arch arch = Arch::kBitnetB158;
  std::string arch_name;      // the general.architecture string
  std::string name;           // general.name (may be empty)
  int64_t n_vocab = 0;
  int64_t n_ctx_train = 0;
  int64_t n_embd = 0;         // hidden size
  int64_t n_layer = 0;
  int64_t n_ff = 0;           // FFN inner size
  int64_t n_head = 0;
  int64_t n_head_kv = 0;
  int64_t head_dim = 0;       // n_embd / n_head
  int64_t n_rot = 0;          // rotary dims (= head_dim for 2B4T)
  float rms_eps = 1e-5f;
  float rope_theta = 500000.0f;

  int64_t kv_dim() const { return n_head_kv * head_dim; }

  // Reads `A.*` keys (A = general.architecture); throws FormatError naming the key.
  static ModelConfig FromGguf(const gguf::File& file);
  // Checks ranges and relations (n_embd = n_head * head_dim, GQA divides, ...).
  void Validate(const std::string& file) const;
};

// Architecture strings this engine runs, and their graph.
bool ParseArch(const std::string& name, Arch* out);

}  // namespace bitnet
