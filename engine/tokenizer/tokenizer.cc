// Byte-level BPE tokenizer (LLaMA-3). See tokenizer.h for the public contract.
//
// Encode(text):
//  1. Special tokens written literally are cut out first: at each position the longest special
//     token that starts there wins. Control (3) and unknown (2) tokens only when parse_special;
//     user-defined (4) tokens always, as llama.cpp does. Unused (5) tokens never.
//  2. Each remaining fragment is cut into maximal runs of valid UTF-8 and single invalid bytes
//     (strict UTF-8: overlong forms, surrogates, code points above U+10FFFF, stray continuation
//     bytes and truncated sequences are invalid). An invalid byte becomes the token of that single
//     byte, on its own: it never merges with its neighbours. Valid runs are pre-tokenized
//     independently (so a lookahead never sees an invalid byte). Decode gives every byte back, so
//     Decode(Encode(x)) == x for any bytes x.
//  3. Each piece from the pre-tokenizer is BPE-encoded (bpe.h). With the LLaMA-3 split a piece
//     that is itself a token is emitted directly (llama.cpp's ignore_merges for llama3, and
//     tiktoken's behaviour); the default split does not do this, as in llama.cpp. BPE results of
//     short pieces are kept in a bounded per-thread cache (lookup.h).
#include "engine/tokenizer/tokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <unordered_map>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/tokenizer/bpe.h"
#include "engine/tokenizer/lookup.h"
#include "engine/tokenizer/byte_unicode.h"
#include "engine/tokenizer/pretokenizer.h"
#include "engine/tokenizer/spm.h"
#include "engine/tokenizer/vocab.h"

namespace bitnet {

using tokenizer::TokenType;

namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

bool DecodesAsBytes(int32_t type) {
  return type == tokenizer::kTypeNormal || type == tokenizer::kTypeByte ||
         type == tokenizer::kTypeUndefined;
}

// Special tokens grouped by first byte, longest first, for the literal-text scan.
struct SpecialMatcher {
  std::array<std::vector<int32_t>, 256> by_first;
  std::array<bool, 256> any{};
  void Add(int32_t id, const std::string& text) {
    if (text.empty()) return;
    const auto c = static_cast<uint8_t>(text[0]);
    by_first[c].push_back(id);
    any[c] = true;
  }
  void Sort(const std::vector<std::string>& texts) {
    for (auto& v : by_first) {
      std::stable_sort(v.begin(), v.end(), [&](int32_t a, int32_t b) {
        return texts[a].size() > texts[b].size();
      });
    }
  }
  // The special token starting at text[pos] (longest wins), or -1.
  int32_t Match(std::string_view text, size_t pos, const std::vector<std::string>& texts) const {
    const auto c = static_cast<uint8_t>(text[pos]);
    if (!any[c]) return -1;
    for (int32_t id : by_first[c]) {
      const std::string& t = texts[id];
      if (text.compare(pos, t.size(), t) == 0) return id;
    }
    return -1;
  }
};

}  // namespace

struct Tokenizer::Impl {
  std::vector<std::string> texts;  // TokenBytes(): raw bytes, or the literal text of a special
  std::vector<int32_t> types;
  tokenizer::TokenIndex normal_ids;  // raw bytes -> id (normal/byte tokens; lowest id wins)
  StringMap<int32_t> special_ids;  // text -> id (all other types)
  tokenizer::BpeMerger bpe;
  PreTokenizer pre = PreTokenizer::kLlama3;
  const tokenizer::PreSplitter* splitter = nullptr;
  bool ignore_merges = true;
  int32_t bos = -1, eos = -1, eot = -1, eom = -1;
  bool add_bos = false;
  SpecialMatcher parse_special_matcher;  // control + unknown + user-defined
  SpecialMatcher always_matcher;         // user-defined only

  // SentencePiece-style vocabularies (tokenizer.ggml.model "llama"): every raw fragment is
  // prefixed with a space (when add_space_prefix), escaped and merged by score (spm.h).
  std::unique_ptr<tokenizer::SpmEncoder> spm;
  bool add_space_prefix = true;

