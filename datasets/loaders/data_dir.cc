#include "datasets/loaders/data_dir.h"

#include <system_error>

#include <fmt/format.h>

#include "common/error.h"

namespace bitnet::datasets {

namespace fs = std::filesystem;

DataDir::DataDir(fs::path root) : root_(std::move(root)) {}

bool DataDir::Has(const std::string& relative) const {
  std::error_code ec;
  return fs::is_regular_file(root_ / relative, ec);
}

fs::path DataDir::Find(const std::string& relative) const {
  return FindFirst({relative});
}

fs::path DataDir::FindFirst(const std::vector<std::string>& candidates) const {
  std::string looked;
  for (const auto& rel : candidates) {
    if (Has(rel)) return root_ / rel;
    looked += (looked.empty() ? "" : ", ") + (root_ / rel).string();
  }
  std::error_code ec;
  const bool root_exists = fs::is_directory(root_, ec);
  throw InputError(
      root_.string(), "data dir",
      fmt::format("{}dataset file not found; looked for: {}. Get the data with "
                  "scripts/fetch-datasets.sh {} (see datasets/manifest.json), or point --data-dir "
                  "at datasets/samples for the small demo set",
                  root_exists ? "" : "the directory does not exist; ", looked, root_.string()));
}

// CMake passes the absolute path of datasets/ (not __FILE__, which compiler launchers such as
// ccache with CCACHE_BASEDIR turn into a relative path).
static fs::path DatasetsSourceDir() { return fs::path(BITNET_DATASETS_DIR); }

fs::path SamplesDir() { return DatasetsSourceDir() / "samples"; }
fs::path ManifestPath() { return DatasetsSourceDir() / "manifest.json"; }

}  // namespace bitnet::datasets
