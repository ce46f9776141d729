// Labels joined by index (PIQA), the data-dir resolver and the manifest reader.
#include <catch2/catch.hpp>

#include <set>

#include "datasets/loaders/data_dir.h"
#include "datasets/loaders/labels.h"
#include "datasets/loaders/manifest.h"
#include "tests/datasets/test_files.h"
#include "tests/test_support.h"

namespace {

using namespace bitnet::datasets;
using bitnet::test::ExpectInputError;
using bitnet::test::WriteText;

}  // namespace

TEST_CASE("ReadLabels: one integer per line", "[datasets]") {
  auto dir = bitnet::test::TempDir("labels");
  CHECK(ReadLabels(WriteText(dir / "a.lst", "0\n1\r\n 1 \n\n")) == std::vector<int64_t>{0, 1, 1});
  CHECK(ReadLabels(WriteText(dir / "b.lst", "-1\n2")) == std::vector<int64_t>{-1, 2});
  auto p = WriteText(dir / "bad.lst", "0\n1\nx\n");
  ExpectInputError([&] { ReadLabels(p); }, {"bad.lst", "line 3", "'x'"});
  p = WriteText(dir / "float.lst", "0\n1.0\n");
  ExpectInputError([&] { ReadLabels(p); }, {"line 2"});
  p = WriteText(dir / "gap.lst", "0\n\n1\n");
  ExpectInputError([&] { ReadLabels(p); }, {"line 2", "blank line"});
  p = WriteText(dir / "empty.lst", "");
  ExpectInputError([&] { ReadLabels(p); }, {"no labels"});
}

TEST_CASE("LoadRecordsWithLabels joins by index and checks the counts", "[datasets]") {
  auto dir = bitnet::test::TempDir("join");
  auto recs_path = WriteText(dir / "valid.jsonl", "{\"goal\": \"g0\"}\n{\"goal\": \"g1\"}\n");
  auto recs = LoadRecordsWithLabels(recs_path, WriteText(dir / "labels.lst", "1\n0\n"));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["label"] == 1);
  CHECK(recs[1]["label"] == 0);
  auto short_labels = WriteText(dir / "short.lst", "1\n");
  ExpectInputError([&] { LoadRecordsWithLabels(recs_path, short_labels); },
                   {"short.lst", "1 labels for 2 records", "valid.jsonl"});
  auto has = WriteText(dir / "has.jsonl", "{\"label\": 0}\n");
  ExpectInputError([&] { LoadRecordsWithLabels(has, WriteText(dir / "one.lst", "1\n")); },
                   {"has.jsonl", "already has a 'label' field"});
}

TEST_CASE("DataDir finds files and says what it looked for", "[datasets]") {
  auto dir = bitnet::test::TempDir("datadir");
  WriteText(dir / "arc" / "arc_challenge.jsonl", "{}\n");
  DataDir d(dir);
  CHECK(d.Has("arc/arc_challenge.jsonl"));
  CHECK_FALSE(d.Has("arc"));  // a directory is not a dataset file
  CHECK(d.Find("arc/arc_challenge.jsonl") == dir / "arc" / "arc_challenge.jsonl");
  CHECK(d.FindFirst({"humaneval/HumanEvalPlus-v0.1.10.jsonl.gz", "arc/arc_challenge.jsonl"}) ==
        dir / "arc" / "arc_challenge.jsonl");
  ExpectInputError([&] { d.FindFirst({"hellaswag/hellaswag_val.jsonl", "hellaswag/val.jsonl"}); },
                   {dir.string(), (dir / "hellaswag/hellaswag_val.jsonl").string(),
                    (dir / "hellaswag/val.jsonl").string(), "fetch-datasets.sh"});
  DataDir nowhere(dir / "does-not-exist");
  ExpectInputError([&] { nowhere.Find("arc/arc_easy.jsonl"); }, {"does not exist"});
}

TEST_CASE("The manifest lists every dataset of the paper table with its files", "[datasets]") {
  const auto files = LoadManifestFiles(ManifestPath().string());
  std::set<std::string> datasets;
  for (const auto& f : files) {
    datasets.insert(f.dataset);
    INFO(f.dataset << " " << f.path);
    CHECK_FALSE(f.path.empty());
    CHECK(f.path.find("..") == std::string::npos);
    CHECK((f.sha256.empty() || f.sha256.size() == 64));
    CHECK((f.kind == "records" || f.kind == "labels"));
    if (f.in_shared) CHECK(f.sha256.size() == 64);  // every file we have a copy of is pinned
  }
  for (const char* name : {"arc_easy", "arc_challenge", "openbookqa", "boolq", "hellaswag", "piqa",
                           "winogrande", "commonsense_qa", "truthfulqa_mc2", "triviaqa", "mmlu", "gsm8k",
                           "humaneval_plus", "math500", "ifeval", "mt_bench"})
    CHECK(datasets.count(name) == 1);
  size_t mmlu = 0;
  for (const auto& f : files)
    if (f.dataset == "mmlu") {
      ++mmlu;
      CHECK_FALSE(f.csv.header);
      CHECK(f.csv.columns.size() == 6);
    }
  CHECK(mmlu == 171);

  auto dir = bitnet::test::TempDir("manifest");
  auto p = WriteText(dir / "m.json", "{\"datasets\": {\"x\": {\"files\": [{\"url\": \"u\"}]}}}");
  ExpectInputError([&] { LoadManifestFiles(p); }, {"m.json", "dataset x"});
}