  const uint64_t cache_owner = tokenizer::PieceCache::NewOwner();

  int32_t n_vocab() const { return static_cast<int32_t>(texts.size()); }

  // Builds the lookup maps from texts/types. Merges are added by the caller afterwards.
  void BuildMaps() {
    std::vector<bool> as_bytes(texts.size());
    for (size_t id = 0; id < texts.size(); ++id) as_bytes[id] = DecodesAsBytes(types[id]);
    normal_ids.Build(&texts, as_bytes);
    for (int32_t id = 0; id < n_vocab(); ++id) {
      const int32_t t = types[id];
      if (DecodesAsBytes(t)) {
        if (texts[id].size() == 1) {
          const auto b = static_cast<uint8_t>(texts[id][0]);
          if (bpe.ByteToken(b) < 0) bpe.SetByteToken(b, id);
        }
        continue;
      }
      special_ids.emplace(texts[id], id);
      if (t == tokenizer::kTypeControl || t == tokenizer::kTypeUnknown ||
          t == tokenizer::kTypeUserDefined) {
        parse_special_matcher.Add(id, texts[id]);
      }
      if (t == tokenizer::kTypeUserDefined) always_matcher.Add(id, texts[id]);
    }
    parse_special_matcher.Sort(texts);
    always_matcher.Sort(texts);
  }

  void SetPreTokenizer(PreTokenizer p) {
    pre = p;
    splitter = &tokenizer::PreSplitter::Get(p);
    ignore_merges = p == PreTokenizer::kLlama3;
  }

  int32_t FindSpecial(std::string_view text) const {
    auto it = special_ids.find(text);
    return it == special_ids.end() ? -1 : it->second;
  }

  void EncodePiece(std::string_view piece, std::vector<int32_t>* out) const {
    if (ignore_merges) {
      const int32_t id = normal_ids.Find(piece);
      if (id >= 0) {
        out->push_back(id);
        return;
      }
    }
    using tokenizer::PieceCache;
    if (piece.size() <= 2 || piece.size() > PieceCache::kMaxPieceBytes) {
      bpe.Encode(piece, out);
      return;
    }
    if (PieceCache::Lookup(cache_owner, piece, out)) return;
    const size_t before = out->size();
    bpe.Encode(piece, out);
    PieceCache::Store(cache_owner, piece, out->data() + before, out->size() - before);
  }

  // Text without special tokens: valid UTF-8 runs are pre-tokenized, invalid bytes stand alone.
  void EncodeRaw(std::string_view text, std::vector<int32_t>* out) const {
    if (spm) {
      // llama.cpp: each raw fragment is either the first or follows a special token, and both
      // get the space prefix; an empty fragment gives nothing.
      if (text.empty()) return;
      spm->Encode(tokenizer::EscapeSpmWhitespace(add_space_prefix ? " " + std::string(text) : std::string(text)), out);
      return;
    }
    std::vector<std::string_view> pieces;
    size_t i = 0;
    while (i < text.size()) {
      size_t run = i;
      while (run < text.size()) {
        const auto c = static_cast<uint8_t>(text[run]);
        if (c < 0x80) {
          ++run;
          continue;
        }
        const size_t len = tokenizer::Utf8SequenceLength(text.substr(run));
        if (len == 0) break;
        run += len;
      }
      if (run > i) {
        pieces.clear();
        splitter->Split(text.substr(i, run - i), &pieces);
        for (std::string_view p : pieces) EncodePiece(p, out);
      }
      if (run < text.size()) {  // one invalid byte
        const int32_t id = bpe.ByteToken(static_cast<uint8_t>(text[run]));
        if (id >= 0) out->push_back(id);
        ++run;
      }
      i = run;
    }
  }
};

std::string_view PreTokenizerName(PreTokenizer p) {
  switch (p) {
    case PreTokenizer::kDefault: return "default";
    case PreTokenizer::kQwen2: return "qwen2";
    case PreTokenizer::kSmolLM: return "smollm";
    case PreTokenizer::kLlama3: break;
  }
  return "llama3";
}

