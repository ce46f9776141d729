// Chat formats (engine/runtime/chat_format.h): each family's text for one conversation (the one
// llama.cpp's chat-template test uses), detection from template text, and the model's choice.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/model/model.h"
#include "engine/model/synthetic.h"
#include "engine/runtime/chat_format.h"
#include "engine/runtime/session.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

const std::vector<ChatMessage> kConversation = {
    {"system", "You are a helpful assistant"}, {"user", "Hello"},
    {"assistant", "Hi there"},                 {"user", "Who are you"},
    {"assistant", "   I am an assistant   "},  {"user", "Another question"},
};

std::string Format(ChatFormat f, const std::string& bos = "") { return FormatChat(ChatStyle{f, bos, ""}, kConversation, true); }

// The tiny synthetic model with `tmpl` as its tokenizer.chat_template ("" removes the key).
std::string TinyWithTemplate(const std::string& tag, const std::string& tmpl) {
  static const std::string base = [] {
    const std::string p = (test::TempDir("chat-format") / "tiny.gguf").string();
    SyntheticOptions o;
    o.shape = ShapeByName("tiny");
    o.type = QuantType::I2_S;
    o.seed = 3;
    WriteSyntheticModel(o, p);
    return p;
  }();
  const gguf::File src = gguf::File::Open(base);
  gguf::Writer w;
  for (const auto& [k, v] : src.kv())
    if (k != "tokenizer.chat_template") w.Set(k, v);
  if (!tmpl.empty()) w.Set("tokenizer.chat_template", gguf::Value::Str(tmpl));
  for (const auto& t : src.tensors()) w.AddTensor(t.name, t.type_id, t.dims, std::vector<uint8_t>(t.data, t.data + t.n_bytes));
  const std::string path = (test::TempDir("chat-format") / (tag + ".gguf")).string();
  w.Write(path);
  return path;
}

}  // namespace

