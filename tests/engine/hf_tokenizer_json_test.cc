// Hugging Face tokenizer.json -> the GGUF tokenizer keys (engine/tokenizer/hf_tokenizer_json.h):
// the real LLaMA-3 vocabulary (../shared/data/tokenizer, skipped with a message when absent)
// written in Hugging Face form gives llama.cpp's 46 llama-bpe cases and the same keys as the GGUF
// writer; the pre-tokenizer is recognised; malformed files are errors naming file and JSON path.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/tokenizer/hf_tokenizer_json.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/vocab.h"
#include "engine/tokenizer/vocab_writer.h"
#include "tests/engine/hf_tokenizer_files.h"
#include "tests/test_support.h"

namespace bitnet {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

gguf::File Parse(gguf::Writer& w) { return gguf::File::Parse(gguf::Mapping::FromBytes(w.ToBytes()), "mem"); }

gguf::File FromHfDir(const fs::path& dir, int64_t n_vocab) {
  gguf::Writer w;
  WriteHfTokenizer(w, dir, n_vocab);
  return Parse(w);
}

// llama.cpp's test-tokenizer-0 cases for llama-bpe.
std::vector<std::pair<std::string, std::vector<int32_t>>> Llama3Cases() {
  auto inp = test::SharedData("tokenizer/ggml-vocab-llama-bpe.gguf.inp");
  auto outp = test::SharedData("tokenizer/ggml-vocab-llama-bpe.gguf.out");
  if (!inp || !outp) return {};
  const auto bytes = test::ReadFileBytes(*inp);
  const std::string all(bytes.begin(), bytes.end()), sep = "\n__ggml_vocab_test__\n";
  std::vector<std::pair<std::string, std::vector<int32_t>>> cases;
  for (size_t pos = 0, end; (end = all.find(sep, pos)) != std::string::npos; pos = end + sep.size())
    cases.push_back({all.substr(pos, end - pos), {}});
  std::ifstream out(*outp);
  std::string line;
  for (size_t i = 0; std::getline(out, line) && i < cases.size(); ++i) {
    std::istringstream ss(line);
    for (int32_t id; ss >> id;) cases[i].second.push_back(id);
  }
  return cases;
}

// A small byte-level vocabulary (GGUF) with a few merges, as the base of the edited files below.
gguf::File SmallVocab() {
  gguf::Writer w;
  WriteByteLevelVocab(w, 300);
  gguf::File f = Parse(w);
  gguf::Writer w2;
  for (auto [k, v] : f.kv()) {
    if (k == "tokenizer.ggml.tokens") {
      v.strs[259] = "he";  // two fillers become merged tokens
      v.strs[260] = "hel";
    }
    if (k == "tokenizer.ggml.token_type") v.ints[259] = v.ints[260] = tokenizer::kTypeNormal;
    if (k == "tokenizer.ggml.merges") v.strs = {"h e", "he l"};
    w2.Set(k, v);
  }
  return Parse(w2);
}

fs::path SmallDir(const std::string& tag, const std::function<void(json& tok, json& cfg)>& edit = {}) {
  const fs::path dir = test::TempDir("hf-tok-" + tag);
  test::WriteHfTokenizerFiles(SmallVocab(), dir);
  if (edit) {
    json tok = json::parse(std::ifstream(dir / "tokenizer.json"));
    json cfg = json::parse(std::ifstream(dir / "tokenizer_config.json"));
    edit(tok, cfg);
    std::ofstream(dir / "tokenizer.json") << tok.dump();
    std::ofstream(dir / "tokenizer_config.json") << cfg.dump();
  }
  return dir;
}

}  // namespace

