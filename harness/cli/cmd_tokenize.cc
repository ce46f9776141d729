// bitnet-eval tokenize (--model MODEL | --tokenizer FILE) [--no-bos] TEXT -> ids, space-separated.
#include <fmt/format.h>

#include <optional>

#include "common/error.h"
#include "engine/model/model.h"
#include "engine/tokenizer/tokenizer.h"
#include "harness/cli/options.h"

namespace bitnet::cli {

int RunTokenize(const Args& args) {
  po::options_description desc("tokenize options");
  desc.add_options()("model,m", po::value<std::string>(), "GGUF model whose tokenizer to use")
      ("tokenizer", po::value<std::string>(), "tiktoken-style ranks file (LLaMA-3 tokenizer.model)")
      ("no-bos", po::bool_switch(), "do not prepend BOS")
      ("no-special", po::bool_switch(), "treat special-token text (e.g. <|eot_id|>) as plain text")
      ("pre-tokenizer", po::value<std::string>()->default_value(""), "llama3 | default")
      ("text", po::value<std::string>()->required(), "the text");
  po::positional_options_description pos;
  pos.add("text", 1);
  po::variables_map vm;
  if (!Parse("tokenize", "(--model MODEL | --tokenizer FILE) [--no-bos] TEXT", desc, &pos, args, vm)) return 0;
  const std::string pre_name = vm["pre-tokenizer"].as<std::string>();
  std::optional<PreTokenizer> pre;
  if (!pre_name.empty()) pre = ParsePreTokenizer(pre_name);

  std::shared_ptr<const Model> model;
  std::optional<Tokenizer> own;
  const Tokenizer* tok = nullptr;
  if (vm.count("model") == vm.count("tokenizer"))
    throw UsageError("give exactly one of --model and --tokenizer");
  if (vm.count("model")) {
    LoadOptions lo;
    lo.pre_tokenizer = pre;
    model = Model::Load(vm["model"].as<std::string>(), lo);
    tok = &model->RequireTokenizer();
  } else {
    own.emplace(Tokenizer::FromRanksFile(vm["tokenizer"].as<std::string>(), pre.value_or(PreTokenizer::kLlama3)));
    tok = &*own;
  }
  const auto ids = tok->Encode(vm["text"].as<std::string>(), !vm["no-bos"].as<bool>(), !vm["no-special"].as<bool>());
  fmt::print("{}\n", fmt::join(ids, " "));
  return 0;
}

}  // namespace bitnet::cli
