// Writes the generated seed corpora of the fuzz targets whose valid inputs are binary or
// multi-file (the text targets take their seeds from the source tree, see scripts/fuzz.sh):
//   fuzz_seeds DIR   ->  DIR/safetensors, DIR/hf_checkpoint, DIR/hf_tokenizer
// Every seed is a small valid input (a few KiB to ~40 KiB).
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/gguf/gguf.h"
#include "engine/model/safetensors.h"
#include "engine/tokenizer/vocab_writer.h"
#include "tests/engine/hf_tokenizer_files.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;
using bitnet::StDtype;
using bitnet::StTensorData;
using nlohmann::json;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Save(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::perror((dir / name).c_str());
    std::exit(1);
  }
}

std::string Join(const std::vector<std::string>& parts) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? std::string(bitnet::fuzz::kFileMarker) : "") + parts[i];
  return s;
}

std::vector<uint8_t> Filled(size_t n, uint8_t v) { return std::vector<uint8_t>(n, v); }

std::vector<uint8_t> F32(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::string Safetensors(const fs::path& tmp, const std::vector<StTensorData>& tensors) {
  bitnet::WriteSafetensors(tmp.string(), tensors);
  return ReadText(tmp);
}

// The smallest checkpoint HfBitnetToGguf accepts: hidden 128, intermediate 128, one layer,
// 2 heads, vocabulary V; packed U8 projections (code 1 = 0, 0x55 = four zeros) or F16 masters.
struct Checkpoint {
  std::string config, safetensors;
};
Checkpoint TinyCheckpoint(const fs::path& tmp, int64_t V, bool packed) {
  const int64_t E = 128, F = 128;
  std::vector<StTensorData> st;
  st.push_back({"model.embed_tokens.weight", StDtype::kF16, {V, E}, Filled(static_cast<size_t>(V * E * 2), 0x11)});
  st.push_back({"model.norm.weight", StDtype::kF32, {E}, F32(std::vector<float>(E, 1.0f))});
  const std::string h = "model.layers.0.";
  for (const char* n : {"input_layernorm", "self_attn.attn_sub_norm", "post_attention_layernorm"})
    st.push_back({h + n + ".weight", StDtype::kF32, {E}, F32(std::vector<float>(E, 1.0f))});
  st.push_back({h + "mlp.ffn_sub_norm.weight", StDtype::kF32, {F}, F32(std::vector<float>(F, 1.0f))});
  const struct { const char* name; int64_t out, in; } proj[] = {
      {"self_attn.q_proj", E, E}, {"self_attn.k_proj", E, E}, {"self_attn.v_proj", E, E}, {"self_attn.o_proj", E, E},
      {"mlp.gate_proj", F, E},    {"mlp.up_proj", F, E},      {"mlp.down_proj", E, F}};
  for (const auto& p : proj) {
    if (packed) {
      std::vector<uint8_t> w(static_cast<size_t>(p.out / 4 * p.in));
      for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<uint8_t>(i * 37 % 3 | (i * 11 % 3) << 2 | 1 << 4 | 2 << 6);
      st.push_back({h + p.name + ".weight", StDtype::kU8, {p.out / 4, p.in}, w});
      st.push_back({h + p.name + ".weight_scale", StDtype::kF32, {1}, F32({2.0f})});
    } else {
      st.push_back({h + p.name + ".weight", StDtype::kF16, {p.out, p.in}, Filled(static_cast<size_t>(p.out * p.in * 2), 0x3c)});
    }
  }
  json cfg = {{"model_type", "bitnet"},  {"hidden_size", E},         {"intermediate_size", F},
              {"num_hidden_layers", 1},  {"num_attention_heads", 2}, {"num_key_value_heads", 1},
              {"vocab_size", V},         {"max_position_embeddings", 256},
              {"rms_norm_eps", 1e-5},    {"rope_theta", 500000.0},   {"hidden_act", "relu2"},
              {"tie_word_embeddings", true}};
  if (packed) cfg["quantization_config"] = {{"quant_method", "bitnet"}};
  return {cfg.dump(1), Safetensors(tmp, st)};
}

// A hand-written byte-level BPE tokenizer.json with a few tokens (ids < 8).
json SmallTokenizer() {
  const char* regex = bitnet::test::kHfLlama3Regex;
  return {{"version", "1.0"},
          {"added_tokens", {{{"id", 6}, {"content", "<|begin_of_text|>"}, {"special", true}},
                            {{"id", 7}, {"content", "<|eot_id|>"}, {"special", true}}}},
          {"normalizer", nullptr},
          {"pre_tokenizer",
           {{"type", "Sequence"},
            {"pretokenizers", {{{"type", "Split"}, {"pattern", {{"Regex", regex}}}, {"behavior", "Isolated"}, {"invert", false}},
                               {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}}},
          {"post_processor", {{"type", "TemplateProcessing"},
                              {"single", {{{"SpecialToken", {{"id", "<|begin_of_text|>"}, {"type_id", 0}}}},
                                          {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}}},
          {"decoder", {{"type", "ByteLevel"}}},
          {"model", {{"type", "BPE"}, {"vocab", {{"a", 0}, {"b", 1}, {"ab", 2}, {"\xc4\xa0", 3}, {"\xc4\xa0" "a", 4}, {"c", 5}}},
                     {"merges", {"a b", "\xc4\xa0 a"}}}}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  const fs::path tmp = dir / "tmp";
  fs::create_directories(tmp);

  // safetensors: every dtype, metadata, an empty tensor; and the checkpoint's file.
  std::vector<StTensorData> all;
  const StDtype dtypes[] = {StDtype::kBF16, StDtype::kF16, StDtype::kF32, StDtype::kU8, StDtype::kI8, StDtype::kI32, StDtype::kI64};
  for (StDtype d : dtypes)
    all.push_back({std::string("t.") + bitnet::StDtypeName(d), d, {2, 3}, Filled(6 * bitnet::StDtypeSize(d), 0x42)});
  all.push_back({"scalar", StDtype::kF32, {}, F32({1.0f})});
  all.push_back({"empty", StDtype::kF32, {0, 4}, {}});
  Save(dir / "safetensors", "dtypes.safetensors", Safetensors(tmp / "a.safetensors", all));
  Save(dir / "safetensors", "empty.safetensors", Safetensors(tmp / "b.safetensors", {}));

  // hf_checkpoint: packed and master-weight checkpoints, one with a tokenizer.json.
  const Checkpoint packed = TinyCheckpoint(tmp / "c.safetensors", 8, true);
  const Checkpoint master = TinyCheckpoint(tmp / "d.safetensors", 8, false);
  Save(dir / "safetensors", "packed-checkpoint.safetensors", packed.safetensors);
  Save(dir / "hf_checkpoint", "packed", Join({packed.config, packed.safetensors}));
  Save(dir / "hf_checkpoint", "packed-tokenizer", Join({packed.config, packed.safetensors, SmallTokenizer().dump()}));
  Save(dir / "hf_checkpoint", "master-f16", Join({master.config, master.safetensors}));

  // hf_tokenizer: the byte-level vocabulary in the Hugging Face form (string and array merges),
  // and the small hand-written one with a tokenizer_config.json / config.json.
  bitnet::gguf::Writer w;
  bitnet::WriteByteLevelVocab(w, 300);
  const auto f = bitnet::gguf::File::Parse(bitnet::gguf::Mapping::FromBytes(w.ToBytes()), "vocab");
  for (bool arrays : {false, true}) {
    const fs::path d = tmp / (arrays ? "tok-arrays" : "tok");
    bitnet::test::WriteHfTokenizerFiles(f, d, arrays);
    Save(dir / "hf_tokenizer", arrays ? "byte-level-array-merges" : "byte-level",
         Join({ReadText(d / "tokenizer.json"), ReadText(d / "tokenizer_config.json")}));
  }
  Save(dir / "hf_tokenizer", "small-with-configs",
       Join({SmallTokenizer().dump(1),
             json{{"bos_token", {{"content", "<|begin_of_text|>"}}}, {"eos_token", "<|eot_id|>"}, {"add_bos_token", true},
                  {"chat_template", "{{ messages }}"}}.dump(),
             json{{"bos_token_id", 6}, {"eos_token_id", 7}}.dump()}));
  Save(dir / "hf_tokenizer", "small-config-ids", Join({SmallTokenizer().dump(), "", json{{"bos_token_id", 6}, {"eos_token_id", 7}}.dump()}));
  fs::remove_all(tmp);
  std::printf("fuzz_seeds: wrote seeds to %s\n", dir.c_str());
  return 0;
}
