// Over the team's real data in ../shared/data (skipped with a message when absent): every file the
// manifest says is there has the manifest's sha256 and loads with the manifest's record count.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <cstdio>
#include <memory>

#include "datasets/loaders/data_dir.h"
#include "datasets/loaders/labels.h"
#include "datasets/loaders/manifest.h"
#include "datasets/loaders/records.h"
#include "tests/test_support.h"

namespace {

using namespace bitnet::datasets;

// sha256sum(1) of many files at once: path -> hex digest.
std::map<std::string, std::string> Sha256Sums(const std::vector<std::string>& paths) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < paths.size(); i += 64) {
    std::string cmd = "sha256sum --";
    for (size_t k = i; k < std::min(paths.size(), i + 64); ++k) cmd += " '" + paths[k] + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    REQUIRE(pipe);
    char line[4096];
    while (fgets(line, sizeof line, pipe.get())) {
      std::string s(line);
      if (s.size() < 67) continue;
      std::string path = s.substr(66);
      while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
      out[path] = s.substr(0, 64);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Shared data: sha256 and record counts match the manifest", "[datasets][shared]") {
  auto root = bitnet::test::SharedData("MANIFEST.md");
  if (!root) return;
  const DataDir dir(root->parent_path());
  std::vector<ManifestFile> present;
  std::vector<std::string> paths;
  for (const auto& f : LoadManifestFiles(ManifestPath().string())) {
    if (!f.in_shared) continue;
    INFO(f.path);
    CHECK(dir.Has(f.path));  // in_shared means the team copy has it
    if (!dir.Has(f.path)) continue;
    present.push_back(f);
    paths.push_back(dir.Find(f.path).string());
  }
  REQUIRE(present.size() >= 180);
  const auto sums = Sha256Sums(paths);
  std::map<std::string, size_t> totals;
  for (size_t i = 0; i < present.size(); ++i) {
    const auto& f = present[i];
    INFO(f.path);
    CHECK(sums.count(paths[i]) == 1);
    if (sums.count(paths[i])) CHECK(sums.at(paths[i]) == f.sha256);
    REQUIRE(f.records.has_value());
    const size_t n = CountRecords(f, dir);
    CHECK(static_cast<int64_t>(n) == *f.records);
    if (f.dataset == "mmlu") totals[f.path.substr(5, f.path.find('/', 5) - 5)] += n;
  }
  CHECK(totals["test"] == 14042);
  CHECK(totals["dev"] == 285);
  CHECK(totals["val"] == 1531);
}

TEST_CASE("Shared data: PIQA labels join, TruthfulQA and HumanEval+ shapes", "[datasets][shared]") {
  auto piqa = bitnet::test::SharedData("piqa/valid.jsonl");
  auto labels = bitnet::test::SharedData("piqa/valid-labels.lst");
  if (!piqa || !labels) return;
  auto recs = LoadRecordsWithLabels(piqa->string(), labels->string());
  CHECK(recs.size() == 1838);
  for (const auto& r : recs) CHECK((r["label"] == 0 || r["label"] == 1));

  auto tqa = bitnet::test::SharedData("truthfulqa/v1/mc_task.json");
  if (!tqa) return;
  auto mc = LoadRecords(tqa->string());
  REQUIRE(mc.size() == 817);
  CHECK(mc[0].contains("mc2_targets"));
  CHECK_FALSE(mc[0].contains("mc0_targets"));
  auto csv = LoadRecords(bitnet::test::SharedData("truthfulqa/v1/TruthfulQA.csv")->string());
  CHECK(csv[0].contains("Type"));  // the BOM is not part of the first column name

  auto he = bitnet::test::SharedData("humaneval/HumanEvalPlus-v0.1.0.jsonl.gz");
  if (!he) return;
  auto tasks = LoadRecords(he->string());
  REQUIRE(tasks.size() == 164);
  CHECK(tasks[0]["task_id"] == "HumanEval_0");
  size_t base = 0;
  for (const auto& t : tasks) base += t["base_input"].size();
  CHECK(base == 1577);  // MANIFEST.md: 1,577 base inputs in v0.1.0
}
