// Hugging Face BitNet b1.58 checkpoints (safetensors + config.json) against the GGUF path:
// the project writes the same weights in both formats and the logits must be bit-identical;
// the -bf16 master form is ternarized with absmean at load; bad files are clean errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/gguf/gguf.h"
#include "engine/model/hf_checkpoint.h"
#include "engine/model/safetensors.h"
#include "engine/model/synthetic.h"
#include "kernels/generic/ternary_codes.h"
#include "tests/engine/hf_tokenizer_files.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {
namespace fs = std::filesystem;

const char* kProj[][2] = {{"attn_q", "self_attn.q_proj"}, {"attn_k", "self_attn.k_proj"},
                          {"attn_v", "self_attn.v_proj"}, {"attn_output", "self_attn.o_proj"},
                          {"ffn_gate", "mlp.gate_proj"},  {"ffn_up", "mlp.up_proj"},
                          {"ffn_down", "mlp.down_proj"}};
const char* kNorms[][2] = {{"attn_norm", "input_layernorm"}, {"attn_sub_norm", "self_attn.attn_sub_norm"},
                           {"ffn_norm", "post_attention_layernorm"}, {"ffn_sub_norm", "mlp.ffn_sub_norm"}};

// The tiny 2B4T-graph model with a BF16 embedding (the dtype of the Hugging Face checkpoints).
const std::string& TinyGguf() {
  static const std::string path = [] {
    SyntheticOptions o;
    o.shape = ShapeByName("tiny");
    o.type = QuantType::I2_S;
    o.embedding_type = QuantType::BF16;
    o.seed = 5;
    o.threads = 2;
    const std::string p = (test::TempDir("hf-src") / "tiny-bf16emb.gguf").string();
    WriteSyntheticModel(o, p);
    return p;
  }();
  return path;
}

std::vector<int8_t> TernaryCodes(const gguf::TensorInfo& t) {  // row-major [out][in]
  const int64_t n = t.n_elements();
  std::vector<int8_t> v(static_cast<size_t>(n));
  for (int64_t b = 0; b < n / ref::kI2SBlock; ++b) ref::DecodeI2SBlock(t.data + b * ref::kI2SBlockBytes, v.data() + b * ref::kI2SBlock);
  return v;
}

std::vector<uint8_t> Bytes(const void* p, size_t n) {
  return std::vector<uint8_t>(static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
}

std::vector<uint8_t> Bf16Bytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 2);
  for (size_t i = 0; i < v.size(); ++i) {
    const uint16_t h = Fp32ToBf16(v[i]);
    std::memcpy(b.data() + 2 * i, &h, 2);
  }
  return b;
}

struct Written {
  std::string hf_dir;
  std::string gguf;  // the same weights as GGUF (I2_S scales = what the HF form encodes)
};

// Writes the tiny model as a Hugging Face checkpoint (packed, or bf16 master weights) and as a
// GGUF holding exactly the weights that checkpoint encodes.
Written WriteBoth(const std::string& tag, bool packed) {
  const gguf::File src = gguf::File::Open(TinyGguf());
  const fs::path dir = test::TempDir("hf-" + tag);
  const int64_t E = 256, F = 512, L = 2, V = 1024;
  std::vector<StTensorData> st;
  std::map<std::string, float> new_scale;  // GGUF tensor -> per-tensor scale the HF form gives
  st.push_back({"model.embed_tokens.weight", StDtype::kBF16, {V, E},
                Bytes(src.FindTensor("token_embd.weight")->data, static_cast<size_t>(V * E * 2))});
  st.push_back({"model.norm.weight", StDtype::kF32, {E}, Bytes(src.FindTensor("output_norm.weight")->data, E * 4)});
  for (int64_t l = 0; l < L; ++l) {
    const std::string g = "blk." + std::to_string(l) + ".", h = "model.layers." + std::to_string(l) + ".";
    for (auto& n : kNorms) {
      const auto* t = src.FindTensor(g + n[0] + ".weight");
      st.push_back({h + n[1] + ".weight", StDtype::kF32, {t->dims[0]}, Bytes(t->data, t->n_bytes)});
    }
    for (auto& p : kProj) {
      const auto* t = src.FindTensor(g + p[0] + ".weight");
      const int64_t in = t->dims[0], out = t->dims[1];
      const auto codes = TernaryCodes(*t);
      const float scale = I2SScale(t->data, in * out);
      if (packed) {
        std::vector<uint8_t> w(static_cast<size_t>(out / 4 * in), 0);
        for (int64_t r = 0; r < out; ++r)
          for (int64_t i = 0; i < in; ++i)
            w[static_cast<size_t>((r % (out / 4)) * in + i)] |=
                static_cast<uint8_t>((codes[r * in + i] + 1) << (2 * (r / (out / 4))));
        const uint16_t ws = Fp32ToBf16(1.0f / scale);
        st.push_back({h + p[1] + ".weight", StDtype::kU8, {out / 4, in}, w});
        st.push_back({h + p[1] + ".weight_scale", StDtype::kBF16, {1}, Bytes(&ws, 2)});
        new_scale[t->name] = 1.0f / Bf16ToFp32(ws);
      } else {
        std::vector<float> master(codes.size());
        for (size_t i = 0; i < codes.size(); ++i) master[i] = Bf16ToFp32(Fp32ToBf16(codes[i] * scale));
        st.push_back({h + p[1] + ".weight", StDtype::kBF16, {out, in}, Bf16Bytes(master)});
        std::vector<float> tern(master.size());
        new_scale[t->name] = TernarizeAbsmean(master.data(), static_cast<int64_t>(master.size()), tern.data());
      }
    }
  }
  WriteSafetensors((dir / "model.safetensors").string(), st);
  nlohmann::json cfg = {{"architectures", {"BitNetForCausalLM"}}, {"model_type", "bitnet"}, {"hidden_size", E},
                        {"intermediate_size", F}, {"num_hidden_layers", L}, {"num_attention_heads", 4},
                        {"num_key_value_heads", 1}, {"vocab_size", V}, {"max_position_embeddings", 1024},
                        {"rms_norm_eps", 1e-5}, {"rope_theta", 500000.0}, {"hidden_act", "relu2"},
                        {"tie_word_embeddings", true}, {"torch_dtype", "bfloat16"}};
  if (packed) cfg["quantization_config"] = {{"quant_method", "bitnet"}, {"linear_class", "autobitlinear"}};
  std::ofstream(dir / "config.json") << cfg.dump(2);

  // The GGUF with the scales the checkpoint encodes (codes unchanged).
  gguf::Writer w;
  for (const auto& [k, v] : src.kv()) w.Set(k, v);
  for (const auto& t : src.tensors()) {
    std::vector<uint8_t> b = Bytes(t.data, t.n_bytes);
    if (new_scale.count(t.name)) std::memcpy(b.data() + t.n_elements() / 4, &new_scale[t.name], 4);
    w.AddTensor(t.name, t.type_id, t.dims, b);
  }
  const std::string gguf_path = (dir / "same.gguf").string();
  w.Write(gguf_path);
  return {dir.string(), gguf_path};
}

