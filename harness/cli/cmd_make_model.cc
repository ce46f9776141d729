// bitnet-eval make-model --shape NAME --type TYPE [--embedding-type TYPE] --seed N --out FILE
#include <fmt/format.h>

#include <chrono>

#include "common/error.h"
#include "engine/model/synthetic.h"
#include "harness/cli/options.h"

namespace bitnet::cli {

int RunMakeModel(const Args& args) {
  po::options_description desc("make-model options");
  std::string shapes;
  for (const auto& n : ShapeNames()) shapes += (shapes.empty() ? "" : " | ") + n;
  desc.add_options()("shape", po::value<std::string>()->default_value("2b4t"), shapes.c_str())
      ("type", po::value<std::string>()->default_value(""),
       "projection type: i2_s | tq2_0 | tq1_0 | f16 | bf16 | f32 | q8_0 | q4_0 | q4_k | q6_k | q1_0_g128 "
       "(default: the shape's release format: bf16 for the 16-bit baselines, i2_s for 2b4t, q1_0_g128 for bonsai-8b)")
      ("embedding-type", po::value<std::string>()->default_value(""),
       "token embedding (and untied head) type; default bf16 for bf16 projections, f16 otherwise")
      ("seed", po::value<uint64_t>()->default_value(1), "weights seed")
      ("tokenizer", po::value<std::string>()->default_value(""),
       "LLaMA-3 ranks file (tokenizer.model) for a real vocabulary; default: byte-level")
      ("threads,t", po::value<int>()->default_value(0), "threads (the output does not depend on it)")
      ("out,o", po::value<std::string>()->required(), "output GGUF file");
  po::variables_map vm;
  if (!Parse("make-model", "--shape NAME --type TYPE [--embedding-type TYPE] --seed N --out FILE", desc, nullptr,
             args, vm))
    return 0;
  SyntheticOptions o;
  o.shape = ShapeByName(vm["shape"].as<std::string>());
  auto parse_type = [](const std::string& name) {
    const auto t = QuantTypeFromName(name);
    if (!t) throw UsageError(fmt::format("unknown type '{}'", name));
    return *t;
  };
  const std::string type_name = vm["type"].as<std::string>();
  o.type = type_name.empty() ? o.shape.native_type : parse_type(type_name);
  if (!vm["embedding-type"].as<std::string>().empty()) o.embedding_type = parse_type(vm["embedding-type"].as<std::string>());
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
