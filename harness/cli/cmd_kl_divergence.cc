// bitnet-eval kl-divergence --base REF.gguf --model QUANT.gguf --text FILE [--ctx-size 512]
//   [--chunks N] [--json OUT]: KL divergence, top-1 agreement and perplexities of a quantized model
// against its reference (16-bit) model on a text, like llama.cpp's perplexity --kl-divergence
// (harness/quant_quality.h has the definitions). The text is tokenized with the reference
// model's tokenizer; both models must share the vocabulary.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "engine/engine.h"
#include "harness/cli/options.h"
#include "harness/quant_quality.h"

namespace bitnet::cli {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "file", "cannot be opened");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::ordered_json ToJson(const quality::Summary& s, const std::string& base, const std::string& quant,
                              const std::string& text, int64_t n_ctx, const std::string& kernel) {
  return {{"reference_model", base}, {"model", quant}, {"text", text}, {"n_ctx", n_ctx}, {"kernel", kernel},
          {"n_chunks", s.n_chunks}, {"n_tokens_scored", s.n_tokens},
          {"kl_divergence", {{"mean", s.kl_mean}, {"stderr", s.kl_stderr}, {"median", s.kl_median},
                             {"p99", s.kl_p99}, {"max", s.kl_max}}},
          {"top1_agreement", {{"mean", s.top1}, {"stderr", s.top1_stderr}}},
          {"perplexity", {{"reference", s.ppl_base}, {"model", s.ppl_quant}, {"ratio", s.ppl_quant / s.ppl_base},
                          {"ln_ratio", s.ln_ppl_ratio}, {"ln_ratio_stderr", s.ln_ppl_ratio_stderr}}},
          {"delta_p", {{"mean", s.delta_p_mean}, {"stderr", s.delta_p_stderr}}}};
}

}  // namespace

int RunKlDivergence(const Args& args) {
  po::options_description desc("kl-divergence options");
  desc.add_options()("base", po::value<std::string>()->required(), "reference model (e.g. the BF16 file)")
      ("model,m", po::value<std::string>()->required(), "quantized model (same architecture and vocabulary)")
      ("text", po::value<std::string>()->required(), "text file (UTF-8)")
      ("chunks", po::value<int64_t>()->default_value(0), "at most this many chunks (0: all)")
      ("json", po::value<std::string>()->default_value(""), "also write the figures as JSON to this file");
  AddRuntimeOptions(desc);
  po::variables_map vm;
  if (!Parse("kl-divergence", "--base REF --model QUANT --text FILE [--ctx-size 512] [--chunks N] [--json OUT]",
             desc, nullptr, args, vm))
    return 0;
  const LoadOptions lo = LoadOptionsFrom(vm);
  const SessionOptions so = SessionOptionsFrom(vm);
  auto base = Model::Load(vm["base"].as<std::string>(), lo);
  auto quant = Model::Load(vm["model"].as<std::string>(), lo);
  const Tokenizer& tok = base->RequireTokenizer();
  const std::string text_path = vm["text"].as<std::string>();
  const std::vector<int32_t> tokens = tok.Encode(ReadText(text_path), /*add_bos=*/false, /*parse_special=*/false);
  quality::Options o;
  o.n_ctx = so.n_ctx > 0 ? so.n_ctx : 512;
  o.max_chunks = vm["chunks"].as<int64_t>();
  o.n_threads = so.n_threads;
  o.kernel = so.kernel;
  const quality::Summary s = quality::Compare(base, quant, tokens, tok.add_bos(), tok.bos(), o);
  const std::string kernel = SelectKernels(o.kernel).name;

  fmt::print("reference: {} ({})\nmodel:     {} ({})\n", base->path(), base->WeightTypeName(), quant->path(),
             quant->WeightTypeName());
  fmt::print("text: {} ({} tokens), {} chunks of {}, {} positions scored, kernel {}\n\n", text_path, tokens.size(),
             s.n_chunks, o.n_ctx, s.n_tokens, kernel);
  fmt::print("Mean KLD:          {:.6f} ± {:.6f}\n", s.kl_mean, s.kl_stderr);
  fmt::print("Median KLD:        {:.6f}\n99.0% KLD:         {:.6f}\nMaximum KLD:       {:.6f}\n", s.kl_median, s.kl_p99,
             s.kl_max);
  fmt::print("Same top p:        {:.3f} ± {:.3f} %\n", 100.0 * s.top1, 100.0 * s.top1_stderr);
  fmt::print("PPL(ref):          {:.4f}\nPPL(model):        {:.4f}\n", s.ppl_base, s.ppl_quant);
  fmt::print("PPL ratio:         {:.6f}  (ln ratio {:.6f} ± {:.6f})\n", s.ppl_quant / s.ppl_base, s.ln_ppl_ratio,
             s.ln_ppl_ratio_stderr);
  fmt::print("Mean Δp:           {:.4f} ± {:.4f} %\n", 100.0 * s.delta_p_mean, 100.0 * s.delta_p_stderr);
  const std::string json_path = vm["json"].as<std::string>();
  if (!json_path.empty()) {
    const std::string tmp = json_path + ".tmp";
    {
      std::ofstream out(tmp);
      out << ToJson(s, base->path(), quant->path(), text_path, o.n_ctx, kernel).dump(2) << "\n";
      if (!out) throw std::runtime_error(fmt::format("{}: write failed", tmp));
    }
    if (std::rename(tmp.c_str(), json_path.c_str()) != 0) throw std::runtime_error("cannot write " + json_path);
  }
  return 0;
}

}  // namespace bitnet::cli