std::vector<float> Logits(const std::string& path) {
  SessionOptions so;
  so.n_threads = 2;
  so.n_ctx = 32;
  Session s(Model::Load(path), so);
  const std::vector<int32_t> tokens = {72, 101, 108, 108, 111, 32, 119, 111, 114, 108, 100};
  return s.Eval(tokens, 0);
}

}  // namespace

TEST_CASE("a packed Hugging Face BitNet checkpoint gives the GGUF path's logits bit for bit", "[hf]") {
  const Written w = WriteBoth("packed", true);
  const auto model = Model::Load(w.hf_dir);
  CHECK(model->config().arch == Arch::kBitnetB158);
  CHECK(model->WeightTypeName() == "I2_S");
  CHECK(model->tokenizer() == nullptr);
  const auto a = Logits(w.hf_dir), b = Logits(w.gguf);
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  // And the weights really are the source model's up to the bf16 rounding of the scales (<= 0.4 %
  // per tensor; steps of the int8 activation grid amplify it): within 5 % of the logit range.
  const auto c = Logits(TinyGguf());
  double md = 0, mr = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    md = std::max(md, std::fabs(static_cast<double>(a[i]) - c[i]));
    mr = std::max(mr, std::fabs(static_cast<double>(c[i])));
  }
  CHECK(md <= 0.05 * mr);
}

