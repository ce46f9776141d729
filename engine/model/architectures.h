#pragma once
// The architectures this engine runs, by their general.architecture string, each with the
// function that reads its own GGUF keys and sets its graph options (ModelConfig's RopeStyle,
// FfnActivation, norms, biases, scales, sliding window). One small file per architecture
// (arch_*.cc); the common keys are read first by ModelConfig::FromGguf.
#include <string>
#include <vector>

#include "engine/model/config.h"

namespace bitnet {
namespace gguf { class File; }

struct ArchEntry {
  const char* name;  // general.architecture
  Arch arch;
  const char* models;  // what it is for, in messages
  // Reads the architecture's own keys into `c` (common keys already read); throws FormatError
  // naming the key.
  void (*configure)(const gguf::File& f, ModelConfig& c);
};

const std::vector<ArchEntry>& Architectures();
const ArchEntry* FindArchitecture(const std::string& name);
std::string ArchitectureNames();  // "bitnet-b1.58, bitnet-25, ..." for messages

void ConfigureBitnetB158(const gguf::File& f, ModelConfig& c);  // arch_bitnet_b158.cc
void ConfigureBitnet(const gguf::File& f, ModelConfig& c);      // arch_bitnet.cc
void ConfigureLlama(const gguf::File& f, ModelConfig& c);       // arch_llama.cc
void ConfigureQwen2(const gguf::File& f, ModelConfig& c);       // arch_qwen2.cc
void ConfigureQwen3(const gguf::File& f, ModelConfig& c);       // arch_qwen3.cc
void ConfigureGemma3(const gguf::File& f, ModelConfig& c);      // arch_gemma3.cc
void ConfigureMiniCpm(const gguf::File& f, ModelConfig& c);     // arch_minicpm.cc

// Key helpers for the Configure functions: `{}` in the pattern is the architecture string.
std::string ArchKey(const char* pattern, const std::string& arch);
// A float key within [lo, hi] (finite); FormatError naming the key otherwise.
float ReadFloatKey(const gguf::File& f, const std::string& key, double lo, double hi);
// A positive integer key at most `limit`.
int64_t ReadPositiveKey(const gguf::File& f, const std::string& key, int64_t limit);
// Refuses a key the graph does not implement when it is present with a value other than `neutral`.
void RefuseFloatKey(const gguf::File& f, const std::string& key, double neutral, const char* why);

}  // namespace bitnet
