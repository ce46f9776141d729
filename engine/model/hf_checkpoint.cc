#include "engine/model/hf_checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/tokenizer/hf_tokenizer_json.h"
#include "engine/model/safetensors.h"
#include "kernels/quant_types.h"

namespace bitnet {
namespace fs = std::filesystem;
namespace {

struct HfConfig {
  int64_t hidden = 0, ff = 0, layers = 0, heads = 0, kv_heads = 0, vocab = 0, ctx = 0;
  double eps = 1e-5, theta = 500000.0;
  bool packed = false;  // quantization_config.quant_method == "bitnet"
  std::string name;
};

nlohmann::json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw InputError(p.string(), "file", "cannot be opened");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(p.string(), "JSON", e.what());
  }
}

HfConfig ReadConfig(const fs::path& dir) {
  const fs::path path = dir / "config.json";
  const nlohmann::json j = ReadJson(path);
  const std::string file = path.string();
  auto fail = [&](const std::string& key, const std::string& why) { throw FormatError(file, "/" + key, why); };
  if (!j.is_object()) fail("", "config.json is not an object");
  auto str = [&](const char* key) -> std::string {
    if (!j.contains(key) || !j[key].is_string()) fail(key, "missing or not a string");
    return j[key].get<std::string>();
  };
  auto integer = [&](const char* key, int64_t limit) -> int64_t {
    if (!j.contains(key) || !j[key].is_number_integer()) fail(key, "missing or not an integer");
    const int64_t v = j[key].get<int64_t>();
    if (v <= 0 || v > limit) fail(key, fmt::format("value {} is outside 1..{}", v, limit));
    return v;
  };
  auto number = [&](const char* key, double fallback, double lo, double hi) -> double {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_number()) fail(key, "not a number");
    const double v = j[key].get<double>();
    if (!(v > lo && v < hi)) fail(key, fmt::format("value {} is outside ({}, {})", v, lo, hi));
    return v;
  };
  HfConfig c;
  if (str("model_type") != "bitnet")
    fail("model_type", fmt::format("'{}' is not a BitNet b1.58 checkpoint (model_type \"bitnet\")", str("model_type")));
  if (str("hidden_act") != "relu2")
    fail("hidden_act", fmt::format("'{}': the 2B4T graph uses relu2 (squared ReLU)", str("hidden_act")));
  if (j.contains("tie_word_embeddings") && !(j["tie_word_embeddings"].is_boolean() && j["tie_word_embeddings"].get<bool>()))
    fail("tie_word_embeddings", "must be true (the 2B4T head is the embedding)");
  c.hidden = integer("hidden_size", 1 << 16);
  c.ff = integer("intermediate_size", 1 << 18);
  c.layers = integer("num_hidden_layers", 1024);
  c.heads = integer("num_attention_heads", 1024);
  c.kv_heads = j.contains("num_key_value_heads") ? integer("num_key_value_heads", 1024) : c.heads;
  c.vocab = integer("vocab_size", 1 << 22);
  c.ctx = integer("max_position_embeddings", 1 << 24);
  c.eps = number("rms_norm_eps", 1e-5, 0.0, 1.0);
  c.theta = number("rope_theta", 500000.0, 1.0, 1e12);
  if (j.contains("quantization_config")) {
    const auto& q = j["quantization_config"];
    if (!q.is_object() || !q.contains("quant_method") || !q["quant_method"].is_string())
      fail("quantization_config/quant_method", "missing or not a string");
    if (q["quant_method"].get<std::string>() != "bitnet")
      fail("quantization_config/quant_method",
           fmt::format("'{}' is not the packed BitNet format", q["quant_method"].get<std::string>()));
    c.packed = true;
  }
  if (c.hidden % c.heads != 0 || c.heads % c.kv_heads != 0)
    fail("num_attention_heads", fmt::format("{} heads / {} KV heads do not divide hidden size {}", c.heads, c.kv_heads, c.hidden));
  if ((c.kv_heads * (c.hidden / c.heads)) % 4 != 0)
    fail("num_key_value_heads", "k/v projections need a multiple of 4 output rows (4 per packed byte)");
  c.name = j.contains("_name_or_path") && j["_name_or_path"].is_string() ? j["_name_or_path"].get<std::string>()
                                                                         : dir.filename().string();
  return c;
}

// All safetensors of the checkpoint, and where each tensor lives.
class Checkpoint {
 public:
  explicit Checkpoint(const fs::path& dir) {
    const fs::path index = dir / "model.safetensors.index.json";
    if (fs::exists(index)) {
      const nlohmann::json j = ReadJson(index);
      if (!j.contains("weight_map") || !j["weight_map"].is_object())
        throw FormatError(index.string(), "/weight_map", "missing or not an object");
      std::map<std::string, size_t> opened;
      for (const auto& [name, file] : j["weight_map"].items()) {
        if (!file.is_string() || file.get<std::string>().find('/') != std::string::npos)
          throw FormatError(index.string(), "/weight_map/" + name, "must name a file in the checkpoint directory");
        const std::string f = file.get<std::string>();
        if (!opened.count(f)) {
          opened[f] = files_.size();
          files_.push_back(SafetensorsFile::Open((dir / f).string()));
        }
      }
    } else {
      files_.push_back(SafetensorsFile::Open((dir / "model.safetensors").string()));
    }
  }

