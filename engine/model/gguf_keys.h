#pragma once
// GGUF key names in one place (the `{}` is the architecture string).
namespace bitnet::keys {

inline constexpr const char* kArchitecture = "general.architecture";
inline constexpr const char* kName = "general.name";
inline constexpr const char* kFileType = "general.file_type";
inline constexpr const char* kVocabSize = "{}.vocab_size";
inline constexpr const char* kContextLength = "{}.context_length";
inline constexpr const char* kEmbeddingLength = "{}.embedding_length";
inline constexpr const char* kBlockCount = "{}.block_count";
inline constexpr const char* kFeedForwardLength = "{}.feed_forward_length";
inline constexpr const char* kRopeDimensionCount = "{}.rope.dimension_count";
inline constexpr const char* kHeadCount = "{}.attention.head_count";
inline constexpr const char* kHeadCountKv = "{}.attention.head_count_kv";
inline constexpr const char* kRmsEps = "{}.attention.layer_norm_rms_epsilon";
inline constexpr const char* kRopeFreqBase = "{}.rope.freq_base";
inline constexpr const char* kKeyLength = "{}.attention.key_length";
inline constexpr const char* kValueLength = "{}.attention.value_length";
inline constexpr const char* kSlidingWindow = "{}.attention.sliding_window";
inline constexpr const char* kRopeScalingType = "{}.rope.scaling.type";
inline constexpr const char* kRopeScalingFactor = "{}.rope.scaling.factor";
inline constexpr const char* kEmbeddingScale = "{}.embedding_scale";
inline constexpr const char* kResidualScale = "{}.residual_scale";
inline constexpr const char* kLogitScale = "{}.logit_scale";
inline constexpr const char* kFinalLogitSoftcapping = "{}.final_logit_softcapping";
inline constexpr const char* kAttnLogitSoftcapping = "{}.attn_logit_softcapping";
inline constexpr const char* kTokenizerModel = "tokenizer.ggml.model";
inline constexpr const char* kTokenizerTokens = "tokenizer.ggml.tokens";
inline constexpr const char* kTokenizerPre = "tokenizer.ggml.pre";
inline constexpr const char* kChatTemplate = "tokenizer.chat_template";

}  // namespace bitnet::keys
