#pragma once
// The float operations of the forward pass, one token row at a time.
#include <cstdint>

namespace bitnet::ops {

// out = x / sqrt(mean(x^2) + eps) * w   (out may alias x)
void RmsNorm(const float* x, const float* w, int64_t n, float eps, float* out);

// NEOX-style rotary embedding of one head vector of size d in place: pairs (i, i + d/2),
// rotated by the angles in cos_sin (d/2 cos values then d/2 sin values for this position).
void RopeNeox(float* x, int64_t d, const float* cos_sin);

// The angles of one position: cos_sin[i] = cos(pos * theta^(-2i/d)), cos_sin[d/2 + i] = sin(...).
void RopeAngles(int64_t pos, int64_t d, float theta, float* cos_sin);

// Adjacent-pair rotary embedding (llama.cpp's "normal" RoPE): pairs (2i, 2i + 1), same angles.
void RopeNorm(float* x, int64_t d, const float* cos_sin);

// RopeAngles with linear scaling and per-frequency factors (LLaMA 3's rope_freqs; nullptr: none):
// angle_i = pos * freq_scale * theta^(-2i/d) / factors[i].
void RopeAnglesScaled(int64_t pos, int64_t d, float theta, float freq_scale, const float* factors, float* cos_sin);

// In-place softmax over n values.
void Softmax(float* x, int64_t n);

// m = relu(g)^2 * u   (the 2B4T gated FFN), written into g.
void SquaredReluGlu(float* g, const float* u, int64_t n);

// m = silu(g) * u = g / (1 + exp(-g)) * u, written into g.
void SiluGlu(float* g, const float* u, int64_t n);

// m = gelu(g) * u with the tanh approximation (PyTorch's gelu "tanh", ggml_gelu), written into g.
void GeluTanhGlu(float* g, const float* u, int64_t n);

float Dot(const float* a, const float* b, int64_t n);

}  // namespace bitnet::ops
