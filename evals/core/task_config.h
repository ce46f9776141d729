#pragma once
// Tasks as data: one JSON file per task under evals/tasks/<family>/<task>.json, with the fields of
// lm-evaluation-harness's task YAML (see evals/README.md for the full list). Loading resolves
// "include", checks every field (unknown keys, types, allowed values, templates, hook names,
// split names) and reports errors as InputError(file, JSON path, what).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/core/template.h"

namespace bitnet::evals {

enum class OutputType { kLoglikelihood, kLoglikelihoodRolling, kGenerateUntil, kMultipleChoice };
const char* OutputTypeName(OutputType t);

// One split's file under --data-dir. `line_fields` joins a one-integer-per-line file (PIQA's
// valid-labels.lst) into the records as an extra field, line i to record i.
struct SplitSource {
  std::string path;
  std::vector<std::string> csv_columns;  // for CSV files without a header row (MMLU)
  struct LineField {
    std::string field, path;
  };
  std::vector<LineField> line_fields;
};

struct MetricSpec {
  std::string metric;          // name in the metrics registry (evals/metrics/)
  nlohmann::json args;         // every other key: aggregation, higher_is_better, ignore_case, ...
};

struct FilterStep {
  std::string function;        // "regex", "take_first", "remove_whitespace", ...
  nlohmann::json args;         // regex_pattern, group_select, fallback, ...
};

struct FilterPipelineSpec {
  std::string name;            // "strict-match"; results are keyed "metric,name"
  std::vector<FilterStep> steps;
};

// A temperature chosen per document from one of its fields (FastChat's MT-bench
// temperature_config: the question's "category" picks 0.7, 0.1 or 0).
struct TemperatureByField {
  std::string field;
  std::map<std::string, double> values;
  double fallback = 0.0;   // for a value not in the map
};

struct GenerationKwargs {
  std::optional<std::vector<std::string>> until;  // unset: [fewshot_delimiter]
  int64_t max_gen_toks = 256;
  bool do_sample = false;
  double temperature = 0.0;
  std::optional<TemperatureByField> temperature_by;
  int64_t top_k = 0;       // 0: off (Hugging Face generate's default is 50)
  double top_p = 1.0;      // 1: off
  int64_t seed = 1234;     // base of every sampled request's seed (RequestSeed)
};

struct TaskConfig {
  std::string file;                    // the task file
  std::string task, group;
  nlohmann::json resolved;             // the merged JSON after "include" (for reports)

  // Data.
  std::string dataset_source;          // free text: where the files come from
  std::map<std::string, SplitSource> splits;      // split name -> file under --data-dir
  std::string loader_hook;             // evals/hooks: reads a split file itself
  std::string process_docs_hook;       // evals/hooks: maps the documents of every split
  std::optional<std::string> training_split, validation_split, test_split, fewshot_split;

  // Prompt.
  OutputType output_type = OutputType::kMultipleChoice;
  bool multiple_input = false;         // doc_to_text gives the gold index, choices are contexts
  Template doc_to_text, doc_to_target, description;
  std::optional<Template> doc_to_choice;          // "{{field}}" giving a list
  std::vector<Template> doc_to_choice_list;       // or a list of templates
  std::string target_delimiter = " ", fewshot_delimiter = "\n\n";
  int num_fewshot = 0;
  std::string fewshot_sampler = "default";        // "default" | "first_n"
  GenerationKwargs generation;
  bool apply_chat_template = false;    // the report prompted this task in chat format
  std::string gen_prefix;              // assistant prefill for chat prompts (not applied here)

  // Scoring (names only; implemented in evals/metrics and evals/filters).
  std::vector<MetricSpec> metrics;
  std::vector<FilterPipelineSpec> filters;
  std::string process_results;         // a metrics-side hook name
  bool unsafe_code = false;            // runs model-written code (HumanEval+)
  double version = 0.0;                // metadata.version
  nlohmann::json metadata;

  bool has_choices() const { return doc_to_choice.has_value() || !doc_to_choice_list.empty(); }
  // lm-eval's eval_docs: test_split if set, else validation_split.
  const std::string& eval_split() const;
  // lm-eval's fewshot_docs: fewshot_split, else the first of training/validation/test that is set.
  std::optional<std::string> fewshot_pool_split() const;
  // lm-eval's sampler draws one extra example (then drops the eval doc) when
  // fewshot_split == test_split, which includes both being unset.
  bool fewshot_draws_extra() const { return fewshot_split == test_split; }
};

TaskConfig LoadTaskConfig(const std::filesystem::path& file);
// The same checks on an already resolved configuration (TaskConfig::resolved, as written into
// results.json "configs"); `label` names it in errors (e.g. "shard-0/results.json configs.arc_easy").
TaskConfig TaskConfigFromResolved(const nlohmann::json& resolved, const std::string& label);

// Every task file under `dir` (recursively; files whose name starts with '_' are include-only),
// sorted by path.
std::vector<std::filesystem::path> ListTaskFiles(const std::filesystem::path& dir);
// The task named `name` under `dir` (its "task" field), or an InputError listing close names.
TaskConfig FindTask(const std::string& name, const std::filesystem::path& dir);

// The directory holding the task files (BITNET_TASKS_DIR at build time).
std::filesystem::path DefaultTasksDir();

}  // namespace bitnet::evals
