#pragma once
// Reference dequantizers and packers of the weight formats (whole tensors of n values).
// Packers match the reference quantizers of the projects that define the formats bit for bit:
// llama.cpp's quantize_row_{q8_0,tq1_0,tq2_0}_ref and bitnet.cpp's quantize_i2_s.
#include <cstdint>

namespace bitnet::ref {

void DequantF32(const void* src, float* dst, int64_t n);
void QuantizeF32(const float* src, void* dst, int64_t n);
void DequantF16(const void* src, float* dst, int64_t n);
void QuantizeF16(const float* src, void* dst, int64_t n);
void DequantBF16(const void* src, float* dst, int64_t n);
void QuantizeBF16(const float* src, void* dst, int64_t n);
void DequantQ8_0(const void* src, float* dst, int64_t n);
void QuantizeQ8_0(const float* src, void* dst, int64_t n);
void DequantTQ1_0(const void* src, float* dst, int64_t n);
void QuantizeTQ1_0(const float* src, void* dst, int64_t n);
void DequantTQ2_0(const void* src, float* dst, int64_t n);
void QuantizeTQ2_0(const float* src, void* dst, int64_t n);
// I2_S: n/4 bytes of codes then a 32-byte tail whose first 4 bytes are the f32 scale.
// QuantizeI2S expects already-ternarized input (value * scale), as bitnet.cpp's quantizer does:
// scale = max|x|, code from the sign of x, |x| < 1e-6 is zero.
void DequantI2S(const void* src, float* dst, int64_t n);
void QuantizeI2S(const float* src, void* dst, int64_t n);

}  // namespace bitnet::ref
