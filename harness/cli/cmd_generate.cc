// bitnet-eval generate --model MODEL --prompt TEXT -n N [--chat] [--temp T --seed S]
#include <fmt/format.h>

#include "common/error.h"
#include "engine/engine.h"
#include "harness/cli/options.h"

namespace bitnet::cli {

int RunGenerate(const Args& args) {
  po::options_description desc("generate options");
  desc.add_options()("model,m", po::value<std::string>()->required(), "GGUF model")
      ("prompt,p", po::value<std::string>()->required(), "prompt text")
      ("n-predict,n", po::value<int64_t>()->default_value(64), "tokens to generate")
      ("chat", po::bool_switch(), "wrap the prompt in the 2B4T chat format")
      ("temp", po::value<float>()->default_value(0.0f), "temperature (0: greedy)")
      ("top-k", po::value<int32_t>()->default_value(0), "top-k (0: off)")
      ("top-p", po::value<float>()->default_value(1.0f), "top-p (1: off)")
      ("seed", po::value<uint64_t>()->default_value(0), "sampling seed")
      ("stop", po::value<std::vector<std::string>>()->composing(), "stop string (repeatable)");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("generate", "--model MODEL --prompt TEXT -n N [--chat] [--temp T --seed S]", desc, nullptr, args, vm))
    return 0;
  auto model = Model::Load(vm["model"].as<std::string>(), LoadOptionsFrom(vm));
  Session session(model, SessionOptionsFrom(vm));
  GenerateOptions go;
  go.max_tokens = vm["n-predict"].as<int64_t>();
  go.sampling.temperature = vm["temp"].as<float>();
  go.sampling.top_k = vm["top-k"].as<int32_t>();
  go.sampling.top_p = vm["top-p"].as<float>();
  go.sampling.seed = vm["seed"].as<uint64_t>();
  if (vm.count("stop")) go.stop = vm["stop"].as<std::vector<std::string>>();
  if (go.max_tokens < 0) throw UsageError("-n must not be negative");
  const GenerateResult r = session.Generate(vm["prompt"].as<std::string>(), go, vm["chat"].as<bool>());
  fmt::print("{}\n", r.text);
  const double tps = r.tokens.size() > 1 && r.decode_seconds > 0 ? (r.tokens.size() - 1) / r.decode_seconds : 0.0;
  fmt::print(stderr,
             "\n[{} prompt tokens in {:.3f} s ({:.2f} t/s); {} generated, decode {:.2f} t/s; stop: {}; kernel {}, "
             "{} threads, pre-tokenizer {}]\n",
             r.n_prompt_tokens, r.prefill_seconds, r.n_prompt_tokens / std::max(r.prefill_seconds, 1e-9), r.tokens.size(),
             tps, r.stop_reason, session.kernels().name, session.n_threads(),
             PreTokenizerName(model->RequireTokenizer().pre_tokenizer()));
  return 0;
}

}  // namespace bitnet::cli
