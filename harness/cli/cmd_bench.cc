// bitnet-eval bench --model MODEL -p 128 -n 32 -t 2 [-r 5] [--json]
#include <fmt/format.h>

#include <sstream>

#include "common/error.h"
#include "engine/engine.h"
#include "harness/bench.h"
#include "harness/build_info.h"
#include "harness/cli/options.h"
#include "harness/run_context.h"

namespace bitnet::cli {
namespace {

std::vector<int64_t> ParseList(const std::string& s, const char* what) {
  std::vector<int64_t> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      const long long v = std::stoll(item, &used);
      if (used != item.size() || v < 0) throw std::invalid_argument(item);
      out.push_back(v);
    } catch (const std::exception&) {
      throw UsageError(fmt::format("{}: '{}' is not a non-negative number", what, item));
    }
  }
  return out;
}

}  // namespace

int RunBench(const Args& args) {
  po::options_description desc("bench options");
  desc.add_options()("model,m", po::value<std::string>()->required(), "GGUF model")
      ("n-prompt,p", po::value<std::string>()->default_value("128"), "prompt lengths, comma-separated (0: skip)")
      ("n-gen,n", po::value<std::string>()->default_value("32"), "generated lengths, comma-separated (0: skip)")
      ("repetitions,r", po::value<int>()->default_value(5), "repetitions of each test")
      ("no-warmup", po::bool_switch(), "skip the warm-up run")
      ("json", po::bool_switch(), "print JSON instead of the table");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("bench", "--model MODEL -p 128 -n 32 -t 2 [-r 5] [--json]", desc, nullptr, args, vm)) return 0;
  BenchOptions bo;
  bo.n_prompt = ParseList(vm["n-prompt"].as<std::string>(), "--n-prompt");
  bo.n_gen = ParseList(vm["n-gen"].as<std::string>(), "--n-gen");
  bo.repetitions = vm["repetitions"].as<int>();
  bo.warmup = !vm["no-warmup"].as<bool>();
  if (bo.repetitions < 1) throw UsageError("--repetitions must be at least 1");

  auto model = Model::Load(vm["model"].as<std::string>(), LoadOptionsFrom(vm));
  SessionOptions so = SessionOptionsFrom(vm);
  int64_t need = 8;
  for (int64_t n : bo.n_prompt) need = std::max(need, n);
  for (int64_t n : bo.n_gen) need = std::max(need, n);
  if (so.n_ctx == 0) so.n_ctx = need;
  Session session(model, so);
  const auto tests = bitnet::RunBench(session, bo);
  if (vm["json"].as<bool>()) {
    nlohmann::json j = {{"host", ToJson(ReadHostInfo())}, {"results", BenchJson(*model, session, tests)}};
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("{}", BenchTable(*model, session, tests));
    fmt::print("\nbuild {}, kernel {}, {} threads, {} repetitions (t/s: mean ± stddev, and median)\n", BuildGitHash(),
               session.kernels().name, session.n_threads(), bo.repetitions);
  }
  return 0;
}

}  // namespace bitnet::cli
