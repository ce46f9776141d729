// RFC 4180 CSV with physical line numbers in errors.
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "datasets/loaders/records.h"
#include "datasets/loaders/text.h"

namespace bitnet::datasets {
namespace {

using nlohmann::json;

struct Row {
  std::vector<std::string> fields;
  size_t line = 0;  // where the row starts
};

class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file) : t_(text), file_(file) {}

  // Next row, or false at the end. Trailing blank lines end the input.
  bool Next(Row& row) {
    if (RestIsBlankLines()) return false;
    row.fields.clear();
    row.line = line_;
    for (;;) {
      row.fields.push_back(ReadField());
      if (i_ < t_.size() && t_[i_] == ',') {
        ++i_;
        continue;
      }
      EndOfRecord();
      return true;
    }
  }

 private:
  bool RestIsBlankLines() const {
    for (size_t k = i_; k < t_.size(); ++k)
      if (t_[k] != '\n' && t_[k] != '\r') return false;
    return true;
  }

  [[noreturn]] void Fail(size_t line, const std::string& why) const {
    throw InputError(file_, fmt::format("line {}", line), why);
  }

  std::string ReadField() {
    std::string f;
    if (i_ < t_.size() && t_[i_] == '"') {
      const size_t open_line = line_;
      ++i_;
      for (;;) {
        if (i_ >= t_.size())
          Fail(open_line, "unbalanced quote: the quoted field opened here is never closed");
        char c = t_[i_];
        if (c == '"') {
          if (i_ + 1 < t_.size() && t_[i_ + 1] == '"') {
            f += '"';
            i_ += 2;
            continue;
          }
          ++i_;
          break;
        }
        if (c == '\n') ++line_;
        f += c;
        ++i_;
      }
      if (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '\n' && t_[i_] != '\r')
        Fail(line_, fmt::format("unexpected '{}' after a closing quote (a quote inside a quoted "
                                "field must be doubled)", t_[i_]));
      return f;
    }
    // A '"' inside an unquoted field is kept as a literal character, as Python's csv module and
    // pandas do: MMLU's val/college_medicine_val.csv has one ('...Will to Truth?",').
    while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '\n' && t_[i_] != '\r') f += t_[i_++];
    return f;
  }

  void EndOfRecord() {
    if (i_ >= t_.size()) return;
    if (t_[i_] == '\r') {
      if (i_ + 1 < t_.size() && t_[i_ + 1] == '\n') {
        i_ += 2;
      } else if (i_ + 1 == t_.size()) {
        i_ += 1;
      } else {
        Fail(line_, "carriage return not followed by a line feed");
      }
    } else {
      ++i_;  // '\n'
    }
    ++line_;
  }

  std::string_view t_;
  const std::string& file_;
  size_t i_ = 0;
  size_t line_ = 1;
};

bool IsBlankRow(const Row& r) { return r.fields.size() == 1 && r.fields[0].empty(); }


template <typename J>
std::vector<J> ParseCsvT(std::string_view text, const std::string& file, const CsvOptions& csv) {
  text = StripBom(text);
  CheckUtf8(text, file);
  CsvReader reader(text, file);
  std::vector<std::string> names = csv.columns;
  Row row;
  if (csv.header) {
    if (!reader.Next(row)) throw InputError(file, "line 1", "no header row (empty file)");
    if (!names.empty() && row.fields != names)
      throw InputError(file, "line 1",
                       fmt::format("header [{}] differs from the expected columns [{}]",
                                   fmt::join(row.fields, ","), fmt::join(names, ",")));
    names = row.fields;
  } else if (names.empty()) {
    throw UsageError(file + ": CsvOptions: header=false needs the column names");
  }
  std::set<std::string> seen;
  for (const auto& n : names)
    if (!seen.insert(n).second)
      throw InputError(file, "line 1", fmt::format("duplicate column name '{}'", n));

  std::vector<J> out;
  while (reader.Next(row)) {
    if (row.fields.size() != names.size()) {
      if (IsBlankRow(row))
        throw InputError(file, fmt::format("line {}", row.line),
                         "blank line between records (only trailing blank lines are allowed)");
      throw InputError(file, fmt::format("line {}", row.line),
                       fmt::format("row has {} fields, expected {}", row.fields.size(),
                                   names.size()));
    }
    J rec = J::object();
    for (size_t k = 0; k < names.size(); ++k) rec[names[k]] = std::move(row.fields[k]);
    out.push_back(std::move(rec));
  }
  if (out.empty()) throw InputError(file, "line 1", "no records");
  return out;
}

}  // namespace

std::vector<json> ParseCsv(std::string_view text, const std::string& file, const CsvOptions& csv) {
  return ParseCsvT<json>(text, file, csv);
}
std::vector<nlohmann::ordered_json> ParseCsvOrdered(std::string_view text, const std::string& file,
                                                    const CsvOptions& csv) {
  return ParseCsvT<nlohmann::ordered_json>(text, file, csv);
}

}  // namespace bitnet::datasets
