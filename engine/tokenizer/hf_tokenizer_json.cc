#include "engine/tokenizer/hf_tokenizer_json.h"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/tokenizer/vocab.h"

namespace bitnet {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uintmax_t kMaxJsonBytes = 512ull << 20;
constexpr int kMaxJsonDepth = 64;

// The Split regexes of the pre-tokenizers we implement, as the files spell them.
constexpr const char* kLlama3Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kQwen2Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

struct JsonFile {
  fs::path path;
  json j;
};

std::optional<JsonFile> ReadJson(const fs::path& path, bool required) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (required) throw InputError(path.string(), "open", "file not found");
    return std::nullopt;
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw InputError(path.string(), "open", ec.message());
  if (size > kMaxJsonBytes) throw FormatError(path.string(), "size", fmt::format("{} bytes is more than the {} allowed", size, kMaxJsonBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "open", "cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  JsonFile f{path, {}};
  // tokenizer.json nests a few levels; a hostile one nested 30000 deep would overflow the stack
  // when a value is dumped into an error message (found by tests/fuzz/hf_tokenizer_fuzz).
  const auto limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth)
      throw FormatError(path.string(), "JSON", fmt::format("nested deeper than {} levels", kMaxJsonDepth));
    return true;
  };
  try {
    f.j = json::parse(ss.str(), limit_depth);
  } catch (const json::parse_error& e) {
    throw FormatError(path.string(), fmt::format("byte {}", e.byte), "not valid JSON");
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw FormatError(path.string(), "JSON", std::string("not valid JSON: ") + e.what());
  }
  if (!f.j.is_object()) throw FormatError(path.string(), "/", "expected a JSON object");
  return f;
}

[[noreturn]] void Fail(const JsonFile& f, const std::string& where, const std::string& what) {
  throw FormatError(f.path.string(), where, what);
}

std::string Short(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return s;
}

// A token given as "text" or {"content": "text", ...} (tokenizer_config.json's bos_token form).
std::optional<std::string> TokenText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v["content"].is_string()) return v["content"].get<std::string>();
  return std::nullopt;
}

struct Vocab {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<bool> present;
  int32_t Find(const std::string& text) const {
    for (size_t i = 0; i < tokens.size(); ++i)
      if (present[i] && tokens[i] == text) return static_cast<int32_t>(i);
    return -1;
  }
};

Vocab ReadVocab(const JsonFile& f, int64_t n_vocab) {
  const json& model = f.j["model"];
  Vocab v;
  v.tokens.assign(static_cast<size_t>(n_vocab), std::string());
  v.types.assign(static_cast<size_t>(n_vocab), tokenizer::kTypeUnused);
  v.present.assign(static_cast<size_t>(n_vocab), false);
  auto put = [&](int64_t id, std::string text, int32_t type, const std::string& where) {
    if (id < 0 || id >= n_vocab)
      Fail(f, where, fmt::format("token id {} is outside the model's vocabulary of {}", id, n_vocab));
    const auto i = static_cast<size_t>(id);
    v.tokens[i] = std::move(text);
    v.types[i] = type;
    v.present[i] = true;
  };
  if (!model.contains("vocab") || !model["vocab"].is_object()) Fail(f, "/model/vocab", "expected an object {token: id}");
  std::vector<bool> seen(static_cast<size_t>(n_vocab), false);
  for (const auto& [text, id] : model["vocab"].items()) {
    const std::string where = "/model/vocab/" + text;
    if (!id.is_number_integer()) Fail(f, where, "expected an integer id");
    const int64_t i = id.get<int64_t>();
    if (i >= 0 && i < n_vocab && seen[static_cast<size_t>(i)]) Fail(f, where, fmt::format("id {} is used twice", i));
    put(i, text, tokenizer::kTypeNormal, where);
    seen[static_cast<size_t>(i)] = true;
  }
  if (f.j.contains("added_tokens")) {
    const json& added = f.j["added_tokens"];
    if (!added.is_array()) Fail(f, "/added_tokens", "expected a list");
    for (size_t k = 0; k < added.size(); ++k) {
      const std::string where = fmt::format("/added_tokens/{}", k);
      const json& a = added[k];
      if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() || !a.contains("content") ||
          !a["content"].is_string())
        Fail(f, where, "expected {\"id\": integer, \"content\": string, ...}");
      const bool special = a.value("special", false);
      put(a["id"].get<int64_t>(), a["content"].get<std::string>(),
          special ? tokenizer::kTypeControl : tokenizer::kTypeUserDefined, where);
    }
  }
  for (size_t i = 0; i < v.tokens.size(); ++i)
    if (!v.present[i]) v.tokens[i] = fmt::format("[PAD{}]", i);
  return v;
}

