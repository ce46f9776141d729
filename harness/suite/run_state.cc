#include "harness/suite/run_state.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "reports/reports.h"

namespace bitnet::suite {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json ReadJsonFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw InputError(p.string(), "state", "cannot be read");
  std::stringstream ss;
  ss << f.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::parse_error& e) {
    throw InputError(p.string(), fmt::format("byte {}", e.byte),
                     "the resume state is not valid JSON (remove the folder or pass --fresh)");
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw InputError(p.string(), "JSON", std::string("the resume state is not valid JSON (") + e.what() +
                                             "; remove the folder or pass --fresh)");
  }
}

bool SafeKey(const std::string& key) {
  if (key.empty() || key.size() > 200 || key[0] == '.') return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '@')) return false;
  return true;
}

}  // namespace

void WriteAtomic(const fs::path& path, const std::string& content) { reports::WriteFileAtomic(path.string(), content); }

std::vector<std::string> RunState::Differences(const json& a, const json& b) {
  std::vector<std::string> out;
  for (auto it = a.begin(); it != a.end(); ++it)
    if (!b.contains(it.key()) || b.at(it.key()) != it.value()) out.push_back(it.key());
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!a.contains(it.key())) out.push_back(it.key());
  return out;
}

RunState::RunState(fs::path out_dir, json config, bool fresh) : dir_(out_dir / "state"), config_(std::move(config)) {
  const fs::path config_path = dir_ / "config.json";
  std::error_code ec;
  if (fresh) fs::remove_all(dir_, ec);
  if (fs::exists(config_path)) {
    const json old = ReadJsonFile(config_path);
    if (old != config_) {
      std::string diff;
      for (const auto& k : Differences(old, config_)) diff += (diff.empty() ? "" : ", ") + k;
      throw UsageError(fmt::format(
          "{} holds a run started with a different configuration (differs in: {}); rerun with the same "
          "options to continue it, choose another --out, or pass --fresh to discard it",
          out_dir.string(), diff));
    }
    for (const auto& e : fs::directory_iterator(dir_ / "units", ec)) {
      const fs::path p = e.path();
      if (p.extension() != ".json") continue;  // temporary files of an interrupted write
      units_[p.stem().string()] = ReadJsonFile(p);
    }
    resumed_ = units_.size();
    return;
  }
  fs::create_directories(dir_ / "units");
  WriteAtomic(config_path, config_.dump(2) + "\n");
}

fs::path RunState::UnitPath(const std::string& key) const {
  if (!SafeKey(key)) throw std::logic_error("state key '" + key + "' is not a safe file name");
  return dir_ / "units" / (key + ".json");
}

std::optional<json> RunState::Find(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = units_.find(key);
  if (it == units_.end()) return std::nullopt;
  return it->second;
}

void RunState::Put(const std::string& key, const json& value) {
  const std::string text = value.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  WriteAtomic(UnitPath(key), text);
  units_[key] = json::parse(text);  // exactly what a resumed run reads back
}

std::map<std::string, json> RunState::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return units_;
}

}  // namespace bitnet::suite
