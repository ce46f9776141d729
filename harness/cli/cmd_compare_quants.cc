// bitnet-eval compare-quants --shape llama3.2-1b --types bf16,q8_0,q4_0,tq2_0,i2_s,q1_0_g128
//   [--dir DIR] [--text FILE] [-p 128 -n 32 -r 3] [--json OUT]
// One command for a low-bit comparison: the same synthetic architecture (engine/model/synthetic.h:
// the same latent weights for every type) written in each weight type (kept in DIR and reused),
// then for each: file size, non-embedding weights and their bits per weight, prefill/decode
// tokens/s (bench.h), and, with --text, KL divergence / top-1 agreement / perplexity ratio
// against the first type (quant_quality.h). Speed and size are meaningful on synthetic weights;
// the quality figures measure only how far each format moves the same random model.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/model/synthetic.h"
#include "harness/bench.h"
#include "harness/cli/options.h"
#include "harness/quant_quality.h"

namespace bitnet::cli {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "file", "cannot be opened");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int RunCompareQuants(const Args& args) {
  po::options_description desc("compare-quants options");
  desc.add_options()("shape", po::value<std::string>()->default_value("llama3.2-1b"), "make-model shape")
      ("types", po::value<std::string>()->default_value("bf16,q8_0,q4_0,tq2_0,i2_s,q1_0_g128"),
       "comma-separated projection types; the first is the reference")
      ("dir", po::value<std::string>()->default_value("quant-models"), "where the models are written (reused)")
      ("seed", po::value<uint64_t>()->default_value(1), "weights seed")
      ("text", po::value<std::string>()->default_value(""), "text for KL divergence vs the first type")
      ("chunks", po::value<int64_t>()->default_value(4), "KL chunks (0: all)")
      ("n-prompt,p", po::value<int64_t>()->default_value(128), "prefill tokens")
      ("n-gen,n", po::value<int64_t>()->default_value(32), "decode tokens")
      ("repetitions,r", po::value<int>()->default_value(3), "bench repetitions")
      ("json", po::value<std::string>()->default_value(""), "write the rows as JSON");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("compare-quants", "--shape S --types bf16,q4_0,i2_s [--dir DIR] [--text FILE] [--json OUT]", desc,
             nullptr, args, vm))
    return 0;
  const SyntheticShape shape = ShapeByName(vm["shape"].as<std::string>());
  std::vector<QuantType> types;
  for (const auto& name : SplitList(vm["types"].as<std::string>())) {
    const auto t = QuantTypeFromName(name);
    if (!t) throw UsageError(fmt::format("unknown type '{}'", name));
    types.push_back(*t);
  }
  if (types.empty()) throw UsageError("--types is empty");
  const std::filesystem::path dir = vm["dir"].as<std::string>();
  std::filesystem::create_directories(dir);
  const uint64_t seed = vm["seed"].as<uint64_t>();
  SessionOptions so = SessionOptionsFrom(vm);
  const LoadOptions lo = LoadOptionsFrom(vm);
  BenchOptions bo;
  bo.n_prompt = {vm["n-prompt"].as<int64_t>()};
  bo.n_gen = {vm["n-gen"].as<int64_t>()};
  bo.repetitions = vm["repetitions"].as<int>();
  const std::string text_path = vm["text"].as<std::string>();

  std::vector<std::string> paths;
  for (QuantType t : types) {
    const auto path = dir / fmt::format("{}-{}-seed{}.gguf", shape.name, GetQuantTraits(t).name, seed);
    if (!std::filesystem::exists(path)) {
      SyntheticOptions o;
      o.shape = shape;
      o.type = t;
      o.seed = seed;
      o.threads = so.n_threads;
      fmt::print(stderr, "writing {}\n", path.string());
      WriteSyntheticModel(o, path.string());
    }
    paths.push_back(path.string());
  }

  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::shared_ptr<const Model> reference;
  std::vector<int32_t> tokens;
  fmt::print("| {:<10} | {:>10} | {:>12} | {:>7} | {:>10} | {:>10} | {:>9} | {:>8} | {:>9} |\n", "type", "file MiB",
             "non-emb MiB", "bpw", "pp t/s", "tg t/s", "KLD", "top-1 %", "PPL ratio");
  fmt::print("|{:-<12}|{:->12}|{:->14}|{:->9}|{:->12}|{:->12}|{:->11}|{:->10}|{:->11}|\n", "", "", "", "", "", "", "", "", "");
  for (size_t i = 0; i < types.size(); ++i) {
    auto model = Model::Load(paths[i], lo);
    const ModelWeights& w = model->weights();
    const double params = static_cast<double>(w.NonEmbeddingParams());
    const double proj_bytes = static_cast<double>(w.ProjectionBytes());
    Session session(model, so);
    const std::vector<BenchTest> tests = RunBench(session, bo);
    nlohmann::ordered_json row = {{"type", GetQuantTraits(types[i]).name}, {"file", paths[i]},
                                  {"file_bytes", std::filesystem::file_size(paths[i])},
                                  {"non_embedding_params", w.NonEmbeddingParams()},
                                  {"projection_bytes", w.ProjectionBytes()},
                                  {"bits_per_weight", 8.0 * proj_bytes / params}, {"kernel", session.kernels().name}};
    for (const BenchTest& t : tests) row[t.name + "_tokens_per_second_median"] = t.median();
    std::string kld = "-", top1 = "-", ratio = "-";
    if (!text_path.empty()) {
      if (i == 0) {
        reference = model;
        tokens = model->RequireTokenizer().Encode(ReadText(text_path), false, false);
      } else {
        quality::Options qo;
        qo.n_ctx = so.n_ctx > 0 ? so.n_ctx : 512;
        qo.max_chunks = vm["chunks"].as<int64_t>();
        qo.n_threads = so.n_threads;
        qo.kernel = so.kernel;
        const Tokenizer& tok = reference->RequireTokenizer();
        const quality::Summary s = quality::Compare(reference, model, tokens, tok.add_bos(), tok.bos(), qo);
        kld = fmt::format("{:.5f}", s.kl_mean);
        top1 = fmt::format("{:.2f}", 100.0 * s.top1);
        ratio = fmt::format("{:.4f}", s.ppl_quant / s.ppl_base);
        row["kl_divergence_mean"] = s.kl_mean;
        row["top1_agreement"] = s.top1;
        row["perplexity_ratio"] = s.ppl_quant / s.ppl_base;
      }
    }
    fmt::print("| {:<10} | {:>10.1f} | {:>12.1f} | {:>7.3f} | {:>10.2f} | {:>10.2f} | {:>9} | {:>8} | {:>9} |\n",
               GetQuantTraits(types[i]).name, std::filesystem::file_size(paths[i]) / 1048576.0, proj_bytes / 1048576.0,
               8.0 * proj_bytes / params, tests.size() > 0 ? tests[0].median() : 0.0,
               tests.size() > 1 ? tests[1].median() : 0.0, kld, top1, ratio);
    rows.push_back(row);
  }
  fmt::print("\nshape {} ({} non-embedding weights), seed {}, {} threads; medians of {} repetitions\n", shape.name,
             shape.LinearParams(), seed, so.n_threads, bo.repetitions);
  const std::string json_path = vm["json"].as<std::string>();
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << nlohmann::ordered_json{{"shape", shape.name}, {"seed", seed}, {"rows", rows}}.dump(2) << "\n";
    if (!out) throw std::runtime_error(fmt::format("{}: write failed", json_path));
  }
  return 0;
}

}  // namespace bitnet::cli
