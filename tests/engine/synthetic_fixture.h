#pragma once
// Synthetic models written once per test process into the build tree.
#include <map>
#include <string>

#include "engine/model/synthetic.h"
#include "tests/test_support.h"

namespace bitnet::test {

inline std::string SyntheticModelPath(const std::string& shape, QuantType type, uint64_t seed = 7) {
  static std::map<std::string, std::string> cache;
  const std::string key = shape + "-" + std::string(GetQuantTraits(type).name) + "-" + std::to_string(seed);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  static const std::filesystem::path dir = TempDir("synthetic");
  const std::string path = (dir / (key + ".gguf")).string();
  SyntheticOptions o;
  o.shape = ShapeByName(shape);
  o.type = type;
  o.seed = seed;
  o.threads = 2;
  WriteSyntheticModel(o, path);
  cache[key] = path;
  return path;
}

}  // namespace bitnet::test
