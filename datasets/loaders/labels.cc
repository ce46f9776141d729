#include "datasets/loaders/labels.h"

#include <charconv>

#include <fmt/format.h>

#include "common/error.h"
#include "datasets/loaders/records.h"
#include "datasets/loaders/text.h"

namespace bitnet::datasets {

std::vector<int64_t> ReadLabels(const std::string& path) {
  const std::string bytes = ReadFileText(path);
  std::string_view text = StripBom(bytes);
  CheckUtf8(text, path);
  std::vector<int64_t> out;
  size_t pos = 0, line_no = 0, blank_line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) {
      if (blank_line == 0) blank_line = line_no;
      continue;
    }
    if (blank_line != 0)
      throw InputError(path, fmt::format("line {}", blank_line),
                       "blank line between labels (only trailing blank lines are allowed)");
    size_t e = line.find_last_not_of(" \t\r");
    std::string_view tok = line.substr(b, e - b + 1);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (ec != std::errc() || p != tok.data() + tok.size())
      throw InputError(path, fmt::format("line {}", line_no),
                       fmt::format("expected one integer label, found '{}'", tok));
    out.push_back(v);
  }
  if (out.empty()) throw InputError(path, "line 1", "no labels (empty file)");
  return out;
}

void ImportLabels(std::vector<nlohmann::json>& records, const std::string& records_file,
                  const std::vector<int64_t>& labels, const std::string& labels_file,
                  const std::string& field) {
  if (labels.size() != records.size())
    throw InputError(labels_file, "line count",
                     fmt::format("{} labels for {} records in {}", labels.size(), records.size(),
                                 records_file));
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].contains(field))
      throw InputError(records_file, fmt::format("record {} (0-based)", i),
                       fmt::format("record already has a '{}' field; not overwriting it", field));
    records[i][field] = labels[i];
  }
}

std::vector<nlohmann::json> LoadRecordsWithLabels(const std::string& records_path,
                                                  const std::string& labels_path,
                                                  const std::string& field) {
  auto records = LoadRecords(records_path);
  ImportLabels(records, records_path, ReadLabels(labels_path), labels_path, field);
  return records;
}

}  // namespace bitnet::datasets
