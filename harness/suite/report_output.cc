#include "harness/suite/report_output.h"

#include "reports/reports.h"

namespace bitnet::suite {

using nlohmann::json;

void WriteReportFiles(const std::filesystem::path& out_dir, const json& doc) {
  reports::ValidateReport(doc, (out_dir / "report.json").string());
  reports::WriteFileAtomic((out_dir / "report.json").string(),
                           doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  reports::WriteFileAtomic((out_dir / "report.html").string(), reports::RenderHtml(doc));
}

std::string SummaryMarkdown(const json& doc) {
  std::string md = reports::RenderMarkdown(doc);
  md += "\nReport: report.json and report.html in the output folder";
  md += doc.value("status", "") == "partial" ? " (partial: run the same command again to continue).\n" : ".\n";
  return md;
}

}  // namespace bitnet::suite
