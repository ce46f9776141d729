// bitnet-eval inspect MODEL: metadata, tensors, types, sizes and parameter counts.
#include <fmt/format.h>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/model/model.h"
#include "harness/cli/options.h"
#include "kernels/quant_types.h"

namespace bitnet::cli {
namespace {

std::string Summarize(const gguf::Value& v) {
  using T = gguf::ValueType;
  switch (v.type) {
    case T::STRING: return v.s.size() > 80 ? fmt::format("\"{}...\" ({} bytes)", v.s.substr(0, 77), v.s.size()) : fmt::format("\"{}\"", v.s);
    case T::BOOL: return v.b ? "true" : "false";
    case T::FLOAT32: case T::FLOAT64: return fmt::format("{}", v.f);
    case T::ARRAY: return fmt::format("[{} x {}]", v.array_size(), gguf::ValueTypeName(v.elem_type));
    case T::INT8: case T::INT16: case T::INT32: case T::INT64: return fmt::format("{}", v.i);
    default: return fmt::format("{}", v.u);
  }
}

std::string TypeName(uint32_t id) {
  const QuantTraits* t = GetQuantTraits(id);
  return t ? std::string(t->name) : fmt::format("#{}", id);
}

}  // namespace

int RunInspect(const Args& args) {
  po::options_description desc("inspect options");
  desc.add_options()("model,m", po::value<std::string>()->required(), "GGUF model file")
      ("tensors", po::bool_switch(), "list every tensor (default: the first layer's and the rest)");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!Parse("inspect", "MODEL [--tensors]", desc, &pos, args, vm)) return 0;
  const std::string path = vm["model"].as<std::string>();

  gguf::File f = gguf::File::Open(path);
  fmt::print("file: {}\nGGUF version {}, {} bytes, alignment {}, {} metadata keys, {} tensors\n\n", path,
             f.version(), f.file_size(), f.alignment(), f.kv().size(), f.tensors().size());
  fmt::print("metadata:\n");
  for (const auto& [k, v] : f.kv()) fmt::print("  {:<48} {}\n", k, Summarize(v));

  const bool all = vm["tensors"].as<bool>();
  fmt::print("\ntensors:\n");
  uint64_t total_bytes = 0;
  int64_t total_params = 0, emb_params = 0;
  for (const auto& t : f.tensors()) {
    total_bytes += t.n_bytes;
    total_params += t.n_elements();
    if (t.name == "token_embd.weight" || t.name == "output.weight") emb_params += t.n_elements();
    const bool show = all || t.name.rfind("blk.", 0) != 0 || t.name.rfind("blk.0.", 0) == 0;
    if (show)
      fmt::print("  {:<32} {:<6} [{}]  {} bytes\n", t.name, TypeName(t.type_id), fmt::join(t.dims, ", "), t.n_bytes);
  }
  if (!all) fmt::print("  ... (--tensors lists all)\n");
  fmt::print("\nparameters: {} total, {} without embeddings; tensor data {} bytes ({:.3f} GB)\n", total_params,
             total_params - emb_params, total_bytes, static_cast<double>(total_bytes) / 1e9);

  try {
    auto model = Model::Load(path);
    const ModelConfig& c = model->config();
    fmt::print("\nmodel: {} ({}), vocab {}, ctx {}, embd {}, layers {}, ffn {}, heads {}/{} (head dim {}), "
               "rope theta {}, rms eps {}\nprojection types: {}; non-embedding linear weights: {}; "
               "projection bytes: {}\ntokenizer: {}\n",
               c.arch_name, c.name, c.n_vocab, c.n_ctx_train, c.n_embd, c.n_layer, c.n_ff, c.n_head, c.n_head_kv,
               c.head_dim, c.rope_theta, c.rms_eps, model->WeightTypeName(), model->weights().NonEmbeddingParams(),
               model->weights().ProjectionBytes(),
               model->tokenizer() ? fmt::format("byte-level BPE, {} tokens, pre-tokenizer {}", model->tokenizer()->n_vocab(),
                                                PreTokenizerName(model->tokenizer()->pre_tokenizer()))
                                  : model->tokenizer_error());
  } catch (const FormatError& e) {
    fmt::print("\nmodel: not runnable by this engine: {}\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace bitnet::cli