TEST_CASE("tokenizer.json of the real LLaMA-3 vocabulary: llama.cpp's cases and the GGUF writer's keys", "[tokenizer][hf]") {
  auto ranks = test::SharedData("tokenizer/tokenizer.model");
  const auto cases = Llama3Cases();
  if (!ranks || cases.empty()) {
    WARN("skipped: ../shared/data/tokenizer (tokenizer.model, ggml-vocab-llama-bpe.gguf.inp/.out) not found");
    return;
  }
  gguf::Writer gw;
  WriteRanksVocab(gw, ranks->string(), 128256);
  const gguf::File ref = Parse(gw);
  const fs::path dir = test::TempDir("hf-tok-llama3");
  test::WriteHfTokenizerFiles(ref, dir);
  const gguf::File f = FromHfDir(dir, 128256);
  for (const char* k : {"tokenizer.ggml.tokens", "tokenizer.ggml.merges"}) CHECK(f.Require(k).strs == ref.Require(k).strs);
  CHECK(f.Require("tokenizer.ggml.token_type").ints == ref.Require("tokenizer.ggml.token_type").ints);
  CHECK(f.GetString("tokenizer.ggml.pre") == "llama-bpe");
  CHECK(f.GetUint("tokenizer.ggml.bos_token_id") == 128000);
  CHECK(f.GetUint("tokenizer.ggml.eos_token_id") == 128001);
  CHECK(f.GetUint("tokenizer.ggml.eot_token_id") == 128009);
  CHECK(f.GetBool("tokenizer.ggml.add_bos_token", false));
  CHECK(f.GetString("tokenizer.chat_template") == ref.GetString("tokenizer.chat_template"));
  const Tokenizer tok = Tokenizer::FromGguf(f);
  CHECK(tok.pre_tokenizer() == PreTokenizer::kLlama3);
  int matched = 0;
  for (const auto& [text, ids] : cases) matched += tok.Encode(text, false, false) == ids;
  CHECK(matched == 46);
  CHECK(tok.Encode("<|eot_id|>", false, true) == std::vector<int32_t>{128009});
}

TEST_CASE("tokenizer.json: merges in either form, pre-tokenizers recognised, padding to the model's vocabulary", "[tokenizer][hf]") {
  const gguf::File small = SmallVocab();
  for (const bool arrays : {false, true}) {
    const fs::path dir = test::TempDir(arrays ? "hf-tok-arrays" : "hf-tok-strings");
    test::WriteHfTokenizerFiles(small, dir, arrays);
    const gguf::File f = FromHfDir(dir, 320);  // 20 ids more than the file: "[PAD<id>]", unused
    CHECK(f.Require("tokenizer.ggml.merges").strs == std::vector<std::string>{"h e", "he l"});
    const auto& toks = f.Require("tokenizer.ggml.tokens").strs;
    REQUIRE(toks.size() == 320);
    CHECK(toks[319] == "[PAD319]");
    CHECK(f.Require("tokenizer.ggml.token_type").ints[319] == tokenizer::kTypeUnused);
    const Tokenizer tok = Tokenizer::FromGguf(f);
    CHECK(tok.Encode("hello", false) == std::vector<int32_t>{260, 'l', 'o'});
    CHECK(tok.Decode(tok.Encode("hello there", true)) == "<|begin_of_text|>hello there");
  }
  auto pre_of = [](const std::function<void(json&)>& edit) {
    const fs::path dir = SmallDir("pre", [&](json& t, json&) { edit(t["pre_tokenizer"]); });
    return FromHfDir(dir, 300).GetString("tokenizer.ggml.pre");
  };
  CHECK(pre_of([](json&) {}) == "llama-bpe");
  CHECK(pre_of([](json& p) {
          std::string re = test::kHfLlama3Regex;
          re.replace(re.find("\\p{N}{1,3}"), 10, "\\p{N}");
          p["pretokenizers"][0]["pattern"]["Regex"] = re;
        }) == "qwen2");
  CHECK(pre_of([](json& p) { p = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}; }) == "default");
  CHECK(pre_of([](json& p) {
          p = {{"type", "Sequence"},
               {"pretokenizers", {{{"type", "Digits"}, {"individual_digits", true}}, {{"type", "ByteLevel"}, {"use_regex", true}}}}};
        }) == "smollm");
  // add_bos: tokenizer_config.json's flag wins over the post-processor.
  const fs::path no_bos = SmallDir("no-bos", [](json&, json& c) { c["add_bos_token"] = false; });
  CHECK_FALSE(FromHfDir(no_bos, 300).GetBool("tokenizer.ggml.add_bos_token", true));
}

