#include "engine/model/synthetic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>
#include <thread>

#include "common/error.h"
#include "engine/gguf/gguf.h"
#include "engine/model/weights.h"
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

bool IsTernaryType(QuantType t) { return GetQuantTraits(t).ternary; }

using Producer = gguf::Writer::Producer;

class Generator {
 public:
  Generator(const SyntheticOptions& o, ThreadPool& pool) : o_(o), pool_(pool) {}

  // The 2B4T-graph projection: ternary values times 1/sqrt(0.69 K).
  void Projection(gguf::Writer& w, const std::string& name, int64_t k, int64_t n) {
    const uint64_t stream = StreamId(o_.seed, name);
    const float scale = static_cast<float>(1.0 / std::sqrt(0.69 * static_cast<double>(k)));
    auto value = [stream, scale](int64_t i) { return TernaryAt(stream, static_cast<uint64_t>(i)) * scale; };
    Producer produce;
    if (o_.type == QuantType::I2_S) {
      produce = [this, value, k, n](std::span<uint8_t> out) { PackI2S(k * n, out, value); };
    } else if (GetQuantTraits(o_.type).tensor_tail == 0) {
      produce = [this, value, k, n](std::span<uint8_t> out) { PackRows(k, n, out, value); };
    } else {
      produce = [this, value, k, n](std::span<uint8_t> out) {
        std::vector<float> v(static_cast<size_t>(k * n));
        pool_.ParallelFor(k * n, 4096, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) v[static_cast<size_t>(i)] = value(i);
        });
        PackInto(v, out);
      };
    }
    w.AddProducedTensor(name, static_cast<uint32_t>(o_.type), {k, n}, std::move(produce));
  }

  // The other architectures: Gaussian latents of std 1/sqrt(K), absmean-ternarized for ternary
  // types, otherwise quantized by the type's reference packer. Types packed row by row (every
  // block type, F16/BF16/F32) are generated and packed in parallel chunks of rows straight into
  // the file's buffer; the values are the same as the whole-tensor path would give.
  void LatentProjection(gguf::Writer& w, const std::string& name, int64_t k, int64_t n) {
    const uint64_t stream = StreamId(o_.seed, name);
    const float sd = static_cast<float>(1.0 / std::sqrt(static_cast<double>(k)));
    const QuantTraits& tr = GetQuantTraits(o_.type);
    Producer produce;
    if (!IsTernaryType(o_.type) && tr.tensor_tail == 0) {
      produce = [this, stream, sd, k, n](std::span<uint8_t> out) {
        PackRows(k, n, out, [&](int64_t i) { return sd * NormalAt(stream, static_cast<uint64_t>(i)); });
      };
    } else {
      produce = [this, stream, sd, k, n](std::span<uint8_t> out) {
        const std::vector<float> v = TernaryLatents(stream, sd, k * n);
        if (o_.type == QuantType::I2_S) {
          PackI2S(k * n, out, [&v](int64_t i) { return v[static_cast<size_t>(i)]; });
        } else {
          PackInto(v, out);
        }
      };
    }
    w.AddProducedTensor(name, static_cast<uint32_t>(o_.type), {k, n}, std::move(produce));
  }

  void Norm(gguf::Writer& w, const std::string& name, int64_t n, float mean = 1.0f, float sd = 0.1f) {
    const uint64_t stream = StreamId(o_.seed, name);
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = mean + sd * NormalAt(stream, static_cast<uint64_t>(i));
    w.AddTensor(name, static_cast<uint32_t>(QuantType::F32), {n}, Pack(QuantType::F32, v));
  }

  void Vector(gguf::Writer& w, const std::string& name, std::vector<float> v) {
    const auto n = static_cast<int64_t>(v.size());
    w.AddTensor(name, static_cast<uint32_t>(QuantType::F32), {n}, Pack(QuantType::F32, v));
  }

  // Rows of tokens a trained model never emits (fillers, specials, control bytes) get 1/20 of the
  // norm, as untrained rows of real models do, so generated text is made of real text tokens.
  bool IsTextToken(int64_t id, int64_t vocab) const {
    if (!o_.tokenizer_ranks.empty()) return id < vocab - 256;
    if (id >= 256) return false;
    return (id >= 0x20 && id < 0x7f) || id == '\n';
  }

  // token_embd.weight (or an untied output.weight) of `type`, packed row by row.
  void Embedding(gguf::Writer& w, const std::string& name, QuantType type, int64_t e, int64_t vocab) {
    const uint64_t stream = StreamId(o_.seed, name);
    const float std_dev = 3.0f / std::sqrt(static_cast<float>(e));
    const auto row_bytes = RowBytes(type, static_cast<uint64_t>(e));
    const QuantTraits& tr = GetQuantTraits(type);
    if (!row_bytes || !tr.from_float_ref || tr.tensor_tail != 0)
      throw UsageError(fmt::format("cannot write the {}-wide embedding as {}", e, tr.name));
    w.AddProducedTensor(name, static_cast<uint32_t>(type), {e, vocab},
                        [this, stream, std_dev, e, vocab, rb = *row_bytes, &tr](std::span<uint8_t> bytes) {
                  pool_.ParallelFor(vocab, 64, [&](int64_t b, int64_t end) {
                    std::vector<float> row(static_cast<size_t>(e));
                    for (int64_t r = b; r < end; ++r) {
                      const float sd = IsTextToken(r, vocab) ? std_dev : std_dev / 20.0f;
                      for (int64_t i = 0; i < e; ++i)
                        row[static_cast<size_t>(i)] = sd * NormalAt(stream, static_cast<uint64_t>(r * e + i));
                      tr.from_float_ref(row.data(), bytes.data() + static_cast<uint64_t>(r) * rb, e);
                    }
                  });
                });
  }

 private:
  void PackInto(const std::vector<float>& v, std::span<uint8_t> out) const {
    const std::vector<uint8_t> packed = Pack(o_.type, v);
    if (packed.size() != out.size()) throw UsageError("synthetic writer: packed size mismatch");
    std::copy(packed.begin(), packed.end(), out.begin());
  }

  // Rows of k values (value i of the tensor = value(i)) generated and packed by chunks of rows
  // on the pool, each chunk into its own slice of `out`.
  template <typename ValueAt>
  void PackRows(int64_t k, int64_t n, std::span<uint8_t> out, const ValueAt& value) {
    const QuantTraits& tr = GetQuantTraits(o_.type);
    const uint64_t rb = *RowBytes(o_.type, static_cast<uint64_t>(k));
    const int64_t rows_per_chunk = std::max<int64_t>(1, (1 << 16) / k);
    pool_.ParallelFor(n, rows_per_chunk, [&](int64_t b, int64_t e) {
      std::vector<float> buf(static_cast<size_t>(rows_per_chunk * k));
      for (int64_t r0 = b; r0 < e; r0 += rows_per_chunk) {
        const int64_t rows = std::min(rows_per_chunk, e - r0);
        const int64_t first = r0 * k, count = rows * k;
        for (int64_t i = 0; i < count; ++i) buf[static_cast<size_t>(i)] = value(first + i);
        tr.from_float_ref(buf.data(), out.data() + static_cast<uint64_t>(r0) * rb, count);
      }
    });
  }

  // I2_S (FORMATS.md §2): 128-value blocks of 32 bytes that depend only on their own values'
  // signs, then a tail whose first 4 bytes are the f32 max |x| of the whole tensor. Packed in
  // parallel chunks of whole blocks by the reference packer; the tail takes the largest of the
  // chunks' maxima (the same float: rounding is monotonic). Same bytes as packing the whole tensor.
  template <typename ValueAt>
  void PackI2S(int64_t count, std::span<uint8_t> out, const ValueAt& value) {
    const QuantTraits& tr = GetQuantTraits(QuantType::I2_S);
    constexpr int64_t kChunk = 1 << 16;  // a multiple of the 128-value block
    const int64_t chunks = (count + kChunk - 1) / kChunk;
    std::vector<float> chunk_max(static_cast<size_t>(chunks), 0.0f);
    pool_.ParallelFor(chunks, 1, [&](int64_t cb, int64_t ce) {
      std::vector<float> buf(kChunk);
      std::vector<uint8_t> packed(*TensorBytes(QuantType::I2_S, kChunk));
      for (int64_t c = cb; c < ce; ++c) {
        const int64_t first = c * kChunk, n = std::min(kChunk, count - first);
        for (int64_t i = 0; i < n; ++i) buf[static_cast<size_t>(i)] = value(first + i);
        tr.from_float_ref(buf.data(), packed.data(), n);
        std::memcpy(out.data() + first / 4, packed.data(), static_cast<size_t>(n / 4));
        std::memcpy(&chunk_max[static_cast<size_t>(c)], packed.data() + n / 4, sizeof(float));
      }
    });
    uint8_t* tail = out.data() + count / 4;
    std::memset(tail, 0, tr.tensor_tail);
    const float max = chunks > 0 ? *std::max_element(chunk_max.begin(), chunk_max.end()) : 0.0f;
    std::memcpy(tail, &max, sizeof(float));
  }

  // Latents absmean-ternarized (scale mean|W| over the whole tensor, summed in fixed chunks so
  // the result does not depend on the thread count); other types: the latents as they are.
  std::vector<float> TernaryLatents(uint64_t stream, float sd, int64_t count) {
    std::vector<float> v(static_cast<size_t>(count));
    constexpr int64_t kChunk = 1 << 16;
    std::vector<double> partial(static_cast<size_t>((count + kChunk - 1) / kChunk), 0.0);
    pool_.ParallelFor(static_cast<int64_t>(partial.size()), 1, [&](int64_t cb, int64_t ce) {
      for (int64_t c = cb; c < ce; ++c) {
        double sum = 0.0;
        for (int64_t i = c * kChunk; i < std::min(count, (c + 1) * kChunk); ++i) {
          v[static_cast<size_t>(i)] = sd * NormalAt(stream, static_cast<uint64_t>(i));
          sum += std::fabs(v[static_cast<size_t>(i)]);
        }
        partial[static_cast<size_t>(c)] = sum;
      }
    });
    if (!IsTernaryType(o_.type)) return v;
    double sum = 0.0;
    for (double p : partial) sum += p;  // fixed order: independent of the thread count
    const float scale = static_cast<float>(std::max(sum / static_cast<double>(count), 1e-5));
    pool_.ParallelFor(count, 4096, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        float& x = v[static_cast<size_t>(i)];
        x = std::clamp(std::nearbyint(x / scale), -1.0f, 1.0f) * scale;
      }
    });
    return v;
  }

  const SyntheticOptions& o_;
  ThreadPool& pool_;
};

