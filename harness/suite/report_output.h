#pragma once
// Writing a suite's report: report.json (atomically) and report.html (when the reports library is
// built in), and the Markdown summary printed at the end of a run.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace bitnet::suite {

void WriteReportFiles(const std::filesystem::path& out_dir, const nlohmann::json& doc);
std::string SummaryMarkdown(const nlohmann::json& doc);

}  // namespace bitnet::suite
