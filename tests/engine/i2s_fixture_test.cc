// Pins our I2_S packer to bitnet.cpp's: the bitnet-tiny fixture holds the same model as F16
// (ternary value x scale) and as I2_S written by bitnet.cpp's llama-quantize. Re-packing each
// F16 projection with ref::QuantizeI2S must give the same code bytes and the same f32 scale.
//
// What the rest of bitnet.cpp's 32-byte tail holds: quantize_i2_s writes only the scale, so
// bytes 4..31 are whatever llama-quantize's reused work buffer held, i.e. stale code bytes of
// the previously quantized (larger) tensor, or zeros when the buffer was fresh. They carry no
// information; we write zeros and never read them.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "engine/gguf/gguf.h"
#include "kernels/generic/quant_ref.h"
#include "kernels/quant_types.h"
#include "tests/test_support.h"

namespace bitnet {

TEST_CASE("I2_S packer matches bitnet.cpp byte for byte on the tiny fixture", "[quant][fixture]") {
  const auto f16_path = test::SharedData("fixtures/bitnet-tiny/tiny-f16.gguf");
  const auto i2s_path = test::SharedData("fixtures/bitnet-tiny/tiny-i2_s.gguf");
  if (!f16_path || !i2s_path) return;
  const auto f16 = gguf::File::Open(f16_path->string());
  const auto i2s = gguf::File::Open(i2s_path->string());

  int compared = 0;
  for (const auto& ti : i2s.tensors()) {
    if (ti.type_id != static_cast<uint32_t>(QuantType::I2_S)) continue;
    INFO("tensor " << ti.name);
    const gguf::TensorInfo* src = f16.FindTensor(ti.name);
    REQUIRE(src != nullptr);
    REQUIRE(src->type_id == static_cast<uint32_t>(QuantType::F16));
    REQUIRE(src->dims == ti.dims);
    const int64_t n = ti.n_elements();
    REQUIRE(n % 128 == 0);
    REQUIRE(ti.n_bytes == static_cast<uint64_t>(n / 4 + 32));

    std::vector<float> x(static_cast<size_t>(n));
    ref::DequantF16(src->data, x.data(), n);
    std::vector<uint8_t> ours(static_cast<size_t>(n / 4 + 32));
    ref::QuantizeI2S(x.data(), ours.data(), n);

    const uint8_t* theirs = ti.data;
    size_t first_diff = ours.size();
    for (size_t i = 0; i < static_cast<size_t>(n / 4); ++i)
      if (ours[i] != theirs[i]) {
        first_diff = i;
        break;
      }
    INFO("first differing code byte " << first_diff);
    CHECK(first_diff == ours.size());
    CHECK(std::memcmp(ours.data() + n / 4, theirs + n / 4, 4) == 0);  // the f32 scale
    CHECK(I2SScale(theirs, n) == I2SScale(ours.data(), n));
    CHECK(I2SScale(theirs, n) > 0.0f);
    for (int i = 4; i < 32; ++i) CHECK(ours[n / 4 + i] == 0);
    ++compared;
  }
  CHECK(compared == 14);  // 7 projections x 2 layers
}

}  // namespace bitnet
