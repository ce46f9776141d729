#pragma once
// Reading evaluation datasets in their original formats. Every record becomes a JSON object;
// every problem with a file is an InputError naming the file and the line (or row) and what was
// wrong. Nothing is skipped silently.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::datasets {

struct CsvOptions {
  bool header = true;                 // first row names the columns
  std::vector<std::string> columns;   // column names when there is no header row (e.g. MMLU's csv)
};

// Chooses the format by the file name: .jsonl, .jsonl.gz, .json (an array of objects, or an object
// holding one such array), .csv. Records keep the file's field names and value types
// (CSV values are strings).
std::vector<nlohmann::json> LoadRecords(const std::string& path, const CsvOptions& csv = {});

}  // namespace bitnet::datasets
