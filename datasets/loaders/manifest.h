#pragma once
// datasets/manifest.json as data: one entry per dataset file with its place under the data dir,
// source URL, sha256 and record count (when known), and how to read it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datasets/loaders/data_dir.h"
#include "datasets/loaders/records.h"

namespace bitnet::datasets {

struct ManifestFile {
  std::string dataset;             // key under "datasets", e.g. "arc_easy"
  std::string path;                // relative to the data dir, e.g. "arc/arc_easy.jsonl"
  std::string url;                 // empty for members of an archive
  std::string sha256;              // lower-case hex; empty when not known
  std::optional<int64_t> records;  // expected record count, when known
  std::string kind = "records";    // "records" (LoadRecords) or "labels" (ReadLabels)
  CsvOptions csv;                  // for .csv files
  bool in_shared = false;          // a copy is in the team's ../shared/data
};

// Every file of every dataset, in manifest order. Malformed manifests are InputErrors.
std::vector<ManifestFile> LoadManifestFiles(const std::string& manifest_path);

// Loads `f` from `dir` the way the manifest says and returns its record (or label) count.
size_t CountRecords(const ManifestFile& f, const DataDir& dir);

}  // namespace bitnet::datasets
