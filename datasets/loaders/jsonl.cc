// JSONL and JSON parsing (nlohmann), with line numbers in every error.
#include <fmt/format.h>

#include "common/error.h"
#include "datasets/loaders/records.h"
#include "datasets/loaders/text.h"

namespace bitnet::datasets {
namespace {

using nlohmann::json;

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
// "syntax error ...".
std::string ParseReason(const json::parse_error& e) {
  std::string msg = e.what();
  size_t col = msg.find("column ");
  size_t colon = msg.find(": ", col == std::string::npos ? 0 : col);
  return colon == std::string::npos ? msg : msg.substr(colon + 2);
}


template <typename J>
std::vector<J> ParseJsonlT(std::string_view text, const std::string& file) {
  text = StripBom(text);
  CheckUtf8(text, file);
  std::vector<J> out;
  size_t line_no = 0, blank_line = 0;  // blank_line: first blank line since the last record
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (IsBlank(line)) {
      if (blank_line == 0) blank_line = line_no;
      continue;
    }
    if (blank_line != 0)
      throw InputError(file, fmt::format("line {}", blank_line),
                       "blank line between records (only trailing blank lines are allowed)");
    J rec;
    try {
      rec = J::parse(line);
    } catch (const json::parse_error& e) {
      throw InputError(file, fmt::format("line {}", line_no),
                       fmt::format("invalid JSON at column {}: {}", e.byte, ParseReason(e)));
    } catch (const json::exception& e) {  // e.g. out_of_range.406: a number too large for a double
      throw InputError(file, fmt::format("line {}", line_no), fmt::format("invalid JSON: {}", e.what()));
    }
    if (!rec.is_object())
      throw InputError(file, fmt::format("line {}", line_no),
                       fmt::format("record is a JSON {}, not an object", rec.type_name()));
    out.push_back(std::move(rec));
  }
  if (out.empty()) throw InputError(file, "line 1", "no records (empty file)");
  return out;
}

template <typename J>
std::vector<J> ParseJsonRecordsT(std::string_view text, const std::string& file) {
  text = StripBom(text);
  CheckUtf8(text, file);
  J doc;
  try {
    doc = J::parse(text);
  } catch (const json::parse_error& e) {
    size_t off = e.byte == 0 ? 0 : e.byte - 1;
    throw InputError(file, fmt::format("line {}", LineOfOffset(text, off)),
                     fmt::format("invalid JSON: {}", ParseReason(e)));
  } catch (const json::exception& e) {  // e.g. out_of_range.406: a number too large for a double
    throw InputError(file, "JSON", fmt::format("invalid JSON: {}", e.what()));
  }
  const J* array = nullptr;
  if (doc.is_array()) {
    array = &doc;
  } else if (doc.is_object()) {
    std::string names;
    for (const auto& [key, value] : doc.items()) {
      if (!value.is_array()) continue;
      names += (names.empty() ? "" : ", ") + key;
      array = &value;
    }
    if (names.find(", ") != std::string::npos)
      throw InputError(file, "top level",
                       fmt::format("object holds several arrays ({}); expected exactly one", names));
    if (!array) throw InputError(file, "top level", "object holds no array of records");
  } else {
    throw InputError(file, "top level",
                     fmt::format("expected an array of records, found a JSON {}", doc.type_name()));
  }
  std::vector<J> out;
  out.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    const J& rec = (*array)[i];
    if (!rec.is_object())
      throw InputError(file, fmt::format("record {}", i),
                       fmt::format("record is a JSON {}, not an object", rec.type_name()));
    out.push_back(rec);
  }
  if (out.empty()) throw InputError(file, "top level", "no records (empty array)");
  return out;
}

}  // namespace

std::vector<json> ParseJsonl(std::string_view text, const std::string& file) {
  return ParseJsonlT<json>(text, file);
}
std::vector<nlohmann::ordered_json> ParseJsonlOrdered(std::string_view text, const std::string& file) {
  return ParseJsonlT<nlohmann::ordered_json>(text, file);
}
std::vector<json> ParseJsonRecords(std::string_view text, const std::string& file) {
  return ParseJsonRecordsT<json>(text, file);
}
std::vector<nlohmann::ordered_json> ParseJsonRecordsOrdered(std::string_view text,
                                                            const std::string& file) {
  return ParseJsonRecordsT<nlohmann::ordered_json>(text, file);
}

}  // namespace bitnet::datasets
