#pragma once
// Resume state of a suite run, kept in OUT/state/: config.json (the effective configuration the
// run was started with) and one file per finished unit (units/<key>.json: a probe's block or a
// task's results), each written atomically as the unit finishes, so a run stopped at any point
// (Ctrl-C, kill -9, power loss of the process) restarts where it stopped. A restart with a
// different configuration is refused (UsageError naming what differs) unless `fresh`, which
// discards the old state.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::suite {

class RunState {
 public:
  RunState(std::filesystem::path out_dir, nlohmann::json config, bool fresh);

  // Units found on disk when the state was opened.
  size_t resumed_units() const { return resumed_; }
  const std::filesystem::path& dir() const { return dir_; }

  std::optional<nlohmann::json> Find(const std::string& key) const;
  // Persists a finished unit (atomically), then keeps it in memory.
  void Put(const std::string& key, const nlohmann::json& value);
  // Every unit, for assembling a report (also from the signal thread).
  std::map<std::string, nlohmann::json> Snapshot() const;

  // Top-level keys whose values differ between two configurations ("models", "threads", ...).
  static std::vector<std::string> Differences(const nlohmann::json& a, const nlohmann::json& b);

 private:
  std::filesystem::path UnitPath(const std::string& key) const;

  std::filesystem::path dir_;
  nlohmann::json config_;
  mutable std::mutex mu_;
  std::map<std::string, nlohmann::json> units_;
  size_t resumed_ = 0;
};

// Writes `content` to `path` through a temporary file in the same folder and a rename: a reader
// (or a restarted run) sees the old file or the whole new one.
void WriteAtomic(const std::filesystem::path& path, const std::string& content);

}  // namespace bitnet::suite
