#include "engine/model/model.h"

#include <fmt/format.h>

#include <set>

#include "common/error.h"
#include "engine/model/gguf_keys.h"
#include "engine/model/hf_checkpoint.h"

namespace bitnet {

Model::Model(gguf::File file) : file_(std::move(file)) {}

std::shared_ptr<const Model> Model::Load(const std::string& path, const LoadOptions& opts) {
  // A Hugging Face BitNet checkpoint directory becomes an equivalent GGUF in memory.
  gguf::File file = IsHfCheckpointDir(path)
                        ? gguf::File::Parse(gguf::Mapping::FromBytes(HfBitnetToGguf(path)), path)
                        : gguf::File::Open(path);
  std::shared_ptr<Model> m(new Model(std::move(file)));
  m->config_ = ModelConfig::FromGguf(m->file_);
  m->weights_ = ModelWeights::FromGguf(m->file_, m->config_);
  const gguf::Value* model = m->file_.Find(keys::kTokenizerModel);
  if (!model || model->type != gguf::ValueType::STRING) {
    m->tokenizer_error_ = "the file has no tokenizer.ggml.model";
  } else if (model->s != "gpt2" && model->s != "llama") {
    m->tokenizer_error_ = fmt::format(
        "tokenizer '{}' is neither a byte-level BPE (gpt2) nor a SentencePiece (llama) vocabulary; pass token ids "
        "instead",
        model->s);
  } else {
    const PreTokenizer* pre = opts.pre_tokenizer ? &*opts.pre_tokenizer : nullptr;
    m->tokenizer_.emplace(Tokenizer::FromGguf(m->file_, pre));
    if (m->tokenizer_->n_vocab() > m->config_.n_vocab)
      throw FormatError(path, fmt::format("key '{}'", keys::kTokenizerTokens),
                        fmt::format("{} tokens but the model has {} embedding rows",
                                    m->tokenizer_->n_vocab(), m->config_.n_vocab));
  }
  return m;
}

const Tokenizer& Model::RequireTokenizer() const {
  if (!tokenizer_) throw UsageError(fmt::format("{}: {}", path(), tokenizer_error_));
  return *tokenizer_;
}

std::string Model::WeightTypeName() const {
  std::set<std::string> names;
  for (const auto& l : weights_.layers)
    for (const Linear* p : {&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down})
      names.insert(std::string(GetQuantTraits(p->type).name));
  return fmt::format("{}", fmt::join(names, "+"));
}

}  // namespace bitnet