TEST_CASE("a checkpoint with tokenizer.json carries the same tokenizer as the GGUF", "[hf]") {
  const Written w = WriteBoth("with-tokenizer", true);
  test::WriteHfTokenizerFiles(gguf::File::Open(w.gguf), w.hf_dir);
  const auto hf = Model::Load(w.hf_dir), gg = Model::Load(w.gguf);
  REQUIRE(hf->tokenizer() != nullptr);
  REQUIRE(gg->tokenizer() != nullptr);
  const std::string text = "Hello world, 2025!\n<|eot_id|>caf\xC3\xA9";
  CHECK(hf->tokenizer()->Encode(text, true) == gg->tokenizer()->Encode(text, true));
  CHECK(hf->tokenizer()->bos() == gg->tokenizer()->bos());
  CHECK(hf->tokenizer()->eos() == gg->tokenizer()->eos());
  CHECK(hf->tokenizer()->eot() == gg->tokenizer()->eot());
  // The weights path is unchanged by the tokenizer: logits still bit for bit.
  const auto a = Logits(w.hf_dir), b = Logits(w.gguf);
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

TEST_CASE("bf16 master weights (the -bf16 checkpoint) are ternarized with absmean at load", "[hf]") {
  const Written w = WriteBoth("master", false);
  const auto a = Logits(w.hf_dir), b = Logits(w.gguf);
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  // The rule itself: scale = mean |W| (clamped), codes = clamp(round(W / scale), -1, 1).
  const std::vector<float> m = {0.3f, -0.05f, 0.0f, -0.9f, 0.1f, 0.2f, -0.4f, 0.25f};
  std::vector<float> out(m.size());
  const float scale = TernarizeAbsmean(m.data(), 8, out.data());
  CHECK(scale == Approx(2.2 / 8));
  const float codes[] = {1, 0, 0, -1, 0, 1, -1, 1};  // 0.2/0.275 = 0.73 -> 1; 0.1/0.275 -> 0
  for (int i = 0; i < 8; ++i) CHECK(out[i] == codes[i] * scale);
}

TEST_CASE("bad Hugging Face checkpoints are clean errors naming the file and field", "[hf]") {
  const Written w = WriteBoth("bad", true);
  const fs::path dir(w.hf_dir);
  auto expect = [&](const std::string& file_part, const std::string& where, const std::string& what) {
    try {
      Model::Load(w.hf_dir);
      FAIL("loaded without an error");
    } catch (const InputError& e) {
      INFO(e.what());
      CHECK_THAT(e.file(), Catch::Contains(file_part));
      CHECK_THAT(e.where(), Catch::Contains(where));
      CHECK_THAT(e.reason(), Catch::Contains(what));
    }
  };
  const std::string cfg_text = [&] {
    std::ifstream in(dir / "config.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  auto with_config = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(cfg_text);
    edit(j);
    std::ofstream(dir / "config.json") << j.dump();
  };
  with_config([](nlohmann::json& j) { j["model_type"] = "llama"; });
  expect("config.json", "/model_type", "not a BitNet");
  with_config([](nlohmann::json& j) { j["hidden_act"] = "silu"; });
  expect("config.json", "/hidden_act", "relu2");
  with_config([](nlohmann::json& j) { j.erase("num_hidden_layers"); });
  expect("config.json", "/num_hidden_layers", "missing");
  with_config([](nlohmann::json& j) { j["num_hidden_layers"] = 3; });
  expect("model.safetensors", "model.layers.2.input_layernorm.weight", "missing");
  with_config([](nlohmann::json& j) { j["intermediate_size"] = 1024; });
  expect("model.safetensors", "mlp.gate_proj.weight", "shape");
  with_config([](nlohmann::json&) {});

  const auto good = test::ReadFileBytes(dir / "model.safetensors");
  auto bytes = good;
  bytes.resize(bytes.size() - 100);  // data cut short
  test::WriteFileBytes(dir / "model.safetensors", bytes);
  expect("model.safetensors", "tensor", "outside");
  bytes = good;
  bytes[7] = 0x7f;  // absurd header length
  test::WriteFileBytes(dir / "model.safetensors", bytes);
  expect("model.safetensors", "offset 0", "header length");
  bytes = good;
  bytes[9] = '!';  // broken JSON
  test::WriteFileBytes(dir / "model.safetensors", bytes);
  expect("model.safetensors", "header", "JSON");
}

// Found while writing tests/fuzz/hf_checkpoint_fuzz: config.json sizes at their limits (hidden 65536) with a
// checkpoint holding only the embedding and the first norms. The converter allocated a q_proj's
// worth of floats (65536^2, 16 GiB) before finding the tensor missing; now it finds out first.
TEST_CASE("HF checkpoint: config sizes alone allocate nothing before the tensors are found", "[hf]") {
  const fs::path dir = test::TempDir("hf-huge-config");
  const int64_t E = 65536;
  auto f32_ones = [](int64_t n) {
    std::vector<uint8_t> b(static_cast<size_t>(n) * 4);
    const float one = 1.0f;
    for (int64_t i = 0; i < n; ++i) std::memcpy(b.data() + 4 * i, &one, 4);
    return b;
  };
  WriteSafetensors((dir / "model.safetensors").string(),
                   {{"model.embed_tokens.weight", StDtype::kF16, {1, E}, std::vector<uint8_t>(E * 2, 0)},
                    {"model.norm.weight", StDtype::kF32, {E}, f32_ones(E)},
                    {"model.layers.0.input_layernorm.weight", StDtype::kF32, {E}, f32_ones(E)}});
  for (bool packed : {true, false}) {
    nlohmann::json cfg = {{"model_type", "bitnet"}, {"hidden_act", "relu2"}, {"hidden_size", E},
                          {"intermediate_size", 1 << 18}, {"num_hidden_layers", 1}, {"num_attention_heads", 1},
                          {"vocab_size", 1}, {"max_position_embeddings", 64}};
    if (packed) cfg["quantization_config"] = {{"quant_method", "bitnet"}};
    std::ofstream(dir / "config.json") << cfg.dump();
    try {
      HfBitnetToGguf(dir.string());
      FAIL("converted without an error");
    } catch (const FormatError& e) {
      INFO(e.what());
      CHECK_THAT(e.file(), Catch::Contains("model.safetensors"));
      CHECK_THAT(e.where(), Catch::Contains("model.layers.0.self_attn.q_proj.weight"));
      CHECK_THAT(e.reason(), Catch::Contains("missing"));
    }
  }
}

}  // namespace bitnet