std::vector<std::string> ReadMerges(const JsonFile& f) {
  const json& model = f.j["model"];
  std::vector<std::string> out;
  if (!model.contains("merges")) return out;
  const json& m = model["merges"];
  if (!m.is_array()) Fail(f, "/model/merges", "expected a list of \"left right\" or [left, right]");
  out.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    const json& e = m[i];
    if (e.is_string()) {
      const std::string s = e.get<std::string>();
      const size_t sp = s.find(' ', 1);
      if (sp == std::string::npos || sp + 1 >= s.size())
        Fail(f, fmt::format("/model/merges/{}", i), "expected \"left right\"");
      out.push_back(s);
    } else if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string()) {
      out.push_back(e[0].get<std::string>() + " " + e[1].get<std::string>());
    } else {
      Fail(f, fmt::format("/model/merges/{}", i), "expected \"left right\" or [left, right]");
    }
  }
  return out;
}

bool IsByteLevel(const json& p) { return p.is_object() && p.value("type", "") == "ByteLevel"; }

std::string SplitRegex(const json& p) {
  if (!p.is_object() || p.value("type", "") != "Split" || !p.contains("pattern") || !p["pattern"].is_object())
    return {};
  const json& pat = p["pattern"];
  return pat.contains("Regex") && pat["Regex"].is_string() ? pat["Regex"].get<std::string>() : std::string();
}

// tokenizer.ggml.pre for the file's pre-tokenizer.
std::string PreTokenizerName(const JsonFile& f) {
  const std::string where = "/pre_tokenizer";
  const json& p = f.j.contains("pre_tokenizer") ? f.j["pre_tokenizer"] : json();
  auto unsupported = [&]() -> std::string {
    Fail(f, where,
         "unsupported pre-tokenizer " + Short(p) +
             " (supported: the LLaMA-3 or Qwen2 Split regex + ByteLevel, ByteLevel with its GPT-2 regex, "
             "SmolLM's Digits + ByteLevel)");
  };
  if (IsByteLevel(p)) return p.value("use_regex", true) ? "default" : unsupported();
  if (!p.is_object() || p.value("type", "") != "Sequence" || !p.contains("pretokenizers") ||
      !p["pretokenizers"].is_array() || p["pretokenizers"].size() != 2)
    return unsupported();
  const json& a = p["pretokenizers"][0];
  const json& b = p["pretokenizers"][1];
  if (!IsByteLevel(b)) return unsupported();
  const std::string re = SplitRegex(a);
  if (!re.empty() && !b.value("use_regex", true)) {
    if (re == kLlama3Regex) return "llama-bpe";
    if (re == kQwen2Regex) return "qwen2";
    return unsupported();
  }
  if (a.is_object() && a.value("type", "") == "Digits" && a.value("individual_digits", false) && b.value("use_regex", true))
    return "smollm";
  return unsupported();
}

void CheckModel(const JsonFile& f) {
  if (!f.j.contains("model") || !f.j["model"].is_object()) Fail(f, "/model", "required object is missing");
  const json& model = f.j["model"];
  const std::string type = model.value("type", std::string("BPE"));  // older files omit it for BPE
  if (type != "BPE") Fail(f, "/model/type", "\"" + type + "\" is not supported (byte-level BPE only)");
  if (model.value("byte_fallback", false))
    Fail(f, "/model/byte_fallback", "a SentencePiece-style BPE (byte_fallback) is not supported from tokenizer.json; use the model's GGUF");
  if (f.j.contains("decoder") && f.j["decoder"].is_object() && f.j["decoder"].value("type", "") != "ByteLevel")
    Fail(f, "/decoder/type", "expected a ByteLevel decoder, found " + Short(f.j["decoder"]));
}

// Whether the post-processor puts `bos` in front of a single sequence.
bool PostProcessorAddsBos(const JsonFile& f, const std::string& bos) {
  if (!f.j.contains("post_processor") || !f.j["post_processor"].is_object()) return false;
  std::vector<const json*> procs{&f.j["post_processor"]};
  if (f.j["post_processor"].value("type", "") == "Sequence" && f.j["post_processor"].contains("processors") &&
      f.j["post_processor"]["processors"].is_array()) {
    procs.clear();
    for (const json& p : f.j["post_processor"]["processors"]) procs.push_back(&p);
  }
  for (const json* p : procs) {
    if (!p->is_object() || p->value("type", "") != "TemplateProcessing" || !p->contains("single") ||
        !(*p)["single"].is_array() || (*p)["single"].empty())
      continue;
    const json& first = (*p)["single"][0];
    if (first.is_object() && first.contains("SpecialToken") && first["SpecialToken"].is_object() &&
        first["SpecialToken"].value("id", "") == bos)
      return true;
  }
  return false;
}

}  // namespace