// LLaMA 3.x RoPE frequency factors (factor 32, low/high frequency factors 1 and 4, original
// context 8192), as llama.cpp's converter writes them into rope_freqs.weight.
std::vector<float> Llama3RopeFactors(int64_t head_dim, float theta) {
  const double factor = 32.0, low = 1.0, high = 4.0, old_ctx = 8192.0;
  const double low_wavelen = old_ctx / low, high_wavelen = old_ctx / high;
  std::vector<float> out;
  for (int64_t i = 0; i < head_dim / 2; ++i) {
    const double freq = std::pow(static_cast<double>(theta), -2.0 * static_cast<double>(i) / static_cast<double>(head_dim));
    const double wavelen = 2.0 * M_PI / freq;
    double f = 1.0;
    if (wavelen > low_wavelen) {
      f = factor;
    } else if (wavelen >= high_wavelen) {
      const double smooth = (old_ctx / wavelen - low) / (high - low);
      f = 1.0 / ((1.0 - smooth) / factor + smooth);
    }
    out.push_back(static_cast<float>(f));
  }
  return out;
}

void WriteKeys(gguf::Writer& w, const SyntheticOptions& o) {
  const SyntheticShape& s = o.shape;
  const std::string& A = s.arch;
  auto u32 = [&](const std::string& k, int64_t v) { w.Set(A + k, gguf::Value::U32(static_cast<uint32_t>(v))); };
  w.Set("general.architecture", gguf::Value::Str(A));
  w.Set("general.name", gguf::Value::Str(fmt::format("synthetic-{}-{}-seed{}", s.name, GetQuantTraits(o.type).name, o.seed)));
  w.Set("general.file_type", gguf::Value::U32(static_cast<uint32_t>(o.type)));
  w.Set("bitnet-eval.synthetic", gguf::Value::Bool(true));
  w.Set("bitnet-eval.synthetic.seed", gguf::Value::U64(o.seed));
  u32(".vocab_size", s.n_vocab);
  u32(".context_length", s.n_ctx);
  u32(".embedding_length", s.n_embd);
  u32(".block_count", s.n_layer);
  u32(".feed_forward_length", s.n_ff);
  u32(".rope.dimension_count", s.HeadDim());
  u32(".attention.head_count", s.n_head);
  u32(".attention.head_count_kv", s.n_head_kv);
  if (s.head_dim > 0) {
    u32(".attention.key_length", s.head_dim);
    u32(".attention.value_length", s.head_dim);
  }
  if (s.sliding_window > 0) u32(".attention.sliding_window", s.sliding_window);
  if (s.embedding_scale > 0) w.Set(A + ".embedding_scale", gguf::Value::F32(s.embedding_scale));
  if (s.residual_scale > 0) w.Set(A + ".residual_scale", gguf::Value::F32(s.residual_scale));
  if (s.logit_scale > 0) w.Set(A + ".logit_scale", gguf::Value::F32(s.logit_scale));
  w.Set(A + ".attention.layer_norm_rms_epsilon", gguf::Value::F32(s.rms_eps));
  w.Set(A + ".rope.freq_base", gguf::Value::F32(s.rope_theta));
}

}  // namespace

