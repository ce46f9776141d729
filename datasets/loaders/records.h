#pragma once
// Reading evaluation datasets in their original formats. Every record becomes a JSON object;
// every problem with a file is an InputError naming the file and the line (or row) and what was
// wrong. Nothing is skipped silently.
//
// Policies (the same for every format):
//  - A UTF-8 byte-order mark at the start of the file is dropped; any other ill-formed UTF-8 is
//    an error naming its line.
//  - Line ends may be LF or CRLF.
//  - Blank (whitespace-only) lines at the end of the file are allowed; a blank line between two
//    records is an error, because it usually means a file was cut or glued together and a
//    silent skip would change record indices (and so few-shot picks and label joins).
//  - A file with no records is an error (an empty download must not look like an empty task).
#include <string>
#include <string_view>
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

// The same, with every object's members in file order (nlohmann::json sorts keys). Use it where
// order carries meaning: TruthfulQA's mc1_targets/mc2_targets are objects answer -> 0|1 whose
// first member is the first choice (lm-eval's few-shot answer is mc2 choices[0]).
std::vector<nlohmann::ordered_json> LoadOrderedRecords(const std::string& path,
                                                       const CsvOptions& csv = {});

// The parsers behind LoadRecords, on text already in memory; `file` only names the source in
// errors. Line numbers count from 1 at the start of `text`.
//
// JSONL: one JSON object per line.
std::vector<nlohmann::json> ParseJsonl(std::string_view text, const std::string& file);
// JSON: a top-level array of objects, or an object with exactly one array-valued member (its
// other members, e.g. a "version" string, are metadata and are not records).
std::vector<nlohmann::json> ParseJsonRecords(std::string_view text, const std::string& file);
// CSV (RFC 4180): fields separated by ',', optionally enclosed in '"' with '""' for a quote;
// quoted fields may hold commas, quotes and line breaks (kept verbatim, CRLF included). A '"'
// inside an unquoted field is a literal character (as in Python's csv; real MMLU has one). Text
// after a closing quote, an unterminated quote, a bare CR, or a row whose field count differs
// from the header/columns is an error naming the line where the row starts.
// With header=true and columns given, the header must equal columns. header=false needs columns.
std::vector<nlohmann::json> ParseCsv(std::string_view text, const std::string& file,
                                     const CsvOptions& csv);
// File-order variants (see LoadOrderedRecords).
std::vector<nlohmann::ordered_json> ParseJsonlOrdered(std::string_view text, const std::string& file);
std::vector<nlohmann::ordered_json> ParseJsonRecordsOrdered(std::string_view text,
                                                            const std::string& file);
std::vector<nlohmann::ordered_json> ParseCsvOrdered(std::string_view text, const std::string& file,
                                                    const CsvOptions& csv);

}  // namespace bitnet::datasets