TEST_CASE("tokenizer.json: malformed or unsupported files are errors naming the file and JSON path", "[tokenizer][hf]") {
  auto refused = [](const std::string& tag, const std::function<void(json&, json&)>& edit, const std::string& file,
                    const std::string& where) {
    INFO(tag);
    const fs::path dir = SmallDir(tag, edit);
    CHECK_THROWS_WITH(FromHfDir(dir, 300), Catch::Contains(file) && Catch::Contains(where));
  };
  refused("regex", [](json& t, json&) { t["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "\\w+"; },
          "tokenizer.json", "/pre_tokenizer");
  refused("unigram", [](json& t, json&) { t["model"]["type"] = "Unigram"; }, "tokenizer.json", "/model/type");
  refused("fallback", [](json& t, json&) { t["model"]["byte_fallback"] = true; }, "tokenizer.json", "/model/byte_fallback");
  refused("decoder", [](json& t, json&) { t["decoder"] = {{"type", "Metaspace"}}; }, "tokenizer.json", "/decoder/type");
  refused("range", [](json& t, json&) { t["model"]["vocab"]["zz"] = 5000; }, "tokenizer.json", "/model/vocab/zz");
  refused("twice", [](json& t, json&) { t["model"]["vocab"]["zz"] = 65; }, "tokenizer.json", "/model/vocab/");
  refused("merge", [](json& t, json&) { t["model"]["merges"][1] = "hel"; }, "tokenizer.json", "/model/merges/1");
  refused("added", [](json& t, json&) { t["added_tokens"][0].erase("id"); }, "tokenizer.json", "/added_tokens/0");
  refused("bos", [](json&, json& c) { c["bos_token"] = "<s>"; }, "tokenizer_config.json", "/bos_token");
  refused("flag", [](json&, json& c) { c["add_bos_token"] = "yes"; }, "tokenizer_config.json", "/add_bos_token");
  const fs::path bad = SmallDir("notjson");
  std::ofstream(bad / "tokenizer.json") << "{\"model\": [1, 2";
  CHECK_THROWS_WITH(FromHfDir(bad, 300), Catch::Contains("tokenizer.json") && Catch::Contains("not valid JSON"));
  const fs::path none = test::TempDir("hf-tok-none");
  CHECK_THROWS_AS(FromHfDir(none, 300), InputError);
}

// Found by tests/fuzz/hf_tokenizer_fuzz (input kept in tests/fuzz/seeds/hf_tokenizer): a
// pre_tokenizer nested 30000 deep overflowed the stack when dumped into the error message.
TEST_CASE("tokenizer.json: JSON nested too deep is a FormatError", "[tokenizer][hf]") {
  const fs::path dir = test::TempDir("hf-tok-deep");
  std::ofstream(dir / "tokenizer.json") << R"({"model": {"type": "BPE", "vocab": {}, "merges": []}, "pre_tokenizer": )"
                                        << std::string(30000, '[') << std::string(30000, ']') << "}";
  gguf::Writer w;
  try {
    WriteHfTokenizer(w, dir, 300);
    FAIL("accepted");
  } catch (const FormatError& e) {
    CHECK_THAT(e.file(), Catch::Contains("tokenizer.json"));
    CHECK(e.where() == "JSON");
    CHECK_THAT(e.reason(), Catch::Contains("nested deeper than 64 levels"));
  }
}

}  // namespace bitnet
