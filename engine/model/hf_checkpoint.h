#pragma once
// Hugging Face checkpoints of BitNet b1.58 2B4T, read straight from their safetensors
// (FORMATS.md §3) and turned into the engine's bitnet-b1.58 graph in memory:
//  - microsoft/bitnet-b1.58-2B-4T: each projection `weight` is uint8 [out/4, in] of packed
//    2-bit codes (value j of a byte is (byte >> 2j) & 3, minus 1, for output row j*(out/4) + r),
//    with a `weight_scale` s; transformers divides the outputs by s, so the per-tensor scale is 1/s;
//  - microsoft/bitnet-b1.58-2B-4T-bf16: float master weights, ternarized at load with absmean
//    (s = 1/max(mean|W|, 1e-5), W_q = clamp(round(W s), -1, 1), scale 1/s), as transformers'
//    BitNet quantizer does.
// Projections become I2_S; norms F32; the embedding keeps its dtype (BF16/F16/F32); the head is
// tied. config.json is read and validated (model_type "bitnet", hidden_act "relu2", tied
// embeddings, quantization_config.quant_method "bitnet" for the packed form). Both
// model.safetensors and sharded checkpoints (model.safetensors.index.json) are read. The tokenizer
// comes from tokenizer.json (+ tokenizer_config.json) beside them (engine/tokenizer/
// hf_tokenizer_json.h); without one the model has no tokenizer and only token ids work.
#include <cstdint>
#include <string>
#include <vector>

namespace bitnet {

// True if `path` is a directory holding a config.json.
bool IsHfCheckpointDir(const std::string& path);

// The checkpoint as the bytes of an equivalent GGUF file. Throws FormatError naming config.json
// and the JSON path, or the safetensors file and tensor, for anything wrong.
std::vector<uint8_t> HfBitnetToGguf(const std::string& dir);

// The absmean ternarization of n weights: writes codes -1/0/+1 times the returned scale
// (mean |W| clamped at 1e-5, i.e. 1/s) into out.
float TernarizeAbsmean(const float* w, int64_t n, float* out);

}  // namespace bitnet
