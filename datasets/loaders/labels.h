#pragma once
// Labels kept apart from their records, one integer per line (PIQA's valid-labels.lst is aligned
// by line with valid.jsonl): read them and join them to the records by index.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::datasets {

// One integer per line (optional surrounding spaces, LF or CRLF); trailing blank lines allowed,
// anything else (a blank line in the middle, "1.0", "x") is an InputError naming the line.
std::vector<int64_t> ReadLabels(const std::string& path);

// Sets records[i][field] = labels[i]. A count mismatch, or a record that already has `field`, is
// an InputError naming the labels file (count) or the records file (record index).
void ImportLabels(std::vector<nlohmann::json>& records, const std::string& records_file,
                  const std::vector<int64_t>& labels, const std::string& labels_file,
                  const std::string& field = "label");

// LoadRecords(records_path) + ReadLabels(labels_path) + ImportLabels.
std::vector<nlohmann::json> LoadRecordsWithLabels(const std::string& records_path,
                                                  const std::string& labels_path,
                                                  const std::string& field = "label");

}  // namespace bitnet::datasets