PreTokenizer ParsePreTokenizer(std::string_view name) {
  if (name == "llama3" || name == "llama-bpe" || name == "llama-v3" || name == "falcon3") return PreTokenizer::kLlama3;
  if (name == "default") return PreTokenizer::kDefault;
  if (name == "qwen2") return PreTokenizer::kQwen2;
  if (name == "smollm") return PreTokenizer::kSmolLM;
  throw UsageError("unknown pre-tokenizer '" + std::string(name) +
                   "' (expected llama3, default, qwen2 or smollm)");
}

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

namespace {

const gguf::Value* FindArray(const gguf::File& f, std::string_view key, gguf::ValueType elem,
                             bool required) {
  const gguf::Value* v = required ? &f.Require(key) : f.Find(key);
  if (!v) return nullptr;
  gguf::Value probe;  // is_integer() looks at `type`: ask it about the element type
  probe.type = v->elem_type;
  const bool want_float = elem == gguf::ValueType::FLOAT32 || elem == gguf::ValueType::FLOAT64;
  const bool ok = v->type == gguf::ValueType::ARRAY &&
                  (elem == gguf::ValueType::STRING ? v->elem_type == gguf::ValueType::STRING
                   : want_float                    ? probe.is_float()
                                                   : probe.is_integer());
  if (!ok) {
    throw FormatError(f.path(), "key " + std::string(key),
                      elem == gguf::ValueType::STRING ? "expected an array of strings"
                      : want_float                    ? "expected an array of floats"
                                                      : "expected an array of integers");
  }
  return v;
}

int32_t OptionalId(const gguf::File& f, std::string_view key, int32_t n_vocab) {
  if (!f.Find(key)) return -1;
  const uint64_t id = f.GetUint(key);
  if (id >= static_cast<uint64_t>(n_vocab)) {
    throw FormatError(f.path(), "key " + std::string(key),
                      "token id " + std::to_string(id) + " >= vocabulary size " +
                          std::to_string(n_vocab));
  }
  return static_cast<int32_t>(id);
}

// A BYTE-type token: "<0xHH>" (SentencePiece style) or a GPT-2 string.
std::string ByteTokenBytes(const std::string& text) {
  if (text.size() == 6 && text.compare(0, 3, "<0x") == 0 && text[5] == '>') {
    const std::string hex = text.substr(3, 2);
    if (std::isxdigit(static_cast<unsigned char>(hex[0])) &&
        std::isxdigit(static_cast<unsigned char>(hex[1]))) {
      return std::string(1, static_cast<char>(std::stoi(hex, nullptr, 16)));
    }
  }
  return tokenizer::Gpt2ToBytes(text);
}

PreTokenizer PreFromFile(const gguf::File& f) {
  const gguf::Value* v = f.Find("tokenizer.ggml.pre");
  if (!v) return PreTokenizer::kLlama3;  // absent in the official BitNet file: docs/FORMATS.md §2
  const std::string name = f.GetString("tokenizer.ggml.pre");
  if (name == "default") return PreTokenizer::kDefault;
  if (name == "llama-bpe" || name == "llama3" || name == "llama-v3" || name == "falcon3") return PreTokenizer::kLlama3;
  if (name == "qwen2") return PreTokenizer::kQwen2;
  if (name == "smollm") return PreTokenizer::kSmolLM;
  throw FormatError(f.path(), "key tokenizer.ggml.pre",
                    "unsupported pre-tokenizer '" + name +
                        "' (supported: llama-bpe, falcon3, qwen2, smollm, default; pass one explicitly to override)");
}

}  // namespace

