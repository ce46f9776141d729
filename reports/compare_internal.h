#pragma once
// Pieces of compare.cc shared with compare_support.cc (not part of the public API).
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace bitnet::reports {

struct RunPair {
  std::string model;  // the base run's model name
  const nlohmann::json* base_doc = nullptr;
  const nlohmann::json* base = nullptr;  // runs[] entries
  const nlohmann::json* next = nullptr;
};

// Runs matched by model name, else by the model file's sha256. Unmatched runs are noted in
// `messages`.
std::vector<RunPair> PairRuns(const nlohmann::json& base, const nlohmann::json& next, std::vector<std::string>& messages);

// Google Benchmark rows -> "NAME items/s" / "NAME bytes/s" values. With repetitions, the
// "median" aggregate is used; without aggregates, the median of the iteration rows.
std::map<std::string, double> MicrobenchValues(const nlohmann::json* rows);

}  // namespace bitnet::reports
