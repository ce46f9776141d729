// libFuzzer target: task files and their templates (evals/core/task_config.h, template.h).
// The input is split at kFileMarker into a task file and a document (JSON). An input starting
// with '{' is a task file: loaded with LoadTaskConfig (includes resolve in the scratch
// directory, which also holds a valid "_base.json"), its resolved form must load again with
// TaskConfigFromResolved, and its templates are rendered on the document. Any other input is a
// template on its own, parsed and rendered. Only InputError/UsageError may refuse an input.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "evals/core/task_config.h"
#include "evals/core/template.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;
namespace ev = bitnet::evals;
using nlohmann::json;

namespace {

constexpr std::string_view kBase = R"({"dataset": {"source": "fuzz", "splits": {"test": "x/test.jsonl"}},
 "test_split": "test", "output_type": "multiple_choice", "doc_to_text": "{{query}}",
 "doc_to_target": "{{gold}}", "doc_to_choice": "{{choices}}", "metric_list": [{"metric": "acc"}]})";

json Document(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    doc = {{"query", "Question: 1 + 1?"}, {"choices", {"2", "3"}}, {"gold", 0}, {"answer", "2"}};
  return doc;
}

void RenderAll(const ev::Template& t, const json& doc) {
  fz::ExpectOnlyProjectErrors([&] { (void)t.Render(doc); });
  fz::ExpectOnlyProjectErrors([&] { (void)t.RenderValue(doc); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parts = fz::SplitParts(input, fz::kFileMarker, 2);
  const json doc = Document(parts[1]);
  if (!input.empty() && input[0] == '{') {
    const auto dir = fz::ScratchDir("task");
    fz::WriteFile(dir / "_base.json", kBase);
    fz::WriteFile(dir / "task.json", parts[0]);
    fz::ExpectOnlyProjectErrors([&] {
      const ev::TaskConfig c = ev::LoadTaskConfig(dir / "task.json");
      try {
        (void)ev::TaskConfigFromResolved(c.resolved, "resolved");
      } catch (const bitnet::InputError& e) {
        std::fprintf(stderr, "a loaded task's resolved form does not load: %s\n", e.what());
        std::abort();
      }
      for (const ev::Template* t : {&c.doc_to_text, &c.doc_to_target, &c.description}) RenderAll(*t, doc);
      if (c.doc_to_choice) RenderAll(*c.doc_to_choice, doc);
      for (const auto& t : c.doc_to_choice_list) RenderAll(t, doc);
    });
  } else {
    fz::ExpectOnlyProjectErrors([&] {
      const ev::Template t = ev::Template::Parse(std::string(parts[0]), "fuzz.json", "/doc_to_text");
      RenderAll(t, doc);
    });
  }
  return 0;
}
