// bitnet-eval compare BASE.json NEW.json [--max-drop METRIC=POINTS]... [--max-slowdown PCT]
//                    [--require-identical-logits] [--json OUT]
// Exit 0 pass, 1 regression, 2 bad input (unreadable, invalid, nothing comparable, bad gate).
#include <fmt/format.h>

#include "common/error.h"
#include "harness/cli/options.h"
#include "reports/reports.h"

namespace bitnet::cli {

namespace {

int CompareFiles(const Args& args) {
  po::options_description desc("compare options");
  desc.add_options()("base", po::value<std::string>(), "baseline report JSON")
      ("new", po::value<std::string>(), "new report JSON")
      ("max-drop", po::value<std::vector<std::string>>()->composing(),
       "METRIC=POINTS: fail when a metric drops by more (acc_norm=1.0; *=2 every metric; arc_easy/acc=1 one task); "
       "repeatable")
      ("max-slowdown", po::value<double>(), "PCT: fail when a throughput row (bench, latency, microbench) is slower by more")
      ("require-identical-logits", po::bool_switch(), "fail unless runs[].logits_fingerprint.sha256 are identical")
      ("json", po::value<std::string>(), "also write the comparison as JSON to this file");
  po::positional_options_description pos;
  pos.add("base", 1).add("new", 1);
  po::variables_map vm;
  if (!Parse("compare", "BASE.json NEW.json [--max-drop METRIC=POINTS]... [--max-slowdown PCT] "
                        "[--require-identical-logits] [--json OUT]",
             desc, &pos, args, vm))
    return 0;
  if (!vm.count("base") || !vm.count("new")) throw UsageError("compare: give BASE.json and NEW.json");
  reports::CompareOptions opt;
  if (vm.count("max-drop"))
    for (const auto& s : vm["max-drop"].as<std::vector<std::string>>()) opt.max_drops.push_back(reports::ParseMaxDrop(s));
  if (vm.count("max-slowdown")) {
    opt.max_slowdown_pct = vm["max-slowdown"].as<double>();
    if (!(*opt.max_slowdown_pct >= 0)) throw UsageError("--max-slowdown: PCT must be a non-negative number");
  }
  opt.require_identical_logits = vm["require-identical-logits"].as<bool>();
  const auto base = reports::LoadReport(vm["base"].as<std::string>());
  const auto next = reports::LoadReport(vm["new"].as<std::string>());
  const auto result = reports::Compare(base, next, opt);
  fmt::print("{}", reports::FormatCompare(result));
  if (vm.count("json")) reports::WriteFileAtomic(vm["json"].as<std::string>(), reports::CompareJson(result).dump(2) + "\n");
  return static_cast<int>(result.verdict);
}

}  // namespace

int RunCompare(const Args& args) {
  // Every failure that is not a verdict is exit 2: a CI gate must never read a crash as a regression.
  try {
    return CompareFiles(args);
  } catch (const std::exception& e) {
    fmt::print(stderr, "bitnet-eval compare: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace bitnet::cli