  const StTensor& Get(const std::string& name, const std::vector<int64_t>& shape) const {
    for (const auto& f : files_)
      if (const StTensor* t = f.Find(name)) {
        if (t->shape != shape)
          throw FormatError(f.path(), fmt::format("tensor '{}' (offset {})", name, t->file_offset),
                            fmt::format("shape [{}] but config.json needs [{}]", fmt::join(t->shape, ", "),
                                        fmt::join(shape, ", ")));
        file_of_[name] = f.path();
        return *t;
      }
    throw FormatError(files_.front().path(), fmt::format("tensor '{}'", name), "missing from the checkpoint");
  }
  const std::string& FileOf(const std::string& name) const { return file_of_.at(name); }
  const StTensor* Find(const std::string& name) const {
    for (const auto& f : files_)
      if (const StTensor* t = f.Find(name)) return t;
    return nullptr;
  }

 private:
  std::vector<SafetensorsFile> files_;
  mutable std::map<std::string, std::string> file_of_;
};

std::vector<float> ToFloats(const Checkpoint& ck, const StTensor& t) {
  std::vector<float> out(static_cast<size_t>(t.n_elements()));
  for (size_t i = 0; i < out.size(); ++i) {
    uint16_t h;
    switch (t.dtype) {
      case StDtype::kBF16: std::memcpy(&h, t.data + 2 * i, 2); out[i] = Bf16ToFp32(h); break;
      case StDtype::kF16: std::memcpy(&h, t.data + 2 * i, 2); out[i] = Fp16ToFp32(h); break;
      case StDtype::kF32: std::memcpy(&out[i], t.data + 4 * i, 4); break;
      default:
        throw FormatError(ck.FileOf(t.name), fmt::format("tensor '{}' (offset {})", t.name, t.file_offset),
                          fmt::format("dtype {} where a float tensor is needed", StDtypeName(t.dtype)));
    }
  }
  return out;
}

std::vector<uint8_t> FloatBytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// One projection [out, in] as I2_S bytes.
// The tensor is looked up (shape checked) before anything of its size is allocated: config.json
// alone must not make the converter allocate what the safetensors do not hold.
std::vector<uint8_t> Projection(const Checkpoint& ck, const HfConfig& c, const std::string& base, int64_t out, int64_t in) {
  std::vector<float> ternary;
  if (c.packed) {
    const StTensor& w = ck.Get(base + ".weight", {out / 4, in});
    ternary.resize(static_cast<size_t>(out * in));
    const std::string where = fmt::format("tensor '{}' (offset {})", w.name, w.file_offset);
    if (w.dtype != StDtype::kU8)
      throw FormatError(ck.FileOf(w.name), where, fmt::format("dtype {}: packed BitNet weights are U8", StDtypeName(w.dtype)));
    const StTensor* s = ck.Find(base + ".weight_scale");
    if (!s || s->n_elements() != 1)
      throw FormatError(ck.FileOf(w.name), fmt::format("tensor '{}.weight_scale'", base), "missing, or not one value");
    const float ws = ToFloats(ck, *s)[0];
    if (!std::isfinite(ws) || ws <= 0.0f)
      throw FormatError(ck.FileOf(w.name), fmt::format("tensor '{}.weight_scale'", base), fmt::format("scale {} is not a positive number", ws));
    const float scale = 1.0f / ws;  // transformers: y / (input_scale * weight_scale)
    const int64_t quarter = out / 4;
    for (int64_t r = 0; r < quarter; ++r)
      for (int64_t i = 0; i < in; ++i) {
        const uint8_t byte = w.data[r * in + i];
        for (int j = 0; j < 4; ++j) {
          const int code = (byte >> (2 * j)) & 3;
          if (code == 3)
            throw FormatError(ck.FileOf(w.name), fmt::format("tensor '{}' (offset {})", w.name, w.file_offset + r * in + i),
                              "2-bit code 3 is not a ternary value");
          ternary[static_cast<size_t>((j * quarter + r) * in + i)] = static_cast<float>(code - 1) * scale;
        }
      }
  } else {
    const StTensor& w = ck.Get(base + ".weight", {out, in});
    const std::vector<float> master = ToFloats(ck, w);
    ternary.resize(master.size());
    TernarizeAbsmean(master.data(), out * in, ternary.data());
  }
  std::vector<uint8_t> bytes(*TensorBytes(QuantType::I2_S, static_cast<uint64_t>(out * in)));
  GetQuantTraits(QuantType::I2_S).from_float_ref(ternary.data(), bytes.data(), out * in);
  return bytes;
}

}  // namespace

