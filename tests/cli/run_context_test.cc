// Reproducibility records: the SHA-256 of model files (FIPS 180-4 test vectors) and host info.
#include <catch2/catch.hpp>

#include <fstream>

#include "common/error.h"
#include <string>

#include "harness/run_context.h"
#include "tests/test_support.h"

namespace {

std::string HashOf(const std::string& content) {
  const auto dir = bitnet::test::TempDir("sha");
  const auto p = dir / "f.bin";
  std::ofstream(p, std::ios::binary) << content;
  return bitnet::Sha256File(p.string());
}

}  // namespace

TEST_CASE("SHA-256 of files matches the standard test vectors", "[harness]") {
  CHECK(HashOf("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HashOf("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HashOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(HashOf(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK_THROWS_AS(bitnet::Sha256File("/nonexistent/file"), bitnet::InputError);
}

TEST_CASE("host info names the CPU and the build", "[harness]") {
  const bitnet::HostInfo h = bitnet::ReadHostInfo();
  CHECK(h.logical_cpus >= 1);
  CHECK(h.memory_bytes > 0);
  CHECK_FALSE(h.os.empty());
  CHECK_FALSE(h.git_hash.empty());
  const auto j = bitnet::ToJson(h);
  CHECK(j.contains("cpu_model"));
  CHECK(j.contains("cpu_flags"));
}
