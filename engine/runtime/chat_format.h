#pragma once
// Chat formats of the models bitnet-eval compares, picked from the model's tokenizer.chat_template
// the way llama.cpp does (llama_chat_apply_template: the template is recognised by distinctive
// text and applied by hand, no Jinja), so `--chat` prompts are what llama.cpp / bitnet.cpp give:
//   bitnet   BitNet b1.58 2B4T  "<|begin_of_text|>User: q<|eot_id|>Assistant: "
//   llama3   LLaMA 3.x          "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nq<|eot_id|>"
//                                "<|start_header_id|>assistant<|end_header_id|>\n\n"
//   chatml   Qwen2.5, SmolLM2   "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n"
//   gemma    Gemma 3            "<bos><start_of_turn>user\nq<end_of_turn>\n<start_of_turn>model\n"
//                                (a system message is merged into the next user turn)
//   minicpm  MiniCPM            "<用户>q<AI>"
//   falcon3  Falcon3            "<|user|>\nq\n<|assistant|>\n"
// The bos token is written in front when the template itself emits bos_token (LLaMA 3, Gemma,
// 2B4T), since chat prompts are tokenized without an automatic bos, as lm-eval does. Content is
// trimmed where llama.cpp trims it (llama3, gemma, minicpm). Templates' default system prompts
// (Qwen2.5's "You are Qwen...", Llama 3.2's date header) are not added, as in llama.cpp.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bitnet {

class Model;
class Tokenizer;
struct ChatMessage;

enum class ChatFormat { kBitnet, kLlama3, kChatML, kGemma, kMiniCPM, kFalcon3 };

std::string_view ChatFormatName(ChatFormat f);       // "bitnet", "llama3", ...
ChatFormat ParseChatFormat(std::string_view name);   // throws UsageError listing the names

// The format of a template text, or nullopt when none of the families above matches.
std::optional<ChatFormat> DetectChatFormat(std::string_view chat_template);

struct ChatStyle {
  ChatFormat format = ChatFormat::kBitnet;
  std::string bos;     // text put in front of the conversation ("" when the template adds none)
  std::string source;  // where the choice came from, for reports
};

// The model's chat style: `forced` (e.g. --chat-format) wins; else its tokenizer.chat_template;
// a model without one gets the 2B4T format (this project's model). A template of another family
// is a UsageError naming the model and asking for --chat-format.
ChatStyle ModelChatStyle(const Model& model, std::optional<ChatFormat> forced = std::nullopt);

// The conversation as prompt text (tokenize it with parse_special and without an added bos).
std::string FormatChat(const ChatStyle& style, const std::vector<ChatMessage>& messages, bool add_generation_prompt);

}  // namespace bitnet
