#include "evals/hooks/registry.h"

#include <map>

namespace bitnet::evals {
namespace {

const std::map<std::string, LoaderHook, std::less<>>& Loaders() {
  static const std::map<std::string, LoaderHook, std::less<>> m = {
      {"truthfulqa_mc_json", TruthfulqaMcJson},
  };
  return m;
}

const std::map<std::string, ProcessDocsHook, std::less<>>& ProcessDocs() {
  static const std::map<std::string, ProcessDocsHook, std::less<>> m = {
      {"hellaswag_preprocess", HellaswagPreprocess},
      {"boolq_from_llmfoundry", BoolqFromLlmFoundry},
      {"winogrande_from_sentence", WinograndeFromSentence},
  };
  return m;
}

template <typename M>
std::vector<std::string> Names(const M& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

}  // namespace

const LoaderHook* FindLoaderHook(std::string_view name) {
  auto it = Loaders().find(name);
  return it == Loaders().end() ? nullptr : &it->second;
}

const ProcessDocsHook* FindProcessDocsHook(std::string_view name) {
  auto it = ProcessDocs().find(name);
  return it == ProcessDocs().end() ? nullptr : &it->second;
}

std::vector<std::string> LoaderHookNames() { return Names(Loaders()); }
std::vector<std::string> ProcessDocsHookNames() { return Names(ProcessDocs()); }

}  // namespace bitnet::evals