void WriteHfTokenizer(gguf::Writer& w, const fs::path& dir, int64_t n_vocab) {
  const JsonFile tok = *ReadJson(dir / "tokenizer.json", true);
  const std::optional<JsonFile> cfg = ReadJson(dir / "tokenizer_config.json", false);
  const std::optional<JsonFile> model_cfg = ReadJson(dir / "config.json", false);
  CheckModel(tok);
  const std::string pre = PreTokenizerName(tok);
  Vocab v = ReadVocab(tok, n_vocab);
  std::vector<std::string> merges = ReadMerges(tok);

  // Special ids: tokenizer_config.json's tokens, else config.json's ids.
  auto id_of = [&](const char* cfg_key, const char* model_key) -> int32_t {
    if (cfg && cfg->j.contains(cfg_key) && !cfg->j[cfg_key].is_null()) {
      const std::optional<std::string> text = TokenText(cfg->j[cfg_key]);
      if (!text) Fail(*cfg, std::string("/") + cfg_key, "expected a token string or {\"content\": ...}");
      const int32_t id = v.Find(*text);
      if (id < 0) Fail(*cfg, std::string("/") + cfg_key, "\"" + *text + "\" is not a token of tokenizer.json");
      return id;
    }
    if (model_cfg && model_cfg->j.contains(model_key)) {
      json id = model_cfg->j[model_key];
      if (id.is_array() && !id.empty()) id = id[0];  // generation-style lists: the first is the eos
      if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= n_vocab)
        Fail(*model_cfg, std::string("/") + model_key, "expected a token id below " + std::to_string(n_vocab));
      return static_cast<int32_t>(id.get<int64_t>());
    }
    return -1;
  };
  const int32_t bos = id_of("bos_token", "bos_token_id");
  const int32_t eos = id_of("eos_token", "eos_token_id");
  const int32_t eot = v.Find("<|eot_id|>");
  bool add_bos = bos >= 0 && PostProcessorAddsBos(tok, v.tokens[static_cast<size_t>(bos)]);
  if (cfg && cfg->j.contains("add_bos_token")) {
    if (!cfg->j["add_bos_token"].is_boolean()) Fail(*cfg, "/add_bos_token", "expected true or false");
    add_bos = cfg->j["add_bos_token"].get<bool>() && bos >= 0;
  }

  w.Set("tokenizer.ggml.model", gguf::Value::Str("gpt2"));
  w.Set("tokenizer.ggml.pre", gguf::Value::Str(pre));
  w.Set("tokenizer.ggml.tokens", gguf::Value::StrArray(std::move(v.tokens)));
  w.Set("tokenizer.ggml.token_type", gguf::Value::I32Array(std::move(v.types)));
  w.Set("tokenizer.ggml.merges", gguf::Value::StrArray(std::move(merges)));
  if (bos >= 0) w.Set("tokenizer.ggml.bos_token_id", gguf::Value::U32(static_cast<uint32_t>(bos)));
  if (eos >= 0) w.Set("tokenizer.ggml.eos_token_id", gguf::Value::U32(static_cast<uint32_t>(eos)));
  if (eot >= 0) w.Set("tokenizer.ggml.eot_token_id", gguf::Value::U32(static_cast<uint32_t>(eot)));
  w.Set("tokenizer.ggml.add_bos_token", gguf::Value::Bool(add_bos));
  if (cfg && cfg->j.contains("chat_template")) {
    const json& t = cfg->j["chat_template"];
    if (t.is_string()) {
      w.Set("tokenizer.chat_template", gguf::Value::Str(t.get<std::string>()));
    } else if (t.is_array()) {  // [{"name": "default", "template": ...}, ...]
      for (const json& e : t)
        if (e.is_object() && e.value("name", "") == "default" && e.contains("template") && e["template"].is_string())
          w.Set("tokenizer.chat_template", gguf::Value::Str(e["template"].get<std::string>()));
    } else if (!t.is_null()) {
      Fail(*cfg, "/chat_template", "expected a string or a list of {name, template}");
    }
  }
}

}  // namespace bitnet