void WriteSyntheticModel(const SyntheticOptions& o, const std::string& path) {
  const SyntheticShape& s = o.shape;
  const QuantTraits& tr = GetQuantTraits(o.type);
  if (!IsProjectionType(o.type))
    throw UsageError(fmt::format("synthetic projections cannot be {} (engine projection types only)", tr.name));
  const bool b158 = s.arch == "bitnet-b1.58";
  const QuantType embd_type =
      o.embedding_type ? *o.embedding_type : (o.type == QuantType::BF16 ? QuantType::BF16 : QuantType::F16);
  if (!IsEmbeddingType(embd_type))
    throw UsageError(fmt::format("synthetic embeddings cannot be {}", GetQuantTraits(embd_type).name));
  gguf::Writer w;
  WriteKeys(w, o);
  if (o.tokenizer_ranks.empty()) {
    WriteByteLevelVocab(w, static_cast<int32_t>(s.n_vocab));
  } else {
    WriteRanksVocab(w, o.tokenizer_ranks, static_cast<int32_t>(s.n_vocab));
  }

  ThreadPool pool(o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  Generator g(o, pool);
  const int64_t E = s.n_embd, F = s.n_ff, D = s.HeadDim(), QD = s.n_head * D, KV = s.n_head_kv * D;
  auto proj = [&](const std::string& name, int64_t k, int64_t n) {
    const auto rows_ok = RowBytes(o.type, static_cast<uint64_t>(k));
    if (!rows_ok)
      throw UsageError(fmt::format("{}: rows of {} values are not whole {} blocks of {}", name, k, tr.name,
                                   tr.block_size));
    if (b158) {
      g.Projection(w, name, k, n);
    } else {
      g.LatentProjection(w, name, k, n);
    }
  };
  g.Embedding(w, "token_embd.weight", embd_type, E, s.n_vocab);
  g.Norm(w, "output_norm.weight", E);
  if (!s.tied) g.Embedding(w, "output.weight", embd_type, E, s.n_vocab);
  if (s.llama3_rope_freqs) g.Vector(w, "rope_freqs.weight", Llama3RopeFactors(D, s.rope_theta));
  const bool sub_norms = b158 || s.arch == "bitnet";
  const bool qk_norm = s.arch == "qwen3" || s.arch == "gemma3";
  for (int64_t i = 0; i < s.n_layer; ++i) {
    const std::string p = fmt::format("blk.{}.", i);
    g.Norm(w, p + "attn_norm.weight", E);
    proj(p + "attn_q.weight", E, QD);
    proj(p + "attn_k.weight", E, KV);
    proj(p + "attn_v.weight", E, KV);
    if (s.arch == "qwen2") {
      g.Norm(w, p + "attn_q.bias", QD, 0.0f, 0.2f);
      g.Norm(w, p + "attn_k.bias", KV, 0.0f, 0.2f);
      g.Norm(w, p + "attn_v.bias", KV, 0.0f, 0.2f);
    }
    if (qk_norm) {
      g.Norm(w, p + "attn_q_norm.weight", D);
      g.Norm(w, p + "attn_k_norm.weight", D);
    }
    proj(p + "attn_output.weight", QD, E);
    if (sub_norms) g.Norm(w, p + "attn_sub_norm.weight", QD);
    if (s.arch == "gemma3") {
      g.Norm(w, p + "post_attention_norm.weight", E);
      g.Norm(w, p + "post_ffw_norm.weight", E);
    }
    g.Norm(w, p + "ffn_norm.weight", E);
    proj(p + "ffn_gate.weight", E, F);
    proj(p + "ffn_up.weight", E, F);
    proj(p + "ffn_down.weight", F, E);
    if (sub_norms) g.Norm(w, p + "ffn_sub_norm.weight", F);
  }
  w.Write(path, o.sync);
}

}  // namespace bitnet
