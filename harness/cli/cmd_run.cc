// bitnet-eval --suite paper-table [--model PATH] [--out DIR]
// Until the suite is tied to the evaluation harness and the reports, it runs the efficiency rows
// of Table 1 (memory, decode latency) on the model given, or on a synthetic model with the exact
// BitNet b1.58 2B4T shape that it writes itself; accuracy rows are listed as not run, with the
// command that runs them (`bitnet-eval eval`).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/model/synthetic.h"
#include "harness/bench.h"
#include "harness/cli/options.h"
#include "harness/run_context.h"

namespace bitnet::cli {

int RunSuite(const Args& args) {
  po::options_description desc("run options");
  desc.add_options()("suite", po::value<std::string>()->default_value("paper-table"), "suite name: paper-table")
      ("model,m", po::value<std::string>()->default_value(""), "GGUF model (default: a synthetic 2B4T I2_S model)")
      ("out,o", po::value<std::string>()->default_value("bitnet-eval-out"), "output folder")
      ("n-gen,n", po::value<int64_t>()->default_value(16), "generated tokens for the latency row")
      ("repetitions,r", po::value<int>()->default_value(3), "repetitions");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("run", "--suite paper-table [--model PATH] [--out DIR]", desc, nullptr, args, vm)) return 0;
  const std::string suite = vm["suite"].as<std::string>();
  if (suite != "paper-table") throw UsageError(fmt::format("unknown suite '{}' (available: paper-table)", suite));
  const std::filesystem::path out = vm["out"].as<std::string>();
  std::filesystem::create_directories(out);

  std::string model_path = vm["model"].as<std::string>();
  bool synthetic = false;
  if (model_path.empty()) {
    synthetic = true;
    model_path = (out / "synthetic-2b4t-i2_s-seed1.gguf").string();
    if (!std::filesystem::exists(model_path)) {
      fmt::print(stderr, "writing the built-in synthetic model (BitNet b1.58 2B4T shape, I2_S, seed 1) to {}\n",
                 model_path);
      SyntheticOptions so;
      so.shape = ShapeByName("2b4t");
      so.type = QuantType::I2_S;
      so.seed = 1;
      so.threads = vm["threads"].as<int>();
      WriteSyntheticModel(so, model_path);
    }
  }
  auto model = Model::Load(model_path, LoadOptionsFrom(vm));
  if (const gguf::Value* v = model->file().Find("bitnet-eval.synthetic"); v && v->type == gguf::ValueType::BOOL)
    synthetic = synthetic || v->b;
  SessionOptions sopt = SessionOptionsFrom(vm);
  if (sopt.n_ctx == 0) sopt.n_ctx = 512;
  Session session(model, sopt);
  BenchOptions bo;
  bo.n_prompt = {};
  bo.n_gen = {vm["n-gen"].as<int64_t>()};
  bo.repetitions = vm["repetitions"].as<int>();
  const auto tests = bitnet::RunBench(session, bo);

  const auto& w = model->weights();
  const double ternary_gb = static_cast<double>(w.NonEmbeddingParams()) * std::log2(3.0) / 8.0 / 1e9;
  const double tpot_ms = tests.empty() ? 0.0 : 1000.0 / tests[0].median();
  std::string md = fmt::format("## bitnet-eval --suite paper-table ({}{})\n\n", model_path, synthetic ? ", synthetic weights" : "");
  md += fmt::format("| row | measured | published (BitNet b1.58 2B) |\n|---|---|---|\n");
  md += fmt::format("| Memory (non-emb, log2(3) bits/weight) | {:.2f} GB | 0.4GB |\n", ternary_gb);
  md += fmt::format("| Memory (projections as stored) | {:.2f} GB | |\n", static_cast<double>(w.ProjectionBytes()) / 1e9);
  md += fmt::format("| Latency (CPU; TPOT, median of {} x tg{}) | {:.1f} ms | 29ms (i7-13800H, 8 threads) |\n",
                    bo.repetitions, bo.n_gen[0], tpot_ms);
  md += "\nAccuracy rows: not run by this suite yet; run them with `bitnet-eval eval --model MODEL --tasks arc_challenge,...`.\n";
  if (synthetic)
    md += "Synthetic weights: accuracy on them would be meaningless; pass --model path/to/ggml-model-i2_s.gguf for real figures.\n";
  md += fmt::format("\nkernel {}, {} threads, build {}\n", session.kernels().name, session.n_threads(), BITNET_GIT_HASH);
  fmt::print("{}", md);

  nlohmann::json j = {{"schema_version", "0.1"},
                      {"suite", suite},
                      {"host", ToJson(ReadHostInfo())},
                      {"model", {{"path", model_path}, {"synthetic", synthetic}, {"sha256", Sha256File(model_path)}}},
                      {"kernel", session.kernels().name},
                      {"tokenizer_pre", model->tokenizer() ? std::string(PreTokenizerName(model->tokenizer()->pre_tokenizer()))
                                                           : "none"},
                      {"threads", session.n_threads()},
                      {"bench", BenchJson(*model, session, tests)}};
  const auto json_path = out / "report.json";
  const auto tmp = out / "report.json.tmp";
  {
    std::ofstream f(tmp);
    f << j.dump(2) << "\n";
    if (!f) throw std::runtime_error(fmt::format("{}: write failed", tmp.string()));
  }
  std::filesystem::rename(tmp, json_path);
  fmt::print(stderr, "wrote {}\n", json_path.string());
  return 0;
}

}  // namespace bitnet::cli
