#pragma once
// The hand-written report fixtures of tests/reports/fixtures/ and small edits of them.
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace bitnet::test {

inline std::string FixturePath(const std::string& name) { return std::string(BITNET_REPORTS_FIXTURES) + "/" + name; }

inline nlohmann::json Fixture(const std::string& name) {
  std::ifstream f(FixturePath(name));
  std::stringstream ss;
  ss << f.rdbuf();
  return nlohmann::json::parse(ss.str());
}

inline size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

}  // namespace bitnet::test
