#pragma once
// Where dataset files live: a --data-dir root with the layout of datasets/manifest.json
// ("arc/arc_challenge.jsonl", "mmlu/test/anatomy_test.csv", ...), and the project's samples.
#include <filesystem>
#include <string>
#include <vector>

namespace bitnet::datasets {

class DataDir {
 public:
  explicit DataDir(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  bool Has(const std::string& relative) const;

  // root/relative if it is a regular file; otherwise an InputError naming the root and every
  // path looked for, and how to get the data (scripts/fetch-datasets.sh).
  std::filesystem::path Find(const std::string& relative) const;
  // The first candidate that exists (e.g. a newer release, then an older one).
  std::filesystem::path FindFirst(const std::vector<std::string>& candidates) const;

 private:
  std::filesystem::path root_;
};

// datasets/samples in this source tree (the project-written demo/test data; same layout).
std::filesystem::path SamplesDir();
// datasets/manifest.json in this source tree.
std::filesystem::path ManifestPath();

}  // namespace bitnet::datasets
