// bitnet-eval logits --model MODEL --tokens "ID ID ..." --out FILE: raw little-endian float32
// logits, one row of n_vocab per input position (all positions in one sequence).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "common/error.h"
#include "engine/engine.h"
#include "harness/cli/options.h"

namespace bitnet::cli {

int RunLogits(const Args& args) {
  po::options_description desc("logits options");
  desc.add_options()("model,m", po::value<std::string>()->required(), "GGUF model")
      ("tokens", po::value<std::string>()->required(), "token ids, space- or comma-separated (include BOS yourself)")
      ("out,o", po::value<std::string>()->required(), "output file (float32, n_tokens x n_vocab)");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("logits", "--model MODEL --tokens \"ID ID ...\" --out FILE", desc, nullptr, args, vm)) return 0;
  const auto ids = ParseTokenList(vm["tokens"].as<std::string>());
  if (ids.empty()) throw UsageError("--tokens is empty");
  auto model = Model::Load(vm["model"].as<std::string>(), LoadOptionsFrom(vm));
  SessionOptions so = SessionOptionsFrom(vm);
  if (so.n_ctx == 0) so.n_ctx = std::max<int64_t>(static_cast<int64_t>(ids.size()), std::min<int64_t>(model->config().n_ctx_train, 4096));
  Session session(model, so);
  const std::vector<float> logits = session.Eval(ids, 0);

  const std::string out = vm["out"].as<std::string>();
  const std::string tmp = out + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(logits.data()), static_cast<std::streamsize>(logits.size() * sizeof(float)));
    if (!f) throw std::runtime_error(fmt::format("{}: write failed", tmp));
  }
  std::filesystem::rename(tmp, out);
  fmt::print(stderr, "wrote {} x {} logits to {} (kernel {}, {} threads)\n", ids.size(), model->config().n_vocab, out,
             session.kernels().name, session.n_threads());
  return 0;
}

}  // namespace bitnet::cli
