// bitnet-eval make-model --shape 2b4t|small|tiny --type i2_s|tq2_0|tq1_0|f16 --seed N --out FILE
#include <fmt/format.h>

#include <chrono>

#include "common/error.h"
#include "engine/model/synthetic.h"
#include "harness/cli/options.h"

namespace bitnet::cli {

int RunMakeModel(const Args& args) {
  po::options_description desc("make-model options");
  desc.add_options()("shape", po::value<std::string>()->default_value("2b4t"), "2b4t | small | tiny")
      ("type", po::value<std::string>()->default_value("i2_s"), "projection type: i2_s | tq2_0 | tq1_0 | f16 | f32")
      ("seed", po::value<uint64_t>()->default_value(1), "weights seed")
      ("tokenizer", po::value<std::string>()->default_value(""),
       "LLaMA-3 ranks file (tokenizer.model) for a real vocabulary; default: byte-level")
      ("threads,t", po::value<int>()->default_value(0), "threads (the output does not depend on it)")
      ("out,o", po::value<std::string>()->required(), "output GGUF file");
  po::variables_map vm;
  if (!Parse("make-model", "--shape 2b4t|small|tiny --type i2_s|tq2_0|tq1_0|f16 --seed N --out FILE", desc, nullptr,
             args, vm))
    return 0;
  SyntheticOptions o;
  o.shape = ShapeByName(vm["shape"].as<std::string>());
  const auto type = QuantTypeFromName(vm["type"].as<std::string>());
  if (!type) throw UsageError(fmt::format("unknown type '{}'", vm["type"].as<std::string>()));
  o.type = *type;
  o.seed = vm["seed"].as<uint64_t>();
  o.tokenizer_ranks = vm["tokenizer"].as<std::string>();
  o.threads = vm["threads"].as<int>();
  const auto t0 = std::chrono::steady_clock::now();
  WriteSyntheticModel(o, vm["out"].as<std::string>());
  fmt::print(stderr, "wrote {} ({} shape, {} projections, seed {}) in {:.1f} s\n", vm["out"].as<std::string>(),
             o.shape.name, GetQuantTraits(o.type).name, o.seed,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}

}  // namespace bitnet::cli
