#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "common/error.h"
#include "evals/core/task_config.h"
#include "tests/test_support.h"

using namespace bitnet::evals;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A valid minimal task with `extra` spliced in (a JSON fragment starting with a comma, or "").
std::string Minimal(const std::string& extra) {
  return R"({"task": "t", "dataset": {"splits": {"test": "x.jsonl"}}, "test_split": "test",
            "output_type": "multiple_choice", "doc_to_text": "{{q}}", "doc_to_target": "{{gold}}",
            "doc_to_choice": "{{choices}}", "metric_list": [{"metric": "acc"}],
            "metadata": {"version": 1.0})" + extra + "}";
}

std::string LoadError(const fs::path& p) {
  try {
    LoadTaskConfig(p);
  } catch (const bitnet::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Task files: every file under evals/tasks loads and validates", "[evals][task_config]") {
  auto files = ListTaskFiles(DefaultTasksDir());
  CHECK(files.size() == 72);  // 15 tasks + 57 MMLU subjects
  std::set<std::string> names;
  int mmlu = 0;
  for (const auto& f : files) {
    TaskConfig c = LoadTaskConfig(f);
    INFO(f);
    CHECK(names.insert(c.task).second);
    CHECK(c.version > 0);
    if (c.group == "mmlu") {
      ++mmlu;
      CHECK(c.num_fewshot == 5);
      CHECK(c.fewshot_sampler == "first_n");
      CHECK(c.description.source().rfind("The following are multiple choice questions (with answers) about ", 0) == 0);
    }
  }
  CHECK(mmlu == 57);
  TaskConfig arc = FindTask("arc_easy", DefaultTasksDir());
  CHECK(arc.output_type == OutputType::kMultipleChoice);
  CHECK(arc.metrics.size() == 2);
  CHECK(arc.metrics[1].metric == "acc_norm");
  CHECK(arc.target_delimiter == " ");
  CHECK(arc.fewshot_delimiter == "\n\n");
  TaskConfig gsm = FindTask("gsm8k", DefaultTasksDir());
  REQUIRE(gsm.filters.size() == 2);
  CHECK(gsm.filters[0].name == "strict-match");
  CHECK(gsm.filters[0].steps[0].args["regex_pattern"] == "#### (\\-?[0-9\\.\\,]+)");
  CHECK(gsm.filters[1].steps[0].args["group_select"] == -1);
  CHECK(gsm.metrics[0].args["regexes_to_ignore"].size() == 4);
  CHECK(gsm.apply_chat_template);
  CHECK_THROWS_WITH(FindTask("arc_easyy", DefaultTasksDir()), Catch::Contains("similar: arc_easy"));
}

TEST_CASE("Task files: errors name the file and the JSON path", "[evals][task_config]") {
  const fs::path dir = bitnet::test::TempDir("task_config");
  const fs::path p = dir / "t.json";
  Write(p, Minimal(""));
  CHECK_NOTHROW(LoadTaskConfig(p));

  struct Case {
    std::string extra, where, what;
  };
  const std::vector<Case> cases = {
      {R"(, "num_fewshots": 5)", "/num_fewshots", "unknown field"},
      {R"(, "num_fewshot": "5")", "/num_fewshot", "expected an integer"},
      {R"(, "test_split": null, "validation_split": null)", "/test_split", "set test_split or validation_split"},
      {R"(, "fewshot_split": "train")", "/fewshot_split", "split 'train' is not in dataset.splits"},
      {R"(, "process_docs": "nope")", "/process_docs", "no process_docs hook named 'nope'"},
      {R"(, "fewshot_config": {"sampler": "random"})", "/fewshot_config/sampler", "expected \"default\" or \"first_n\""},
      {R"(, "generation_kwargs": {"until": ["x"]})", "/generation_kwargs", "only generate_until"},
      {R"(, "metric_list": [{"aggregation": "mean"}])", "/metric_list/0/metric", "required field is missing"},
      {R"(, "filter_list": [{"name": "f", "filter": []}])", "/filter_list/0/filter", "non-empty list"},
      {R"(, "doc_to_choice": "x {{choices}}")", "/doc_to_choice", "one expression"},
      {R"(, "doc_to_text": "{{q.strip()}}")", "/doc_to_text", "template \"{{q.strip()}}\""},
      {R"(, "output_type": "mc")", "/output_type", "expected loglikelihood"},
      {R"(, "metadata": {})", "/metadata/version", "required field is missing"},
      {R"(, "dataset": {"splits": {"test": {"path": "x", "line_fields": [{"field": "label"}]}}})",
       "/dataset/splits/test/line_fields/0/path", "required field is missing"},
      {R"(, "dataset": {"loader": "nope", "splits": {"test": "x"}})", "/dataset/loader", "no loader hook"},
  };
  for (const Case& c : cases) {
    Write(p, Minimal(c.extra));
    const std::string e = LoadError(p);
    INFO(c.extra << " -> " << e);
    CHECK(e.find(p.string() + ": " + c.where) == 0);
    CHECK(e.find(c.what) != std::string::npos);
  }
  Write(p, "{\"task\": ");
  CHECK(LoadError(p).find("invalid JSON") != std::string::npos);
}

TEST_CASE("Task files: include merges objects deeply and errors say where a field was set", "[evals][task_config]") {
  const fs::path dir = bitnet::test::TempDir("task_include");
  Write(dir / "_base.json", R"({"dataset": {"source": "s", "csv_columns": ["q", "gold"]}, "test_split": "test",
      "output_type": "multiple_choice", "doc_to_text": "{{q}}", "doc_to_target": "{{gold}}",
      "doc_to_choice": ["A", "B"], "metric_list": [{"metric": "acc"}], "metadata": {"version": 2}})");
  Write(dir / "sub.json", R"({"include": "_base.json", "task": "sub", "dataset": {"splits": {"test": "a.csv"}},
      "description": "About sub.\n\n"})");
  TaskConfig c = LoadTaskConfig(dir / "sub.json");
  CHECK(c.dataset_source == "s");
  CHECK(c.splits.at("test").csv_columns == std::vector<std::string>{"q", "gold"});
  CHECK(c.version == 2.0);
  CHECK(ListTaskFiles(dir) == std::vector<fs::path>{dir / "sub.json"});

  Write(dir / "_bad.json", R"({"doc_to_text": "{{q", "output_type": "multiple_choice"})");
  Write(dir / "bad.json", Minimal("").substr(0, Minimal("").size() - 1) + R"(, "include": "_bad.json"})");
  // The child overrides doc_to_text, so the base's broken template never matters...
  CHECK_NOTHROW(LoadTaskConfig(dir / "bad.json"));
  Write(dir / "_bad2.json", R"({"num_fewshot": -1})");
  Write(dir / "bad2.json", Minimal(R"(, "include": "_bad2.json")"));
  // ...but an error in an included field names the file that set it.
  CHECK_THROWS_WITH(LoadTaskConfig(dir / "bad2.json"), Catch::Contains("/num_fewshot (set in " + (dir / "_bad2.json").string()));
  Write(dir / "_loop.json", R"({"include": "loop.json"})");
  Write(dir / "loop.json", R"({"include": "_loop.json"})");
  CHECK_THROWS_WITH(LoadTaskConfig(dir / "loop.json"), Catch::Contains("include cycle"));
}

// Found by tests/fuzz/task_config_fuzz (inputs kept in tests/fuzz/seeds/task_config): a task file
// including /dev/zero read until memory ran out; a value nested 40000 deep overflowed the stack
// in the recursive JSON copies of the include merge. Both are InputErrors now.
TEST_CASE("Task files: includes of non-files and deeply nested JSON are errors", "[evals][task_config]") {
  const fs::path dir = bitnet::test::TempDir("task_config_hostile");
  const fs::path p = dir / "t.json";
  Write(p, R"({"include": "/dev/zero"})");
  CHECK_THAT(LoadError(p), Catch::Contains("/dev/zero: open: not a regular file"));
  Write(p, R"({"include": "."})");
  CHECK_THAT(LoadError(p), Catch::Contains("not a regular file"));
  Write(p, Minimal(R"(, "x": )" + std::string(40000, '[') + std::string(40000, ']')));
  CHECK_THAT(LoadError(p), Catch::Contains("t.json: JSON: nested deeper than 64 levels"));
  Write(p, Minimal(R"(, "metadata": {"notes": )" + std::string(60, '[') + std::string(60, ']') + "}"));
  CHECK_THAT(LoadError(p), !Catch::Contains("nested deeper"));  // ordinary depth is fine
}
