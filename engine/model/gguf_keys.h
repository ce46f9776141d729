#pragma once
// GGUF key names in one place (the `%s` is the architecture string).
namespace bitnet::keys {

inline constexpr const char* kArchitecture = "general.architecture";
inline constexpr const char* kName = "general.name";
inline constexpr const char* kFileType = "general.file_type";
inline constexpr const char* kVocabSize = "%s.vocab_size";
inline constexpr const char* kContextLength = "%s.context_length";
inline constexpr const char* kEmbeddingLength = "%s.embedding_length";
inline constexpr const char* kBlockCount = "%s.block_count";
inline constexpr const char* kFeedForwardLength = "%s.feed_forward_length";
inline constexpr const char* kRopeDimensionCount = "%s.rope.dimension_count";
inline constexpr const char* kHeadCount = "%s.attention.head_count";
inline constexpr const char* kHeadCountKv = "%s.attention.head_count_kv";
inline constexpr const char* kRmsEps = "%s.attention.layer_norm_rms_epsilon";
inline constexpr const char* kRopeFreqBase = "%s.rope.freq_base";
inline constexpr const char* kTokenizerModel = "tokenizer.ggml.model";
inline constexpr const char* kTokenizerTokens = "tokenizer.ggml.tokens";
inline constexpr const char* kTokenizerPre = "tokenizer.ggml.pre";
inline constexpr const char* kChatTemplate = "tokenizer.chat_template";

}  // namespace bitnet::keys