Tokenizer Tokenizer::FromGguf(const gguf::File& f, const PreTokenizer* pre) {
  auto impl = std::make_unique<Impl>();
  const std::string model = f.GetString("tokenizer.ggml.model");
  if (model != "gpt2" && model != "llama") {
    throw FormatError(f.path(), "key tokenizer.ggml.model",
                      "unsupported tokenizer model '" + model + "' (gpt2 byte-level BPE, llama SentencePiece)");
  }
  const bool is_spm = model == "llama";
  const gguf::Value* tokens = FindArray(f, "tokenizer.ggml.tokens", gguf::ValueType::STRING, true);
  const size_t n = tokens->strs.size();
  if (n == 0 || n > (1u << 30)) {
    throw FormatError(f.path(), "key tokenizer.ggml.tokens",
                      "bad vocabulary size " + std::to_string(n));
  }
  const gguf::Value* types = FindArray(f, "tokenizer.ggml.token_type", gguf::ValueType::INT32, false);
  if (types && types->ints.size() != n) {
    throw FormatError(f.path(), "key tokenizer.ggml.token_type",
                      std::to_string(types->ints.size()) + " types for " + std::to_string(n) +
                          " tokens");
  }
  impl->texts.resize(n);
  impl->types.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = types ? types->ints[i] : int64_t{tokenizer::kTypeNormal};
    if (t < tokenizer::kTypeUndefined || t > tokenizer::kTypeByte) {
      throw FormatError(f.path(), "key tokenizer.ggml.token_type",
                        "token " + std::to_string(i) + " has type " + std::to_string(t));
    }
    const std::string& s = tokens->strs[i];
    impl->types[i] = static_cast<int32_t>(t);
    impl->texts[i] = t == tokenizer::kTypeByte ? ByteTokenBytes(s)
                     : !DecodesAsBytes(static_cast<int32_t>(t)) ? s
                     : is_spm ? tokenizer::UnescapeSpmWhitespace(s)
                              : tokenizer::Gpt2ToBytes(s);
  }
  impl->BuildMaps();
  if (is_spm) {
    const gguf::Value* scores = FindArray(f, "tokenizer.ggml.scores", gguf::ValueType::FLOAT32, false);
    if (scores && scores->floats.size() != n)
      throw FormatError(f.path(), "key tokenizer.ggml.scores",
                        std::to_string(scores->floats.size()) + " scores for " + std::to_string(n) + " tokens");
    impl->spm = std::make_unique<tokenizer::SpmEncoder>();
    for (size_t i = 0; i < n; ++i) {
      const auto id = static_cast<int32_t>(i);
      if (impl->types[i] == tokenizer::kTypeByte && impl->texts[i].size() == 1) {
        impl->spm->SetByteToken(static_cast<uint8_t>(impl->texts[i][0]), id);
      } else {
        impl->spm->AddToken(tokens->strs[i], id, scores ? static_cast<float>(scores->floats[i]) : 0.0f);
      }
    }
    impl->add_space_prefix = f.GetBool("tokenizer.ggml.add_space_prefix", true);
  }

  if (const gguf::Value* merges =
          FindArray(f, "tokenizer.ggml.merges", gguf::ValueType::STRING, false)) {
    impl->bpe.Reserve(merges->strs.size());
    for (size_t r = 0; r < merges->strs.size(); ++r) {
      const std::string& m = merges->strs[r];
      const size_t sp = m.find(' ', 1);
      if (sp == std::string::npos) {
        throw FormatError(f.path(), "key tokenizer.ggml.merges",
                          "merge " + std::to_string(r) + " is not \"left right\"");
      }
      const std::string left = tokenizer::Gpt2ToBytes(std::string_view(m).substr(0, sp));
      const std::string right = tokenizer::Gpt2ToBytes(std::string_view(m).substr(sp + 1));
      const int32_t l = impl->normal_ids.Find(left);
      const int32_t rr = impl->normal_ids.Find(right);
      const int32_t res = impl->normal_ids.Find(left + right);
      // A merge whose parts or result are not tokens can never apply usefully: skip it.
      if (l < 0 || rr < 0 || res < 0) continue;
      impl->bpe.AddMerge(l, rr, res, static_cast<int32_t>(r));
    }
  }

  const int32_t nv = impl->n_vocab();
  impl->bos = OptionalId(f, "tokenizer.ggml.bos_token_id", nv);
  impl->eos = OptionalId(f, "tokenizer.ggml.eos_token_id", nv);
  impl->eot = OptionalId(f, "tokenizer.ggml.eot_token_id", nv);
  if (impl->eot < 0) impl->eot = impl->FindSpecial("<|eot_id|>");
  impl->eom = OptionalId(f, "tokenizer.ggml.eom_token_id", nv);
  if (impl->eom < 0) impl->eom = impl->FindSpecial("<|eom_id|>");
  impl->add_bos = f.GetBool("tokenizer.ggml.add_bos_token", impl->bos >= 0) && impl->bos >= 0;
  impl->SetPreTokenizer(pre ? *pre : PreFromFile(f));
  return Tokenizer(std::move(impl));
}

