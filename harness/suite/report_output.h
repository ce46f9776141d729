#pragma once
// Writing a suite's report with the reports library (reports/reports.h): the document is checked
// by ValidateReport first (a bug here must not produce a document `compare` refuses later), then
// report.json and report.html are written atomically; the Markdown summary is printed at the end.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace bitnet::suite {

void WriteReportFiles(const std::filesystem::path& out_dir, const nlohmann::json& doc);
std::string SummaryMarkdown(const nlohmann::json& doc);

}  // namespace bitnet::suite