TEST_CASE("chat formats: each family's prompt for one conversation", "[chat]") {
  CHECK(Format(ChatFormat::kBitnet, "<|begin_of_text|>") ==
        "<|begin_of_text|>System: You are a helpful assistant<|eot_id|>User: Hello<|eot_id|>Assistant: Hi there<|eot_id|>"
        "User: Who are you<|eot_id|>Assistant:    I am an assistant   <|eot_id|>User: Another question<|eot_id|>Assistant: ");
  CHECK(Format(ChatFormat::kLlama3, "<|begin_of_text|>") ==
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
  CHECK(Format(ChatFormat::kChatML) ==
        "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
        "<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n"
        "<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n"
        "<|im_start|>assistant\n");
  CHECK(Format(ChatFormat::kGemma, "<bos>") ==
        "<bos><start_of_turn>user\nYou are a helpful assistant\n\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n"
        "<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n"
        "<start_of_turn>user\nAnother question<end_of_turn>\n<start_of_turn>model\n");
  CHECK(Format(ChatFormat::kMiniCPM) ==
        "You are a helpful assistant<\xE7\x94\xA8\xE6\x88\xB7>Hello<AI>Hi there<\xE7\x94\xA8\xE6\x88\xB7>Who are you<AI>"
        "I am an assistant<\xE7\x94\xA8\xE6\x88\xB7>Another question<AI>");
  CHECK(Format(ChatFormat::kFalcon3) ==
        "<|system|>\nYou are a helpful assistant\n<|user|>\nHello\n<|assistant|>\nHi there\n<|user|>\nWho are you\n"
        "<|assistant|>\n   I am an assistant   \n<|user|>\nAnother question\n<|assistant|>\n");
  // Without the generation prompt the conversation simply ends.
  CHECK(FormatChat(ChatStyle{ChatFormat::kChatML, "", ""}, {{"user", "q"}}, false) == "<|im_start|>user\nq<|im_end|>\n");
  // The 2B4T helper is the bitnet family.
  CHECK(FormatChat2B4T(kConversation, true) == Format(ChatFormat::kBitnet, "<|begin_of_text|>"));
}

TEST_CASE("chat formats: detection from template text, names", "[chat]") {
  CHECK(DetectChatFormat("{% for m in messages %}{{'<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>'}}") ==
        ChatFormat::kChatML);
  CHECK(DetectChatFormat("{{ bos_token }}{{ '<|start_header_id|>' + role + '<|end_header_id|>\\n\\n' }}") == ChatFormat::kLlama3);
  CHECK(DetectChatFormat("{{ bos_token }}{{ '<start_of_turn>' + role + '\\n' }}") == ChatFormat::kGemma);
  CHECK(DetectChatFormat("{{'<\xE7\x94\xA8\xE6\x88\xB7>' + message['content'].strip() + '<AI>'}}") == ChatFormat::kMiniCPM);
  CHECK(DetectChatFormat("{{ '<|user|>\\n' }}{{ '<|assistant|>\\n' }}{{ '</s>' }}") == ChatFormat::kFalcon3);
  CHECK(DetectChatFormat("{{ message['role'] | capitalize }}: {{ message['content'] }}<|eot_id|>{% if g %}Assistant: {% endif %}") ==
        ChatFormat::kBitnet);
  CHECK_FALSE(DetectChatFormat("{{ '[INST] ' + content + ' [/INST]' }}"));                          // Mistral / Llama 2
  CHECK_FALSE(DetectChatFormat("{{'<|im_start|>' + role + '<|im_sep|>'}}"));                        // Phi-4
  CHECK_FALSE(DetectChatFormat("{{ '<|user|>' }}{{ '<|assistant|>' }}"));                          // GLM-Edge
  CHECK_FALSE(DetectChatFormat("hello"));
  for (ChatFormat f : {ChatFormat::kBitnet, ChatFormat::kLlama3, ChatFormat::kChatML, ChatFormat::kGemma,
                       ChatFormat::kMiniCPM, ChatFormat::kFalcon3})
    CHECK(ParseChatFormat(ChatFormatName(f)) == f);
  CHECK_THROWS_WITH(ParseChatFormat("vicuna"), Catch::Contains("known: bitnet, llama3"));
}

TEST_CASE("chat formats: the model's template decides, --chat-format overrides, unknown ones are refused", "[chat]") {
  const auto bitnet = Model::Load(TinyWithTemplate("bitnet", ""));  // no template: the 2B4T format
  ChatStyle st = ModelChatStyle(*bitnet);
  CHECK(st.format == ChatFormat::kBitnet);
  CHECK(st.bos == "<|begin_of_text|>");
  CHECK_THAT(st.source, Catch::Contains("no tokenizer.chat_template"));

  const auto llama = Model::Load(TinyWithTemplate("llama3", "{{ bos_token }}<|start_header_id|>{{ r }}<|end_header_id|>"));
  st = ModelChatStyle(*llama);
  CHECK(st.format == ChatFormat::kLlama3);
  CHECK(st.bos == "<|begin_of_text|>");  // the template writes bos_token
  CHECK(st.source == "tokenizer.chat_template");

  const auto qwen = Model::Load(TinyWithTemplate("chatml", "{{'<|im_start|>' + m['role']}}"));
  st = ModelChatStyle(*qwen);
  CHECK(st.format == ChatFormat::kChatML);
  CHECK(st.bos.empty());  // no bos_token in the template
  // The prompt a session generates from with chat = true is the model's format.
  CHECK(FormatChat(st, {{"user", "Hi"}}, true) == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");

  const auto odd = Model::Load(TinyWithTemplate("odd", "{{ '[INST] ' + content + ' [/INST]' }}"));
  CHECK_THROWS_WITH(ModelChatStyle(*odd), Catch::Contains("odd.gguf") && Catch::Contains("--chat-format"));
  st = ModelChatStyle(*odd, ChatFormat::kGemma);
  CHECK(st.format == ChatFormat::kGemma);
  CHECK(st.source == "--chat-format");
  CHECK(st.bos.empty());
}

}  // namespace bitnet
