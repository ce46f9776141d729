// bitnet-eval merge A.json B.json ... [--html OUT.html] [--json OUT.json]: one report with a column
// per (machine, model); prints the merged table as Markdown.
#include <fmt/format.h>

#include "common/error.h"
#include "harness/cli/options.h"
#include "reports/reports.h"

namespace bitnet::cli {

int RunMerge(const Args& args) {
  po::options_description desc("merge options");
  desc.add_options()("reports", po::value<std::vector<std::string>>()->composing(), "report JSON files")
      ("html", po::value<std::string>(), "write the side-by-side HTML page to this file")
      ("json", po::value<std::string>(), "write the merged document (bitnet-eval/merged-report) to this file");
  po::positional_options_description pos;
  pos.add("reports", -1);
  po::variables_map vm;
  if (!Parse("merge", "A.json B.json ... [--html OUT.html] [--json OUT.json]", desc, &pos, args, vm)) return 0;
  if (!vm.count("reports")) throw UsageError("merge: give at least one report JSON file");
  const auto files = vm["reports"].as<std::vector<std::string>>();
  std::vector<nlohmann::json> docs;
  for (const auto& f : files) {
    docs.push_back(reports::LoadReport(f));
    if (docs.back().value("schema", "") != reports::kReportSchema)
      throw InputError(f, "schema", "merge takes reports (bitnet-eval/report), not merged reports");
  }
  const auto merged = reports::Merge(docs, files);
  if (vm.count("json")) {
    reports::WriteFileAtomic(vm["json"].as<std::string>(), merged.dump(2) + "\n");
    fmt::print(stderr, "wrote {}\n", vm["json"].as<std::string>());
  }
  if (vm.count("html")) {
    reports::WriteFileAtomic(vm["html"].as<std::string>(), reports::RenderHtml(merged));
    fmt::print(stderr, "wrote {}\n", vm["html"].as<std::string>());
  }
  fmt::print("{}", reports::RenderMarkdown(merged));
  return 0;
}

}  // namespace bitnet::cli
