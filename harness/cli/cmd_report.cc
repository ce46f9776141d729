// bitnet-eval report R.json [--html OUT] [--markdown]: re-renders a saved report (or a merged one).
#include <fmt/format.h>

#include "harness/cli/options.h"
#include "reports/reports.h"

namespace bitnet::cli {

int RunReport(const Args& args) {
  po::options_description desc("report options");
  desc.add_options()("report", po::value<std::string>(), "report JSON (bitnet-eval/report or merged-report)")
      ("html", po::value<std::string>(), "write the self-contained HTML page to this file")
      ("markdown", po::bool_switch(), "print the Markdown summary (the default when --html is not given)");
  po::positional_options_description pos;
  pos.add("report", 1);
  po::variables_map vm;
  if (!Parse("report", "R.json [--html OUT.html] [--markdown]", desc, &pos, args, vm)) return 0;
  if (!vm.count("report")) throw UsageError("report: give the report JSON file (see bitnet-eval report --help)");
  const auto doc = reports::LoadReport(vm["report"].as<std::string>());
  if (vm.count("html")) {
    const std::string out = vm["html"].as<std::string>();
    reports::WriteFileAtomic(out, reports::RenderHtml(doc));
    fmt::print(stderr, "wrote {}\n", out);
  }
  if (vm["markdown"].as<bool>() || !vm.count("html")) fmt::print("{}", reports::RenderMarkdown(doc));
  return 0;
}

}  // namespace bitnet::cli
