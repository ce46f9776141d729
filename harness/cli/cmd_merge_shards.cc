// bitnet-eval merge-shards SHARD_DIR... --out DIR
// Combines the folders written by `eval --shard I/N` (one per shard, in any order) into one
// results.json, samples_<task>.jsonl (documents in evaluation order) and, for MT-bench, FastChat
// answers, identical to an unsharded run's (evals/runner/merge.h). Folders written by
// `run --suite S --shard I/N` are merged into one suite report instead (report.json, report.html,
// samples/; harness/suite/suite_merge.h). A missing, duplicated, unfinished or mismatched shard is
// an error naming it (exit 2).
#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "common/error.h"
#include "evals/runner/merge.h"
#include "evals/runner/mt_bench.h"
#include "evals/runner/report.h"
#include "harness/cli/options.h"
#include "harness/suite/report_output.h"
#include "harness/suite/suite_merge.h"

namespace bitnet::cli {

int RunMergeShards(const Args& args) {
  po::options_description desc("merge-shards options");
  desc.add_options()("shards", po::value<std::vector<std::string>>()->multitoken(), "shard output folders")
      ("out,o", po::value<std::string>()->required(), "output folder of the merged run")
      ("bootstrap-iters", po::value<int>(), "bootstrap iterations (default: the shards' setting)");
  po::positional_options_description pos;
  pos.add("shards", -1);
  po::variables_map vm;
  if (!Parse("merge-shards", "SHARD_DIR... --out DIR", desc, &pos, args, vm)) return 0;
  if (!vm.count("shards")) throw UsageError("merge-shards: give the shard folders (e.g. out/shard-*)");
  std::vector<std::filesystem::path> dirs;
  for (const auto& d : vm["shards"].as<std::vector<std::string>>()) {
    if (!std::filesystem::is_directory(d)) throw InputError(d, "merge-shards", "not a folder");
    dirs.emplace_back(d);
  }
  const std::filesystem::path out = vm["out"].as<std::string>();
  size_t suite_shards = 0;
  for (const auto& d : dirs) suite_shards += suite::IsSuiteShardFolder(d) ? 1 : 0;
  if (suite_shards > 0) {
    for (const auto& d : dirs)
      if (!suite::IsSuiteShardFolder(d))
        throw InputError(d.string(), "merge-shards",
                         "an `eval --shard` folder among suite shards (`run --suite ... --shard`): merge them separately");
    if (vm.count("bootstrap-iters")) throw UsageError("merge-shards: --bootstrap-iters applies to eval shards only");
    nlohmann::json command = {"bitnet-eval", "merge-shards"};
    for (const auto& a : args) command.push_back(a);
    const nlohmann::json doc = suite::MergeSuiteShards(dirs, out, command);
    fmt::print("{}", suite::SummaryMarkdown(doc));
    fmt::print("\nmerged {} suite shards; wrote {}\n", dirs.size(), (out / "report.json").string());
    return 0;
  }
  std::optional<int> iters;
  if (vm.count("bootstrap-iters")) iters = vm["bootstrap-iters"].as<int>();
  const evals::MergedRun m = evals::MergeShards(dirs, iters);

  std::filesystem::create_directories(out);
  const std::string model_sha = m.configuration.value("model_sha256", "");
  const std::string model_id = std::filesystem::path(m.results.value("model_name", "model")).stem().string();
  for (const auto& r : m.runs) {
    evals::WriteFileAtomic(out / ("samples_" + r.task + ".jsonl"), evals::SamplesJsonl(r));
    if (r.config.value("process_results", "") == "mt_bench_judge") {
      const std::filesystem::path ap = out / evals::FastChatAnswersPath(r.task, model_id);
      std::filesystem::create_directories(ap.parent_path());
      evals::WriteFileAtomic(ap, evals::FastChatAnswersJsonl(r.samples, model_id, model_sha));
    }
  }
  evals::WriteFileAtomic(out / "results.json",
                         m.results.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  fmt::print("merged {} shards\n", dirs.size());
  fmt::print("{}", evals::FormatTable(m.runs));
  fmt::print("\nwrote {}\n", (out / "results.json").string());
  return 0;
}

}  // namespace bitnet::cli
