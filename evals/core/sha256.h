#pragma once
// SHA-256 (FIPS 180-4) for request-stream hashes. evals/ may not depend on harness/, so it has
// its own small implementation.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace bitnet::evals {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  std::array<uint8_t, 32> Final();  // the object must not be updated afterwards
  std::string HexFinal();

 private:
  void Block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

std::string Sha256Hex(std::string_view bytes);

}  // namespace bitnet::evals
