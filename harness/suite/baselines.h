#pragma once
// The Table 1 baseline columns (LLaMA 3.2 1B, Gemma-3 1B, Qwen2.5 1.5B, SmolLM2 1.7B, MiniCPM 2B)
// measured on the user's machine without a download: the pieces the suite runner needs to write
// each one's synthetic 16-bit model (one at a time, into the out folder, deleted after its probes
// unless kept), to say why a column was skipped (not enough disk), and to map any model, real or
// synthetic, to the Table 1 column its architecture and weight format fill.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/model/model.h"
#include "engine/model/synthetic.h"
#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

// The Table 1 column `model` fills: "BitNet b1.58 2B" for a bitnet* model of the 2B4T shape, a
// baseline column for a 16-bit (BF16/F16) model with that baseline's configuration (FORMATS.md
// §5; the shapes of make-model), nullopt otherwise (other shapes, quantized baselines).
std::optional<std::string> Table1Column(const Model& model);

// The writer's options for a baseline (the suite file's shape, type and seed; not fsync'd: the
// file is scratch, rewritten when needed). InputError naming `source` for an unknown shape/type.
SyntheticOptions BaselineWriterOptions(const BaselineModelSpec& spec, const std::string& source);

// Bytes of the tensor data of the synthetic model `o` writes (the GGUF header and vocabulary add
// a few MB on top).
uint64_t SyntheticTensorBytes(const SyntheticOptions& o);

// Empty when `dir` (or its nearest existing parent) has room for `bytes` plus 1 GB of headroom;
// else the reason, e.g. "needs 5.5 GB free on /data (3.1 GB free)".
std::string DiskShortfall(const std::filesystem::path& dir, uint64_t bytes);

// OUT/baselines/synthetic-<shape>-<type>-seed<seed>.gguf
std::filesystem::path BaselinePath(const std::filesystem::path& out, const BaselineModelSpec& spec);

}  // namespace bitnet::suite
