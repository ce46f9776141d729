#include "evals/runner/shards.h"

#include <fmt/format.h>

#include <cmath>

#include "common/error.h"

namespace bitnet::evals {

using nlohmann::json;

ShardSpec ShardSpec::Parse(const std::string& text) {
  const size_t slash = text.find('/');
  auto bad = [&]() -> UsageError {
    return UsageError("--shard " + text + ": expected I/N with 0 <= I < N (e.g. 0/4; I is 0-based like SLURM_ARRAY_TASK_ID)");
  };
  if (slash == std::string::npos || slash == 0 || slash + 1 >= text.size()) throw bad();
  auto num = [&](const std::string& s) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) throw bad();
    return static_cast<size_t>(std::stoul(s));
  };
  ShardSpec s;
  s.index = num(text.substr(0, slash));
  s.count = num(text.substr(slash + 1));
  if (s.count == 0 || s.index >= s.count) throw bad();
  return s;
}

std::string ShardSpec::ToString() const { return fmt::format("{}/{}", index, count); }

std::vector<ShardUnit> ShardUnits(const std::vector<TaskConfig>& tasks, const std::vector<std::vector<DocRequests>>& streams) {
  std::vector<ShardUnit> units;
  for (size_t t = 0; t < tasks.size() && t < streams.size(); ++t) {
    const auto& docs = streams[t];
    for (size_t i = 0; i < docs.size(); ++i) {
      double w = 0;
      for (const Request& r : docs[i].requests)
        w += static_cast<double>(r.context.size() + r.continuation.size()) / 4.0 + static_cast<double>(r.max_gen_toks);
      const bool same_prefix = i > 0 && !docs[i].fewshot.empty() && docs[i].fewshot == docs[i - 1].fewshot;
      if (same_prefix && !units.empty() && units.back().task == t) {
        units.back().end = i + 1;
        units.back().weight += w;
      } else {
        units.push_back({t, i, i + 1, w});
      }
    }
  }
  return units;
}

std::vector<std::vector<size_t>> ShardDocuments(const std::vector<TaskConfig>& tasks,
                                                const std::vector<std::vector<DocRequests>>& streams,
                                                const ShardSpec& spec) {
  const std::vector<ShardUnit> units = ShardUnits(tasks, streams);
  double total = 0;
  for (const auto& u : units) total += u.weight;
  std::vector<std::vector<size_t>> out(tasks.size());
  double before = 0;
  for (const auto& u : units) {
    const double mid = total > 0 ? (before + u.weight / 2) / total : 0.0;
    size_t shard = static_cast<size_t>(std::floor(mid * static_cast<double>(spec.count)));
    if (shard >= spec.count) shard = spec.count - 1;
    before += u.weight;
    if (shard != spec.index) continue;
    for (size_t i = u.first; i < u.end; ++i) out[u.task].push_back(i);
  }
  return out;
}

json ToRanges(const std::vector<size_t>& p) {
  json out = json::array();
  for (size_t i = 0; i < p.size();) {
    size_t j = i + 1;
    while (j < p.size() && p[j] == p[j - 1] + 1) ++j;
    out.push_back({p[i], p[j - 1] + 1});
    i = j;
  }
  return out;
}

std::vector<size_t> FromRanges(const json& ranges, const std::string& where) {
  if (!ranges.is_array()) throw InputError(where, "documents", "expected a list of [first, end) ranges");
  std::vector<size_t> out;
  for (const auto& r : ranges) {
    if (!r.is_array() || r.size() != 2 || !r[0].is_number_unsigned() || !r[1].is_number_unsigned() ||
        r[0].get<size_t>() >= r[1].get<size_t>() || r[1].get<size_t>() > kMaxShardDocuments)
      throw InputError(where, "documents " + r.dump(),
                       fmt::format("expected [first, end) with first < end <= {}", kMaxShardDocuments));
    if (!out.empty() && r[0].get<size_t>() <= out.back())
      throw InputError(where, "documents " + r.dump(), "ranges must be ascending and disjoint");
    for (size_t i = r[0].get<size_t>(); i < r[1].get<size_t>(); ++i) out.push_back(i);
  }
  return out;
}

json ShardManifest(const ShardSpec& spec, const json& configuration, const std::vector<std::string>& task_names,
                   const std::vector<std::vector<size_t>>& documents) {
  json docs = json::object();
  for (size_t t = 0; t < task_names.size(); ++t) docs[task_names[t]] = ToRanges(documents.at(t));
  return json{{"bitnet_eval_shard", 1},
              {"shard", {{"index", spec.index}, {"count", spec.count}}},
              {"configuration", configuration},
              {"documents", docs}};
}

}  // namespace bitnet::evals
