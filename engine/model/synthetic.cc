#include "engine/model/synthetic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/runtime/thread_pool.h"
#include "engine/tokenizer/vocab_writer.h"

namespace bitnet {
namespace {

// Counter-based generator: value i of stream s depends only on (seed, s, i), so the weights
// do not depend on the thread count or the order of generation.
inline uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t StreamId(uint64_t seed, const std::string& name) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a of the tensor name, mixed with the seed
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return SplitMix(h ^ SplitMix(seed));
}

// An approximately standard normal value from four 16-bit uniforms (Irwin-Hall, exact integer
// arithmetic, so identical on every platform).
inline float NormalAt(uint64_t stream, uint64_t i) {
  const uint64_t r = SplitMix(stream + i * 0x632be59bd9b4e019ull);
  const double sum = static_cast<double>((r & 0xffff) + ((r >> 16) & 0xffff) + ((r >> 32) & 0xffff) + (r >> 48));
  return static_cast<float>((sum / 65536.0 - 2.0) * std::sqrt(3.0));
}

// Ternary value in {-1, 0, +1} with P(0) = 0.31.
inline float TernaryAt(uint64_t stream, uint64_t i) {
  const uint64_t r = SplitMix(stream + i * 0x632be59bd9b4e019ull) >> 40;  // 24 bits
  const uint64_t zero_below = static_cast<uint64_t>(0.31 * (1 << 24));
  if (r < zero_below) return 0.0f;
  return (r & 1) ? 1.0f : -1.0f;
}

std::vector<uint8_t> Pack(QuantType type, const std::vector<float>& v) {
  const auto bytes = TensorBytes(type, v.size());
  const QuantTraits& tr = GetQuantTraits(type);
  if (!bytes || !tr.from_float_ref)
    throw UsageError(fmt::format("cannot write {} values as {}", v.size(), tr.name));
  std::vector<uint8_t> out(*bytes, 0);
  tr.from_float_ref(v.data(), out.data(), static_cast<int64_t>(v.size()));
  return out;
}

class Generator {
 public:
  Generator(const SyntheticOptions& o, ThreadPool& pool) : o_(o), pool_(pool) {}

  void Projection(gguf::Writer& w, const std::string& name, int64_t k, int64_t n) {
    const uint64_t stream = StreamId(o_.seed, name);
    const float scale = static_cast<float>(1.0 / std::sqrt(0.69 * static_cast<double>(k)));
    std::vector<float> v(static_cast<size_t>(k * n));
    pool_.ParallelFor(static_cast<int64_t>(v.size()), 4096, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) v[static_cast<size_t>(i)] = TernaryAt(stream, static_cast<uint64_t>(i)) * scale;
    });
    w.AddTensor(name, static_cast<uint32_t>(o_.type), {k, n}, Pack(o_.type, v));
  }

  void Norm(gguf::Writer& w, const std::string& name, int64_t n) {
    const uint64_t stream = StreamId(o_.seed, name);
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = 1.0f + 0.1f * NormalAt(stream, static_cast<uint64_t>(i));
    w.AddTensor(name, static_cast<uint32_t>(QuantType::F32), {n}, Pack(QuantType::F32, v));
  }

  // Rows of tokens a trained model never emits (fillers, specials, control bytes) get 1/20 of the
  // norm, as untrained rows of real models do, so generated text is made of real text tokens.
  bool IsTextToken(int64_t id, int64_t vocab) const {
    if (!o_.tokenizer_ranks.empty()) return id < vocab - 256;
    if (id >= 256) return false;
    return (id >= 0x20 && id < 0x7f) || id == '\n';
  }

  void Embedding(gguf::Writer& w, int64_t e, int64_t vocab) {
    const std::string name = "token_embd.weight";
    const uint64_t stream = StreamId(o_.seed, name);
    const float std_dev = 3.0f / std::sqrt(static_cast<float>(e));
    std::vector<uint8_t> bytes(static_cast<size_t>(e * vocab) * 2);
    auto* h = reinterpret_cast<uint16_t*>(bytes.data());
    pool_.ParallelFor(vocab, 64, [&](int64_t b, int64_t end) {
      for (int64_t row = b; row < end; ++row) {
        const float sd = IsTextToken(row, vocab) ? std_dev : std_dev / 20.0f;
        for (int64_t i = row * e; i < (row + 1) * e; ++i)
          h[i] = Fp32ToFp16(sd * NormalAt(stream, static_cast<uint64_t>(i)));
      }
    });
    w.AddTensor(name, static_cast<uint32_t>(QuantType::F16), {e, vocab}, std::move(bytes));
  }

 private:
  const SyntheticOptions& o_;
  ThreadPool& pool_;
};

}  // namespace

