// The project-written samples in datasets/samples load, with the real files' field names.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <filesystem>

#include "datasets/loaders/data_dir.h"
#include "datasets/loaders/labels.h"
#include "datasets/loaders/manifest.h"
#include "datasets/loaders/records.h"

namespace {

using namespace bitnet::datasets;
namespace fs = std::filesystem;

// Field names of the first record, e.g. {"choices", "gold", "query"}.
std::set<std::string> Keys(const nlohmann::json& rec) {
  std::set<std::string> k;
  for (const auto& [key, v] : rec.items()) k.insert(key);
  return k;
}

}  // namespace

TEST_CASE("Every sample file loads and is small", "[datasets][samples]") {
  const DataDir samples(SamplesDir());
  size_t n_files = 0;
  for (const auto& f : LoadManifestFiles(ManifestPath().string())) {
    if (!samples.Has(f.path)) continue;
    INFO(f.path);
    ++n_files;
    size_t n = CountRecords(f, samples);
    CHECK(n >= 3);
    CHECK(n <= 8);
  }
  // Every sample on disk is a manifest file (no strays with other names).
  size_t on_disk = 0;
  for (const auto& e : fs::recursive_directory_iterator(SamplesDir()))
    if (e.is_regular_file() && e.path().filename() != "README.md") ++on_disk;
  CHECK(on_disk == n_files);
  CHECK(n_files >= 20);
}

TEST_CASE("Samples have the real files' fields", "[datasets][samples]") {
  const DataDir s(SamplesDir());
  auto load = [&](const std::string& rel, const CsvOptions& csv = {}) {
    return LoadRecords(s.Find(rel).string(), csv);
  };
  const std::set<std::string> mc = {"choices", "gold", "query"};
  CHECK(Keys(load("arc/arc_easy.jsonl")[0]) == mc);
  CHECK(Keys(load("arc/arc_challenge.jsonl")[0]) == mc);
  CHECK(Keys(load("openbookqa/openbook_qa.jsonl")[0]) == mc);
  CHECK(Keys(load("boolq/boolq.jsonl")[0]) == mc);
  CHECK(Keys(load("winogrande/winogrande.jsonl")[0]) ==
        std::set<std::string>{"context_options", "continuation", "gold"});
  CHECK(Keys(load("piqa/valid.jsonl")[0]) == std::set<std::string>{"goal", "sol1", "sol2"});
  auto piqa = LoadRecordsWithLabels(s.Find("piqa/valid.jsonl").string(),
                                    s.Find("piqa/valid-labels.lst").string());
  CHECK(piqa[0]["label"] == 1);
  auto csqa = load("commonsenseqa/dev_rand_split.jsonl");
  CHECK(Keys(csqa[0]) == std::set<std::string>{"answerKey", "id", "question"});
  CHECK(csqa[0]["question"]["choices"].size() == 5);
  auto tqa = load("truthfulqa/v1/mc_task.json");
  CHECK(Keys(tqa[0]) == std::set<std::string>{"question", "mc1_targets", "mc2_targets"});
  CHECK(Keys(load("gsm8k/test.jsonl")[0]) == std::set<std::string>{"answer", "question"});
  CHECK(load("gsm8k/train.jsonl")[0]["answer"].get<std::string>().find("#### ") != std::string::npos);
  auto he = load("humaneval/HumanEvalPlus-v0.1.0.jsonl.gz");
  CHECK(Keys(he[0]) == std::set<std::string>{"task_id", "prompt", "entry_point", "canonical_solution",
                                             "test", "contract", "base_input", "atol", "plus_input"});
  CHECK(Keys(load("math500/test.jsonl")[0]) ==
        std::set<std::string>{"problem", "solution", "answer", "subject", "level", "unique_id"});
  auto ifeval = load("ifeval/input_data.jsonl");
  CHECK(Keys(ifeval[0]) == std::set<std::string>{"key", "prompt", "instruction_id_list", "kwargs"});
  for (const auto& r : ifeval) CHECK(r["instruction_id_list"].size() == r["kwargs"].size());
  CHECK(load("hellaswag/hellaswag_val.jsonl")[0]["endings"].size() == 4);
  CHECK(load("mt_bench/question.jsonl")[0]["turns"].size() == 2);
  CHECK(load("triviaqa/triviaqa.jsonl")[0]["answer"]["aliases"].size() >= 1);

  const CsvOptions mmlu{false, {"question", "A", "B", "C", "D", "answer"}};
  for (const std::string subject : {"elementary_mathematics", "astronomy"}) {
    CHECK(load("mmlu/dev/" + subject + "_dev.csv", mmlu).size() == 5);
    CHECK(load("mmlu/test/" + subject + "_test.csv", mmlu).size() == 4);
  }
  auto math = load("mmlu/test/elementary_mathematics_test.csv", mmlu);
  CHECK(math[1]["question"] == "A box holds 12 pencils. How many pencils are in 3 boxes?\n(Choose one.)");
  CHECK(math[3]["question"] == "Which is the value of \"x\" if x + 2 = 5?");
  CHECK(load("mmlu/test/astronomy_test.csv", mmlu)[3]["answer"] == "B");  // CRLF file, no final newline
}
