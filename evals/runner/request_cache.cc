#include "evals/runner/request_cache.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "evals/core/sha256.h"

namespace bitnet::evals {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kMagic = "bitnet_eval_request_cache";

std::string FirstDifference(const json& want, const json& have) {
  for (const auto& [k, v] : want.items()) {
    if (!have.contains(k)) return fmt::format("setting '{}' is missing from the cache", k);
    if (have[k] != v) return fmt::format("{} was {} for the cached results, {} for this run", k, have[k].dump(), v.dump());
  }
  for (const auto& [k, v] : have.items())
    if (!want.contains(k)) return fmt::format("the cache has setting '{}' ({}) that this run does not", k, v.dump());
  return "";
}

}  // namespace

std::string RequestCache::Key(const std::string& task, const Request& r) {
  return Sha256Hex(task + "\n" + CanonicalRequest(r));
}

RequestCache::RequestCache(fs::path path, json settings) : path_(std::move(path)), settings_(std::move(settings)) {
  Load();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path_.string(), "open", std::strerror(errno));
  if (::lseek(fd_, 0, SEEK_END) == 0)
    WriteLine(json{{kMagic, 1}, {"settings", settings_}}.dump());
  Sync();
}

RequestCache::~RequestCache() {
  if (fd_ >= 0) {
    try {
      Sync();
    } catch (...) {
    }
    ::close(fd_);
  }
}

void RequestCache::Load() {
  std::error_code ec;
  if (!fs::exists(path_, ec)) return;
  std::ifstream f(path_, std::ios::binary);
  if (!f) throw InputError(path_.string(), "open", "cannot read the request cache");
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t pos = 0, line_no = 0, good_end = 0;
  // The cache's records nest a few levels; one nested 30000 deep would overflow the stack when
  // the settings are compared (found by tests/fuzz/request_cache_fuzz). Too deep is a bad line.
  constexpr int kMaxJsonDepth = 64;
  const auto limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth)
      throw InputError(path_.string(), fmt::format("line {}", line_no),
                       fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
    return true;
  };
  while (pos < text.size()) {
    ++line_no;
    const size_t nl = text.find('\n', pos);
    const bool complete = nl != std::string::npos;
    const std::string line = text.substr(pos, complete ? nl - pos : std::string::npos);
    const size_t next = complete ? nl + 1 : text.size();
    json j;
    std::string bad;
    try {
      j = json::parse(line, limit_depth);
    } catch (const json::exception& e) {
      bad = e.what();
    }
    if (bad.empty() && !complete) bad = "no newline at the end";
    if (!bad.empty()) {
      if (next < text.size())  // not the last line: the file is damaged, not just cut short
        throw InputError(path_.string(), fmt::format("line {}", line_no),
                         "unreadable request-cache record (" + bad + "); delete the file or run with --no-cache");
      note_ = fmt::format("{}: line {}: dropped a truncated last record ({} bytes; the previous run was "
                          "interrupted while writing it)",
                          path_.string(), line_no, line.size());
      break;
    }
    if (line_no == 1) {
      if (!j.is_object() || !j.contains(kMagic) || !j.contains("settings"))
        throw InputError(path_.string(), "line 1", "not a bitnet-eval request cache (no header)");
      const std::string diff = FirstDifference(settings_, j["settings"]);
      if (!diff.empty())
        throw InputError(path_.string(), "line 1 (settings)",
                         "the cache belongs to a run with other settings: " + diff +
                             "; use another --out, delete the file, or pass --no-cache");
    } else {
      if (!j.is_object() || !j.contains("key") || !j["key"].is_string() || j["key"].get<std::string>().size() != 64 ||
          !j.contains("result") || !j["result"].is_object())
        throw InputError(path_.string(), fmt::format("line {}", line_no),
                         "a request-cache record needs \"key\" (64 hex digits) and \"result\" (an object)");
      map_.emplace(j["key"].get<std::string>(), std::move(j["result"]));
    }
    good_end = next;
    pos = next;
  }
  if (good_end < text.size()) {
    if (::truncate(path_.c_str(), static_cast<off_t>(good_end)) != 0)
      throw InputError(path_.string(), "truncate", std::strerror(errno));
  }
}

const json* RequestCache::Find(const std::string& key) {
  auto it = map_.find(key);
  if (it == map_.end()) return nullptr;
  ++hits_;
  return &it->second;
}

void RequestCache::WriteLine(const std::string& line) {
  const std::string data = line + "\n";
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(path_.string(), "write", std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  ++unsynced_;
}

void RequestCache::Put(const std::string& key, const std::string& task, size_t doc, size_t idx, const json& result) {
  WriteLine(json{{"key", key}, {"task", task}, {"doc", doc}, {"idx", idx}, {"result", result}}.dump(
      -1, ' ', false, json::error_handler_t::replace));
  ++written_;
  const auto now = std::chrono::steady_clock::now();
  if (unsynced_ >= sync_every || std::chrono::duration<double>(now - last_sync_).count() >= sync_seconds) Sync();
}

void RequestCache::Sync() {
  if (fd_ < 0) return;
  if (unsynced_ > 0 && ::fsync(fd_) != 0) throw InputError(path_.string(), "fsync", std::strerror(errno));
  unsynced_ = 0;
  last_sync_ = std::chrono::steady_clock::now();
}

}  // namespace bitnet::evals
