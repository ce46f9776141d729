#include "engine/tokenizer/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>
#include <string>

#include "engine/tokenizer/byte_unicode.h"

namespace bitnet::tokenizer {
namespace {

// LLaMA-3 (docs/FORMATS.md §4; Meta's tokenizer.json pre_tokenizer).
constexpr std::string_view kLlama3Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Qwen2 (tokenizer.json): LLaMA-3's regex with \p{N} one digit at a time.
constexpr std::string_view kQwen2Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// SmolLM (llama.cpp LLAMA_VOCAB_PRE_TYPE_SMOLLM): single digits first, then GPT-2's regex.
constexpr std::string_view kSingleDigit = R"(\p{N})";

// llama.cpp's default for BPE vocabularies without a known tokenizer.ggml.pre.
constexpr std::string_view kDefaultPunct = R"([\p{P}\$\+<=>\^~\|]+)";
constexpr std::string_view kDefaultGpt2 =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))";
constexpr std::string_view kDefaultNumbers = R"(\p{N}+)";
constexpr std::string_view kDefaultDigits3 = R"([0-9][0-9][0-9])";

// Per-thread match state: match data (group 0 only: none of the regexes capture) and a JIT stack
// big enough that long runs of one class never exhaust it.
struct ThreadScratch {
  pcre2_match_data* md = nullptr;
  pcre2_match_context* mctx = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  ThreadScratch() {
    md = pcre2_match_data_create(4, nullptr);
    mctx = pcre2_match_context_create(nullptr);
    jit_stack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, nullptr);
    if (mctx && jit_stack) pcre2_jit_stack_assign(mctx, nullptr, jit_stack);
  }
  ~ThreadScratch() {
    if (jit_stack) pcre2_jit_stack_free(jit_stack);
    if (mctx) pcre2_match_context_free(mctx);
    if (md) pcre2_match_data_free(md);
  }
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
};

ThreadScratch& Scratch() {
  thread_local ThreadScratch scratch;
  if (!scratch.md) throw std::bad_alloc();
  return scratch;
}

}  // namespace

struct PreSplitter::Regex {
  pcre2_code* code = nullptr;
  bool jit = false;

  explicit Regex(std::string_view pattern) {
    int err = 0;
    PCRE2_SIZE err_off = 0;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                         PCRE2_UTF | PCRE2_UCP, &err, &err_off, nullptr);
    if (!code) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof(msg));
      throw std::logic_error("pre-tokenizer regex does not compile at offset " +
                             std::to_string(err_off) + ": " + reinterpret_cast<char*>(msg));
    }
    jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  }
  ~Regex() { pcre2_code_free(code); }
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Finds the first match at or after `from`; returns false when there is none. On a matcher
  // error (JIT stack or heap limit) retries without JIT, then reports one code point as the match
  // so that splitting always makes progress and never fails.
  bool Find(std::string_view s, size_t from, size_t* start, size_t* end) const {
    ThreadScratch& t = Scratch();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(s.data());
    int rc = pcre2_match(code, subject, s.size(), from, PCRE2_NO_UTF_CHECK, t.md, t.mctx);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && jit) {
      rc = pcre2_match(code, subject, s.size(), from, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, t.md,
                       t.mctx);
    }
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    if (rc < 0) {
      const size_t len = Utf8SequenceLength(s.substr(from));
      *start = from;
      *end = from + (len ? len : 1);
      return true;
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(t.md);
    *start = ov[0];
    *end = ov[1];
    return true;
  }

  // Splits `s` into matches and the gaps between them (llama.cpp's unicode_regex_split_stl).
  void SplitInto(std::string_view s, std::vector<std::string_view>* out) const {
    size_t emitted = 0;  // end of the last piece pushed
    size_t from = 0;
    while (from < s.size()) {
      size_t start = 0, end = 0;
      if (!Find(s, from, &start, &end)) break;
      if (end <= start) {  // empty match (not possible with our patterns): step over a code point
        const size_t len = Utf8SequenceLength(s.substr(start));
        from = start + (len ? len : 1);
        continue;
      }
      if (start > emitted) out->push_back(s.substr(emitted, start - emitted));
      out->push_back(s.substr(start, end - start));
      emitted = from = end;
    }
    if (emitted < s.size()) out->push_back(s.substr(emitted));
  }
};

const std::vector<std::string_view>& PreTokenizerRegexes(PreTokenizer p) {
  static const std::vector<std::string_view> llama3 = {kLlama3Regex};
  static const std::vector<std::string_view> def = {kDefaultPunct, kDefaultGpt2, kDefaultNumbers,
                                                    kDefaultDigits3};
  static const std::vector<std::string_view> qwen2 = {kQwen2Regex};
  static const std::vector<std::string_view> smollm = {kSingleDigit, kDefaultGpt2};
  switch (p) {
    case PreTokenizer::kDefault: return def;
    case PreTokenizer::kQwen2: return qwen2;
    case PreTokenizer::kSmolLM: return smollm;
    case PreTokenizer::kLlama3: break;
  }
  return llama3;
}

PreSplitter::PreSplitter(PreTokenizer p) {
  for (std::string_view pattern : PreTokenizerRegexes(p)) {
    stages_.push_back(std::make_unique<Regex>(pattern));
  }
}

PreSplitter::~PreSplitter() = default;

const PreSplitter& PreSplitter::Get(PreTokenizer p) {
  static const PreSplitter llama3(PreTokenizer::kLlama3);
  static const PreSplitter def(PreTokenizer::kDefault);
  static const PreSplitter qwen2(PreTokenizer::kQwen2);
  static const PreSplitter smollm(PreTokenizer::kSmolLM);
  switch (p) {
    case PreTokenizer::kDefault: return def;
    case PreTokenizer::kQwen2: return qwen2;
    case PreTokenizer::kSmolLM: return smollm;
    case PreTokenizer::kLlama3: break;
  }
  return llama3;
}

void PreSplitter::Split(std::string_view text, std::vector<std::string_view>* out) const {
  if (text.empty()) return;
  if (stages_.size() == 1) {
    stages_[0]->SplitInto(text, out);
    return;
  }
  std::vector<std::string_view> cur{text}, next;
  for (const auto& stage : stages_) {
    next.clear();
    for (std::string_view piece : cur) stage->SplitInto(piece, &next);
    cur.swap(next);
  }
  out->insert(out->end(), cur.begin(), cur.end());
}

}  // namespace bitnet::tokenizer
