// Memory probe: the bytes a loaded model occupies, KV cache sizes, resident memory.
#include <catch2/catch.hpp>

#include <filesystem>

#include "engine/model/model.h"
#include "engine/runtime/session.h"
#include "harness/probes/memory.h"
#include "tests/engine/synthetic_fixture.h"

namespace bitnet::probes {
namespace {

TEST_CASE("memory: loaded I2_S model bytes by part") {
  const auto m = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  const auto& c = m->config();
  const LoadedMemory l = LoadedModelMemory(*m, 256);
  CHECK(l.projection_bytes == m->weights().ProjectionBytes());
  // I2_S: 2 bits per weight plus a small per-tensor tail.
  const double bits = 8.0 * static_cast<double>(l.projection_bytes) / static_cast<double>(m->weights().NonEmbeddingParams());
  CHECK(bits >= 2.0);
  CHECK(bits < 2.1);
  CHECK(l.embedding_bytes == static_cast<uint64_t>(c.n_vocab * c.n_embd * 2));  // F16
  CHECK(l.head_bytes == 0);                                                      // tied
  CHECK(l.norm_bytes == static_cast<uint64_t>((c.n_layer * (3 * c.n_embd + c.n_ff) + c.n_embd) * 4));
  CHECK(l.kv_ctx == 256);
  CHECK(l.kv_cache_bytes == static_cast<uint64_t>(2 * c.n_layer * 256 * c.kv_dim() * 4));
  CHECK(l.file_bytes == std::filesystem::file_size(m->path()));
  CHECK(l.weight_bytes() <= l.file_bytes);
  CHECK(l.total_bytes() == l.weight_bytes() + l.kv_cache_bytes);
}

TEST_CASE("memory: KV cache from the config equals what the session allocates") {
  const auto m = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  SessionOptions so;
  so.n_threads = 1;
  so.n_ctx = 128;
  Session s(m, so);
  const LoadedMemory l = LoadedModelMemory(*m, s);
  CHECK(l.kv_ctx == 128);
  CHECK(l.kv_cache_bytes == s.kv_bytes());
  CHECK(KvCacheBytes(m->config(), s.n_ctx()) == s.kv_bytes());
  CHECK(KvCacheBytes(m->config(), 0) == 0);
}

TEST_CASE("memory: 2B4T's KV cache at 4096 tokens") {
  ModelConfig c;
  c.n_layer = 30;
  c.n_head_kv = 5;
  c.head_dim = 128;
  CHECK(KvCacheBytes(c, 4096) == 2ull * 30 * 4096 * 640 * 4);  // 629,145,600 bytes
}

TEST_CASE("memory: the paper row of a loaded model") {
  const auto m = Model::Load(test::SyntheticModelPath("tiny", QuantType::I2_S));
  const ArchShape a = ArchShapeFromModel(*m);
  const PaperMemoryRow p = PaperMemory(a.linear_params, a.weights);
  CHECK(p.bits_per_weight == Approx(1.58496));
  CHECK(p.exact_gb == Approx(a.linear_params * 1.58496 / 8 / 1e9).epsilon(1e-4));
  CHECK(p.printed == "0GB");  // a few million weights round to nothing at 0.1 B
}

TEST_CASE("memory: /proc/self/status parsing and this process") {
  const ResidentMemory r = ParseProcStatus("Name:\tx\nVmPeak:\t  9999 kB\nVmHWM:\t    2020 kB\nVmRSS:\t    1010 kB\n");
  REQUIRE(r.ok);
  CHECK(r.peak_bytes == 2020 * 1024);
  CHECK(r.current_bytes == 1010 * 1024);
  CHECK_FALSE(ParseProcStatus("VmRSS:\t1 kB\n").ok);
  CHECK(ParseProcStatus("VmRSS:\t1 kB\n").error.find("VmHWM") != std::string::npos);
  CHECK_FALSE(ParseProcStatus("VmHWM:\tlots kB\nVmRSS:\t1 kB\n").ok);

  const ResidentMemory self = ReadResidentMemory();
  REQUIRE(self.ok);
  CHECK(self.current_bytes > 0);
  CHECK(self.peak_bytes >= self.current_bytes);
  const ResidentMemory none = ReadResidentMemory("/nonexistent/status");
  CHECK_FALSE(none.ok);
  CHECK(none.error.find("/nonexistent/status") != std::string::npos);
}

// The extra small tensors of each architecture, counted by hand from the shape: qwen2's q/k/v
// biases, qwen3's per-head q/k norms (untied head), gemma3's q/k norms and post-norms, llama's
// RoPE factors; the probe must count every one (it reads the file's tensors).
TEST_CASE("memory: norms, biases and other small tensors of every architecture are counted") {
  struct Case {
    const char* shape;
    int64_t per_layer;  // f32 values per layer besides attn_norm and ffn_norm
    int64_t global;     // besides output_norm
  };
  for (const Case& k : {Case{"tiny-llama", 0, -1}, Case{"tiny-qwen2", -2, 0}, Case{"tiny-qwen3", -3, 0},
                        Case{"tiny-gemma3", -4, 0}, Case{"tiny-minicpm", 0, 0}}) {
    INFO(k.shape);
    const auto m = Model::Load(test::SyntheticModelPath(k.shape, QuantType::Q8_0));
    const auto& c = m->config();
    int64_t extra = 0, global = 0;
    if (k.per_layer == -2) extra = c.q_dim() + 2 * c.kv_dim();          // attn_q/k/v.bias
    if (k.per_layer == -3) extra = 2 * c.head_dim;                       // attn_q_norm, attn_k_norm
    if (k.per_layer == -4) extra = 2 * c.head_dim + 2 * c.n_embd;        // + post_attention_norm, post_ffw_norm
    if (k.global == -1) global = c.head_dim / 2;                         // rope_freqs.weight
    const int64_t values = c.n_layer * (2 * c.n_embd + extra) + c.n_embd + global;
    const LoadedMemory l = LoadedModelMemory(*m, 64);
    CHECK(l.norm_bytes == static_cast<uint64_t>(values * 4));
    CHECK(l.head_bytes == (m->weights().tied_head ? 0 : m->weights().output.n_bytes));
    // Nothing of the file is counted twice; what is left is the header (a 512-token vocabulary)
    // and the padding.
    REQUIRE(l.weight_bytes() <= l.file_bytes);
    CHECK(l.file_bytes - l.weight_bytes() < 64 * 1024);
  }
}

TEST_CASE("memory: the paper row of a block-quantized model counts its nominal bits") {
  const auto m = Model::Load(test::SyntheticModelPath("tiny-qwen2", QuantType::Q4_0));
  const ArchShape a = ArchShapeFromModel(*m);
  CHECK(a.weights == WeightKind::kInt4);
  const PaperMemoryRow p = PaperMemory(a);
  CHECK(p.bits_per_weight == 4.0);
  CHECK(p.exact_gb == Approx(a.linear_params * 4.0 / 8 / 1e9));
  // Mixed kinds (a Q4_K file keeping some projections in Q6_K): the weighted bits.
  ArchShape mixed = a;
  mixed.linear_params = 3000000000;
  mixed.by_kind = {{WeightKind::kInt4, 2000000000}, {WeightKind::kInt6, 1000000000}};
  const PaperMemoryRow q = PaperMemory(mixed);
  CHECK(q.bits_per_weight == Approx(14.0 / 3.0));
  CHECK(q.exact_gb == Approx(1.75));
  CHECK(q.printed == "1.8GB");
  CHECK(PaperBitsPerWeight(WeightKind::kBinary) == 1.0);
  CHECK(PaperBitsPerWeight(WeightKind::kInt8) == 8.0);
  CHECK(PaperBitsPerWeight(WeightKind::kFp32) == 32.0);
}

}  // namespace
}  // namespace bitnet::probes
