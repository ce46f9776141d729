// CPythonRandom against values printed once by CPython 3.11.7 (hard-coded; python is never run).
#include <catch2/catch.hpp>

#include "evals/core/cpython_random.h"
#include "evals/core/sha256.h"

using bitnet::evals::CPythonRandom;

TEST_CASE("CPythonRandom: random() matches random.Random(seed).random()", "[evals][random]") {
  CPythonRandom r(1234);
  // random.Random(1234): [r.random() for _ in range(3)]
  CHECK(r.Random() == 0.9664535356921388);
  CHECK(r.Random() == 0.4407325991753527);
  CHECK(r.Random() == 0.007491470058587191);
  CPythonRandom zero(0);
  CHECK(zero.Random() == 0.8444218515250481);
}

TEST_CASE("CPythonRandom: getrandbits and seeds beyond 32 bits or negative", "[evals][random]") {
  CPythonRandom r(1234);
  CHECK(r.GetRandBits(64) == 14354624986284130233ULL);
  CHECK(r.GetRandBits(64) == 2155511622373988895ULL);
  CHECK(r.GetRandBits(1) == 0);
  CHECK(r.GetRandBits(33) == 4684278597ULL);
  CHECK(r.GetRandBits(0) == 0);
  CHECK(CPythonRandom((int64_t{1} << 40) + 5).GetRandBits(32) == 2166296868U);  // two key words
  CHECK(CPythonRandom(-7).GetRandBits(32) == 1390851128U);                      // |seed|
  CHECK_THROWS(r.GetRandBits(65));
}

TEST_CASE("CPythonRandom: _randbelow, shuffle, sample", "[evals][random]") {
  {
    CPythonRandom r(1234);
    // [r._randbelow(n) for n in (1, 2, 3, 7, 100, 1000, 2**31+1)]
    const uint64_t ns[] = {1, 2, 3, 7, 100, 1000, (uint64_t{1} << 31) + 1};
    const uint64_t want[] = {0, 0, 0, 0, 74, 35, 360511942};
    for (int i = 0; i < 7; ++i) CHECK(r.RandBelow(ns[i]) == want[i]);
  }
  {
    CPythonRandom r(1234);  // x = list(range(10)); r.shuffle(x)
    CHECK(r.ShuffledIndices(10) == std::vector<size_t>{2, 8, 3, 5, 6, 4, 9, 0, 1, 7});
  }
  {
    CPythonRandom r(42);  // random.Random(42).sample(range(100), 5): the set branch (n > setsize)
    CHECK(r.Sample(100, 5) == std::vector<size_t>{81, 14, 3, 94, 35});
  }
  {
    CPythonRandom r(1234);  // the pool branch (n <= 21), twice in a row
    CHECK(r.Sample(10, 3) == std::vector<size_t>{7, 1, 0});
    CHECK(r.Sample(10, 3) == std::vector<size_t>{1, 0, 9});
  }
  {
    CPythonRandom r(1234);  // k = 11 > 5: setsize = 21 + 4**ceil(log(33, 4)) = 85 < 1000: set branch
    CHECK(r.Sample(1000, 11) == std::vector<size_t>{989, 796, 451, 119, 7, 92, 932, 965, 961, 826, 596});
    CHECK(r.Sample(1000, 11) == std::vector<size_t>{35, 687, 709, 85, 100, 784, 363, 242, 17, 31, 807});
  }
  CPythonRandom r(1);
  CHECK_THROWS(r.Sample(3, 4));
  CHECK(r.Sample(0, 0).empty());
}

TEST_CASE("Sha256: FIPS 180-4 vectors", "[evals][sha256]") {
  using bitnet::evals::Sha256Hex;
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  bitnet::evals::Sha256 h;  // a million 'a's in uneven pieces
  std::string chunk(997, 'a');
  size_t left = 1000000;
  while (left) {
    size_t n = std::min(left, chunk.size());
    h.Update(std::string_view(chunk.data(), n));
    left -= n;
  }
  CHECK(h.HexFinal() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
