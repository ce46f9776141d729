#pragma once
// Named C++ hooks that task files reference where the template grammar ends (STYLE.md practice 11).
// Two kinds live here (the metrics side, e.g. "process_results": "truthfulqa_mc2", lives in
// evals/metrics/):
//   loader        "dataset": {"loader": NAME}: reads a split file into documents itself (used when
//                 the generic loader would lose information, e.g. key order in TruthfulQA's JSON).
//   process_docs  "process_docs": NAME: maps the loaded documents of every split to new documents
//                 (lm-eval's process_docs), e.g. HellaSwag's query/choices cleaning.
// A hook name that is not registered is a load error of the task file.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

using Docs = std::vector<nlohmann::json>;
using LoaderHook = std::function<Docs(const std::string& path)>;
using ProcessDocsHook = std::function<Docs(const Docs& docs, const std::string& source)>;

const LoaderHook* FindLoaderHook(std::string_view name);
const ProcessDocsHook* FindProcessDocsHook(std::string_view name);
std::vector<std::string> LoaderHookNames();
std::vector<std::string> ProcessDocsHookNames();

// The hooks themselves (evals/hooks/*.cc); `source` names the file for error messages.
Docs HellaswagPreprocess(const Docs& docs, const std::string& source);
Docs BoolqFromLlmFoundry(const Docs& docs, const std::string& source);
Docs WinograndeFromSentence(const Docs& docs, const std::string& source);
Docs TruthfulqaMcJson(const std::string& path);

// Python's str.capitalize() for ASCII text: first character upper-cased, every other lower-cased.
std::string PyCapitalizeAscii(const std::string& s);
// HellaSwag's preprocess(): strip, " [title]" -> ". ", delete "\[.*?\]", "  " -> " " (one pass).
std::string HellaswagClean(const std::string& text);

}  // namespace bitnet::evals