Tokenizer Tokenizer::FromRanksFile(const std::string& path, PreTokenizer pre) {
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> ranks = tokenizer::ReadRanksFile(path);
  const auto base = static_cast<int32_t>(ranks.size());
  const std::vector<tokenizer::DerivedMerge> merges = tokenizer::DeriveMerges(ranks);
  impl->texts = std::move(ranks);
  impl->types.assign(impl->texts.size(), tokenizer::kTypeNormal);
  for (const std::string& s : tokenizer::Llama3SpecialTokens()) {
    impl->texts.push_back(s);
    impl->types.push_back(tokenizer::kTypeControl);
  }
  impl->BuildMaps();
  impl->bpe.Reserve(merges.size());
  for (size_t r = 0; r < merges.size(); ++r) {
    impl->bpe.AddMerge(merges[r].left, merges[r].right, merges[r].result, static_cast<int32_t>(r));
  }
  impl->bos = base + tokenizer::kBeginOfTextOffset;
  impl->eos = base + tokenizer::kEndOfTextOffset;
  impl->eot = base + tokenizer::kEotOffset;
  impl->eom = impl->FindSpecial("<|eom_id|>");
  impl->add_bos = true;
  impl->SetPreTokenizer(pre);
  return Tokenizer(std::move(impl));
}

std::vector<int32_t> Tokenizer::Encode(std::string_view text, bool add_bos,
                                       bool parse_special) const {
  const Impl& m = *impl_;
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 2);
  if (add_bos && m.bos >= 0) out.push_back(m.bos);
  const SpecialMatcher& matcher = parse_special ? m.parse_special_matcher : m.always_matcher;
  size_t raw_start = 0;
  for (size_t i = 0; i < text.size();) {
    const int32_t id = matcher.Match(text, i, m.texts);
    if (id < 0) {
      ++i;
      continue;
    }
    m.EncodeRaw(text.substr(raw_start, i - raw_start), &out);
    out.push_back(id);
    i += m.texts[id].size();
    raw_start = i;
  }
  m.EncodeRaw(text.substr(raw_start), &out);
  return out;
}

std::string Tokenizer::Decode(const std::vector<int32_t>& ids, bool skip_special) const {
  const Impl& m = *impl_;
  std::string out;
  for (int32_t id : ids) {
    if (id < 0 || id >= m.n_vocab()) {
      throw UsageError("Decode: token id " + std::to_string(id) + " is outside [0, " +
                       std::to_string(m.n_vocab()) + ")");
    }
    const int32_t t = m.types[id];
    if (skip_special && (t == tokenizer::kTypeControl || t == tokenizer::kTypeUnknown ||
                         t == tokenizer::kTypeUnused)) {
      continue;
    }
    out += m.texts[id];
  }
  return out;
}

std::string Tokenizer::TokenBytes(int32_t id) const {
  if (id < 0 || id >= impl_->n_vocab()) {
    throw UsageError("TokenBytes: token id " + std::to_string(id) + " is out of range");
  }
  return impl_->texts[id];
}

int32_t Tokenizer::n_vocab() const { return impl_->n_vocab(); }
int32_t Tokenizer::bos() const { return impl_->bos; }
int32_t Tokenizer::eos() const { return impl_->eos; }
int32_t Tokenizer::eot() const { return impl_->eot; }
bool Tokenizer::add_bos() const { return impl_->add_bos; }
bool Tokenizer::IsEog(int32_t id) const {
  return id >= 0 && (id == impl_->eos || id == impl_->eot || id == impl_->eom);
}
PreTokenizer Tokenizer::pre_tokenizer() const { return impl_->pre; }
int32_t Tokenizer::FindSpecial(std::string_view text) const { return impl_->FindSpecial(text); }

}  // namespace bitnet
