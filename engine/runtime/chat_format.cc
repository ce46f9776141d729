#include "engine/runtime/chat_format.h"

#include <cctype>

#include "common/error.h"
#include "engine/model/gguf_keys.h"
#include "engine/model/model.h"
#include "engine/runtime/session.h"

namespace bitnet {

namespace {

constexpr std::pair<ChatFormat, const char*> kNames[] = {
    {ChatFormat::kBitnet, "bitnet"}, {ChatFormat::kLlama3, "llama3"},   {ChatFormat::kChatML, "chatml"},
    {ChatFormat::kGemma, "gemma"},   {ChatFormat::kMiniCPM, "minicpm"}, {ChatFormat::kFalcon3, "falcon3"},
};

// llama.cpp's trim: ASCII whitespace at both ends.
std::string Trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string NameList() {
  std::string s;
  for (const auto& [f, n] : kNames) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

}  // namespace

std::string_view ChatFormatName(ChatFormat f) {
  for (const auto& [g, n] : kNames)
    if (g == f) return n;
  return "?";
}

ChatFormat ParseChatFormat(std::string_view name) {
  for (const auto& [f, n] : kNames)
    if (name == n) return f;
  throw UsageError("unknown chat format '" + std::string(name) + "' (known: " + NameList() + ")");
}

std::optional<ChatFormat> DetectChatFormat(std::string_view t) {
  auto has = [&](std::string_view s) { return t.find(s) != std::string_view::npos; };
  if (has("<|im_start|>")) {
    if (has("<|im_sep|>") || has("<end_of_utterance>")) return std::nullopt;  // Phi-4, SmolVLM: not ChatML
    return ChatFormat::kChatML;
  }
  if (has("[INST]") || (has("<|assistant|>") && has("<|end|>"))) return std::nullopt;  // Mistral/Llama 2, Phi-3
  if (has("<|assistant|>") && has("<|user|>")) return has("</s>") ? std::optional(ChatFormat::kFalcon3) : std::nullopt;
  if (has("<start_of_turn>")) return ChatFormat::kGemma;
  if (has("<|start_header_id|>") && has("<|end_header_id|>")) return ChatFormat::kLlama3;
  if (has("<\xE7\x94\xA8\xE6\x88\xB7>")) return ChatFormat::kMiniCPM;  // "<用户>"
  if (has("<|eot_id|>") && has("Assistant: ")) return ChatFormat::kBitnet;
  return std::nullopt;
}

ChatStyle ModelChatStyle(const Model& model, std::optional<ChatFormat> forced) {
  const gguf::Value* v = model.file().Find(keys::kChatTemplate);
  const std::string tmpl = v && v->type == gguf::ValueType::STRING ? v->s : std::string();
  ChatStyle st;
  if (forced) {
    st.format = *forced;
    st.source = "--chat-format";
  } else if (tmpl.empty()) {
    st.format = ChatFormat::kBitnet;
    st.source = "no tokenizer.chat_template in the model: BitNet b1.58 2B4T format";
  } else if (const auto f = DetectChatFormat(tmpl)) {
    st.format = *f;
    st.source = "tokenizer.chat_template";
  } else {
    throw UsageError(model.path() + ": its tokenizer.chat_template is not one of the known chat formats (" + NameList() +
                     "); pass --chat-format NAME");
  }
  // The bos token when the template writes it (or, without a template, for the 2B4T format).
  const bool template_bos = tmpl.empty() ? st.format == ChatFormat::kBitnet : tmpl.find("bos_token") != std::string::npos;
  if (template_bos) {
    const Tokenizer* tok = model.tokenizer();
    st.bos = tok && tok->bos() >= 0 ? tok->Decode({tok->bos()}) : std::string("<|begin_of_text|>");
  }
  return st;
}

std::string FormatChat(const ChatStyle& style, const std::vector<ChatMessage>& messages, bool add_generation_prompt) {
  std::string out = style.bos;
  switch (style.format) {
    case ChatFormat::kBitnet:
      for (const auto& m : messages) {
        std::string role = m.role;
        if (!role.empty()) role[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(role[0])));
        out += role + ": " + m.content + "<|eot_id|>";
      }
      if (add_generation_prompt) out += "Assistant: ";
      break;
    case ChatFormat::kLlama3:
      for (const auto& m : messages)
        out += "<|start_header_id|>" + m.role + "<|end_header_id|>\n\n" + Trim(m.content) + "<|eot_id|>";
      if (add_generation_prompt) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
      break;
    case ChatFormat::kChatML:
      for (const auto& m : messages) out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
      if (add_generation_prompt) out += "<|im_start|>assistant\n";
      break;
    case ChatFormat::kGemma: {
      std::string system;
      for (const auto& m : messages) {
        if (m.role == "system") {
          system += Trim(m.content);
          continue;
        }
        const std::string role = m.role == "assistant" ? "model" : m.role;
        out += "<start_of_turn>" + role + "\n";
        if (!system.empty() && role != "model") {
          out += system + "\n\n";
          system.clear();
        }
        out += Trim(m.content) + "<end_of_turn>\n";
      }
      if (add_generation_prompt) out += "<start_of_turn>model\n";
      break;
    }
    case ChatFormat::kMiniCPM:
      for (const auto& m : messages)
        out += m.role == "user" ? "<\xE7\x94\xA8\xE6\x88\xB7>" + Trim(m.content) + "<AI>" : Trim(m.content);
      break;
    case ChatFormat::kFalcon3:
      for (const auto& m : messages) out += "<|" + m.role + "|>\n" + m.content + "\n";
      if (add_generation_prompt) out += "<|assistant|>\n";
      break;
  }
  return out;
}

}  // namespace bitnet
