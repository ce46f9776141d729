#pragma once
// The request cache of `eval --out DIR` (DIR/request_cache.jsonl): an append-only JSON-lines file,
// one record per finished request, so a run killed at any point (kill -9 included) restarts and
// recomputes only what is missing, ending with the same results and samples.
//
//   line 1   {"bitnet_eval_request_cache":1,"settings":{...}}   what the results depend on
//                                                              (model sha256, kernel, n_ctx, BOS, chat, ...)
//   then     {"key":"<sha256>","task":"arc_easy","doc":3,"idx":1,"result":{...}}
//
// key = SHA-256 of "<task>\n" + CanonicalRequest (requests.h), so a changed prompt is a miss, never
// a wrong hit. Records are written with one write() each (nothing is lost on kill -9 except a
// line being written) and fsync'd in batches (every `sync_every` records or `sync_seconds`).
// On open: a truncated or unreadable last line (a kill mid-write) is dropped and reported
// (note()); a bad line elsewhere is an InputError naming the file and line; a header whose
// settings differ from this run's is an InputError naming the first differing setting.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "evals/core/requests.h"

namespace bitnet::evals {

class RequestCache {
 public:
  RequestCache(std::filesystem::path path, nlohmann::json settings);
  ~RequestCache();
  RequestCache(const RequestCache&) = delete;
  RequestCache& operator=(const RequestCache&) = delete;

  static std::string Key(const std::string& task, const Request& r);

  // The stored result of a finished request, or nullptr. Counts hits.
  const nlohmann::json* Find(const std::string& key);
  // Appends one finished request (written at once, fsync'd in batches).
  void Put(const std::string& key, const std::string& task, size_t doc, size_t idx, const nlohmann::json& result);
  // Writes out and fsyncs what is pending.
  void Sync();

  const std::filesystem::path& path() const { return path_; }
  size_t loaded() const { return map_.size(); }  // records read at open
  size_t hits() const { return hits_; }
  size_t written() const { return written_; }
  const std::string& note() const { return note_; }  // e.g. the dropped truncated line; "" if none

  size_t sync_every = 64;
  double sync_seconds = 2.0;

 private:
  void Load();
  void WriteLine(const std::string& line);

  std::filesystem::path path_;
  nlohmann::json settings_;
  std::unordered_map<std::string, nlohmann::json> map_;
  int fd_ = -1;
  size_t hits_ = 0, written_ = 0, unsynced_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
  std::string note_;
};

}  // namespace bitnet::evals