bool IsHfCheckpointDir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && fs::exists(fs::path(path) / "config.json", ec);
}

float TernarizeAbsmean(const float* w, int64_t n, float* out) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += std::fabs(static_cast<double>(w[i]));
  const float mean = std::max(static_cast<float>(sum / static_cast<double>(n)), 1e-5f);
  const float s = 1.0f / mean;
  for (int64_t i = 0; i < n; ++i) out[i] = std::clamp(std::nearbyint(w[i] * s), -1.0f, 1.0f) * mean;
  return mean;
}

std::vector<uint8_t> HfBitnetToGguf(const std::string& dir_str) {
  const fs::path dir(dir_str);
  const HfConfig c = ReadConfig(dir);
  if (c.hidden % 128 != 0 || c.ff % 128 != 0)
    throw FormatError((dir / "config.json").string(), "/hidden_size",
                      fmt::format("hidden size {} and intermediate size {} must be multiples of 128 for I2_S", c.hidden, c.ff));
  const Checkpoint ck(dir);
  const int64_t E = c.hidden, F = c.ff, KV = c.kv_heads * (c.hidden / c.heads);
  const std::string A = "bitnet-b1.58";
  gguf::Writer w;
  w.Set("general.architecture", gguf::Value::Str(A));
  w.Set("general.name", gguf::Value::Str(c.name));
  w.Set("bitnet-eval.source", gguf::Value::Str(c.packed ? "hf-packed" : "hf-master-absmean"));
  auto u32 = [&](const char* k, int64_t v) { w.Set(A + k, gguf::Value::U32(static_cast<uint32_t>(v))); };
  u32(".vocab_size", c.vocab);
  u32(".context_length", c.ctx);
  u32(".embedding_length", E);
  u32(".block_count", c.layers);
  u32(".feed_forward_length", F);
  u32(".rope.dimension_count", E / c.heads);
  u32(".attention.head_count", c.heads);
  u32(".attention.head_count_kv", c.kv_heads);
  w.Set(A + ".attention.layer_norm_rms_epsilon", gguf::Value::F32(static_cast<float>(c.eps)));
  w.Set(A + ".rope.freq_base", gguf::Value::F32(static_cast<float>(c.theta)));
  std::error_code ec;
  if (fs::exists(dir / "tokenizer.json", ec)) WriteHfTokenizer(w, dir, c.vocab);

  const StTensor& emb = ck.Get("model.embed_tokens.weight", {c.vocab, E});
  const QuantType emb_type = emb.dtype == StDtype::kBF16 ? QuantType::BF16
                             : emb.dtype == StDtype::kF16 ? QuantType::F16
                                                          : QuantType::F32;
  if (emb.dtype == StDtype::kBF16 || emb.dtype == StDtype::kF16 || emb.dtype == StDtype::kF32) {
    w.AddTensor("token_embd.weight", static_cast<uint32_t>(emb_type), {E, c.vocab},
                std::vector<uint8_t>(emb.data, emb.data + emb.n_bytes));
  } else {
    ToFloats(ck, emb);  // throws naming the dtype
  }
  auto norm = [&](const std::string& hf, const std::string& gg, int64_t n) {
    w.AddTensor(gg, static_cast<uint32_t>(QuantType::F32), {n}, FloatBytes(ToFloats(ck, ck.Get(hf, {n}))));
  };
  auto proj = [&](const std::string& hf, const std::string& gg, int64_t in, int64_t out) {
    w.AddTensor(gg, static_cast<uint32_t>(QuantType::I2_S), {in, out}, Projection(ck, c, hf, out, in));
  };
  norm("model.norm.weight", "output_norm.weight", E);
  for (int64_t i = 0; i < c.layers; ++i) {
    const std::string h = fmt::format("model.layers.{}.", i), g = fmt::format("blk.{}.", i);
    norm(h + "input_layernorm.weight", g + "attn_norm.weight", E);
    proj(h + "self_attn.q_proj", g + "attn_q.weight", E, E);
    proj(h + "self_attn.k_proj", g + "attn_k.weight", E, KV);
    proj(h + "self_attn.v_proj", g + "attn_v.weight", E, KV);
    proj(h + "self_attn.o_proj", g + "attn_output.weight", E, E);
    norm(h + "self_attn.attn_sub_norm.weight", g + "attn_sub_norm.weight", E);
    norm(h + "post_attention_layernorm.weight", g + "ffn_norm.weight", E);
    proj(h + "mlp.gate_proj", g + "ffn_gate.weight", E, F);
    proj(h + "mlp.up_proj", g + "ffn_up.weight", E, F);
    proj(h + "mlp.down_proj", g + "ffn_down.weight", F, E);
    norm(h + "mlp.ffn_sub_norm.weight", g + "ffn_sub_norm.weight", F);
  }
  return w.ToBytes();
}

}  // namespace bitnet
