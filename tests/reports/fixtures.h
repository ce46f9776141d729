#pragma once
// The hand-written report fixtures of tests/reports/fixtures/ and small edits of them.
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

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

// complete.json with the five Table 1 baseline columns added as the built-in paper-table run
// writes them: synthetic BF16 models, latency bounded to 16 generated tokens, accuracy not run.
inline nlohmann::json WithBaselineColumns(nlohmann::json doc) {
  using nlohmann::json;
  const std::pair<const char*, const char*> columns[] = {{"llama3.2-1b", "LLaMA 3.2 1B"},
                                                         {"gemma3-1b", "Gemma-3 1B"},
                                                         {"qwen2.5-1.5b", "Qwen2.5 1.5B"},
                                                         {"smollm2-1.7b", "SmolLM2 1.7B"},
                                                         {"minicpm-2b", "MiniCPM 2B"}};
  const json model0 = doc["models"][0], run0 = doc["runs"][0];
  double tpot = 200;
  for (const auto& [name, column] : columns) {
    json m = model0;
    m["name"] = name;
    m["paper_column"] = column;
    m["synthetic"] = true;
    m["weight_type"] = "BF16";
    m["sha256"] = nullptr;
    m["synthetic_recipe"] = {{"shape", name}, {"type", "bf16"}, {"seed", 1}, {"writer", "make-model"}};
    doc["models"].push_back(m);
    json r = run0;
    r["model"] = name;
    json& lat = r["efficiency"]["latency"][0];
    lat["n_prompt"] = 8;
    lat["n_gen"] = 16;
    lat["repetitions"] = 1;
    lat["warmup"] = 1;
    lat["tpot_ms"]["mean"] = tpot += 50;
    for (auto& [task, t] : r["tasks"].items())
      t = {{"status", "not_run"}, {"reason", "a Table 1 baseline on synthetic weights: efficiency rows only"},
           {"results", json::object()}};
    doc["runs"].push_back(r);
  }
  return doc;
}

}  // namespace bitnet::test
