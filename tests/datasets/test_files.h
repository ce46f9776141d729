#pragma once
// Small helpers for the dataset tests: write a file, expect an InputError with given words.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "common/error.h"

namespace bitnet::test {

inline std::string WriteText(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
  return p.string();
}

// Runs f, which must throw InputError whose message contains every one of `words`.
inline void ExpectInputError(const std::function<void()>& f, std::initializer_list<std::string> words) {
  try {
    f();
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    INFO("message: " << e.what());
    for (const auto& w : words) CHECK(std::string(e.what()).find(w) != std::string::npos);
  }
}

}  // namespace bitnet::test
