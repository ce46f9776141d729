// LoadRecords: pick the parser by file name.
#include <fmt/format.h>

#include "common/error.h"
#include "datasets/loaders/records.h"
#include "datasets/loaders/text.h"

namespace bitnet::datasets {
namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<nlohmann::json> LoadRecords(const std::string& path, const CsvOptions& csv) {
  if (EndsWith(path, ".jsonl.gz")) return ParseJsonl(ReadGzipText(path), path);
  if (EndsWith(path, ".jsonl")) return ParseJsonl(ReadFileText(path), path);
  if (EndsWith(path, ".json")) return ParseJsonRecords(ReadFileText(path), path);
  if (EndsWith(path, ".csv")) return ParseCsv(ReadFileText(path), path, csv);
  throw InputError(path, "file name",
                   "unknown dataset format (expected .jsonl, .jsonl.gz, .json or .csv)");
}

std::vector<nlohmann::ordered_json> LoadOrderedRecords(const std::string& path,
                                                       const CsvOptions& csv) {
  if (EndsWith(path, ".jsonl.gz")) return ParseJsonlOrdered(ReadGzipText(path), path);
  if (EndsWith(path, ".jsonl")) return ParseJsonlOrdered(ReadFileText(path), path);
  if (EndsWith(path, ".json")) return ParseJsonRecordsOrdered(ReadFileText(path), path);
  if (EndsWith(path, ".csv")) return ParseCsvOrdered(ReadFileText(path), path, csv);
  throw InputError(path, "file name",
                   "unknown dataset format (expected .jsonl, .jsonl.gz, .json or .csv)");
}

}  // namespace bitnet::datasets
