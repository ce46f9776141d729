// libFuzzer target: the request cache of `eval --out` (evals/runner/request_cache.h). The input
// is an existing request_cache.jsonl; opening it must load it or throw InputError. When it
// opens, one more record is put and the cache reopened: every record read the first time and
// the new one must be there (nothing lost), and the file must open again without error.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "evals/runner/request_cache.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto dir = fz::ScratchDir("request-cache");
  const auto path = dir / "request_cache.jsonl";
  fz::WriteFile(path, text);
  const json settings = {{"model", "fuzz"}, {"n_ctx", 64}};
  const std::string key(64, 'f');
  size_t before = 0;
  bool had_key = false;
  try {
    bitnet::evals::RequestCache cache(path, settings);
    before = cache.loaded();
    had_key = cache.Find(key) != nullptr;
    cache.Put(key, "task", 0, 0, json{{"ll", -1.5}});
  } catch (const bitnet::InputError&) {
    return 0;
  }
  bitnet::evals::RequestCache again(path, settings);  // must not throw: it wrote the file itself
  fz::Require(again.loaded() == before + (had_key ? 0 : 1));
  fz::Require(again.Find(key) != nullptr);
  return 0;
}