std::vector<std::string> ShapeNames() { return {"2b4t", "small", "tiny"}; }

SyntheticShape ShapeByName(const std::string& name) {
  if (name == "2b4t") return {"2b4t", 128256, 4096, 2560, 30, 6912, 20, 5};
  if (name == "small") return {"small", 4096, 2048, 512, 4, 1536, 8, 2};
  if (name == "tiny") return {"tiny", 1024, 1024, 256, 2, 512, 4, 1};
  throw UsageError(fmt::format("unknown shape '{}' (known: 2b4t, small, tiny)", name));
}

void WriteSyntheticModel(const SyntheticOptions& o, const std::string& path) {
  const SyntheticShape& s = o.shape;
  const QuantTraits& tr = GetQuantTraits(o.type);
  const bool ok = o.type == QuantType::I2_S || o.type == QuantType::TQ2_0 || o.type == QuantType::TQ1_0 ||
                  o.type == QuantType::F16 || o.type == QuantType::F32;
  if (!ok) throw UsageError(fmt::format("synthetic models are written as i2_s, tq2_0, tq1_0, f16 or f32, not {}", tr.name));
  const std::string A = "bitnet-b1.58";
  gguf::Writer w;
  w.Set("general.architecture", gguf::Value::Str(A));
  w.Set("general.name", gguf::Value::Str(fmt::format("synthetic-{}-{}-seed{}", s.name, tr.name, o.seed)));
  w.Set("general.file_type", gguf::Value::U32(static_cast<uint32_t>(o.type)));
  w.Set("bitnet-eval.synthetic", gguf::Value::Bool(true));
  w.Set("bitnet-eval.synthetic.seed", gguf::Value::U64(o.seed));
  w.Set(A + ".vocab_size", gguf::Value::U32(static_cast<uint32_t>(s.n_vocab)));
  w.Set(A + ".context_length", gguf::Value::U32(static_cast<uint32_t>(s.n_ctx)));
  w.Set(A + ".embedding_length", gguf::Value::U32(static_cast<uint32_t>(s.n_embd)));
  w.Set(A + ".block_count", gguf::Value::U32(static_cast<uint32_t>(s.n_layer)));
  w.Set(A + ".feed_forward_length", gguf::Value::U32(static_cast<uint32_t>(s.n_ff)));
  w.Set(A + ".rope.dimension_count", gguf::Value::U32(static_cast<uint32_t>(s.n_embd / s.n_head)));
  w.Set(A + ".attention.head_count", gguf::Value::U32(static_cast<uint32_t>(s.n_head)));
  w.Set(A + ".attention.head_count_kv", gguf::Value::U32(static_cast<uint32_t>(s.n_head_kv)));
  w.Set(A + ".attention.layer_norm_rms_epsilon", gguf::Value::F32(s.rms_eps));
  w.Set(A + ".rope.freq_base", gguf::Value::F32(s.rope_theta));
  if (o.tokenizer_ranks.empty()) {
    WriteByteLevelVocab(w, static_cast<int32_t>(s.n_vocab));
  } else {
    WriteRanksVocab(w, o.tokenizer_ranks, static_cast<int32_t>(s.n_vocab));
  }

  ThreadPool pool(o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  Generator g(o, pool);
  const int64_t E = s.n_embd, F = s.n_ff, KV = s.n_head_kv * (s.n_embd / s.n_head);
  g.Embedding(w, E, s.n_vocab);
  g.Norm(w, "output_norm.weight", E);
  for (int64_t i = 0; i < s.n_layer; ++i) {
    const std::string p = fmt::format("blk.{}.", i);
    g.Norm(w, p + "attn_norm.weight", E);
    g.Projection(w, p + "attn_q.weight", E, E);
    g.Projection(w, p + "attn_k.weight", E, KV);
    g.Projection(w, p + "attn_v.weight", E, KV);
    g.Projection(w, p + "attn_output.weight", E, E);
    g.Norm(w, p + "attn_sub_norm.weight", E);
    g.Norm(w, p + "ffn_norm.weight", E);
    g.Projection(w, p + "ffn_gate.weight", E, F);
    g.Projection(w, p + "ffn_up.weight", E, F);
    g.Projection(w, p + "ffn_down.weight", F, E);
    g.Norm(w, p + "ffn_sub_norm.weight", F);
  }
  w.Write(path);
}

}  // namespace bitnet
