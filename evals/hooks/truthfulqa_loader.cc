// TruthfulQA's original data/mc_task.json: an array of {"question", "mc1_targets": {answer: 0|1},
// "mc2_targets": {...}}. The answers' order is the order of the keys in the file (the HF
// `truthful_qa` loader keeps it: choices = list(keys), labels = list(values)), so the file is read
// with an order-preserving parser; the generic loader's objects sort their keys.
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "evals/hooks/registry.h"

namespace bitnet::evals {

Docs TruthfulqaMcJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "open", "cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::ordered_json root;
  try {
    root = nlohmann::ordered_json::parse(ss.str());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, "parse", e.what());
  }
  if (!root.is_array()) throw InputError(path, "/", "expected a JSON array");
  Docs docs;
  for (size_t i = 0; i < root.size(); ++i) {
    const auto& r = root[i];
    const std::string where = "/" + std::to_string(i);
    if (!r.is_object() || !r.contains("question") || !r["question"].is_string()) {
      throw InputError(path, where, "expected an object with a string 'question'");
    }
    nlohmann::json doc;
    doc["question"] = r["question"].get<std::string>();
    for (const char* key : {"mc0_targets", "mc1_targets", "mc2_targets"}) {
      if (!r.contains(key)) continue;
      const auto& t = r[key];
      if (!t.is_object()) throw InputError(path, where + "/" + key, "expected an object {answer: 0|1}");
      nlohmann::json choices = nlohmann::json::array(), labels = nlohmann::json::array();
      for (const auto& [answer, label] : t.items()) {
        if (!label.is_number_integer()) throw InputError(path, where + "/" + key, "label is not 0 or 1");
        choices.push_back(answer);
        labels.push_back(label.get<int64_t>());
      }
      doc[key] = {{"choices", choices}, {"labels", labels}};
    }
    if (!doc.contains("mc2_targets")) throw InputError(path, where, "missing mc2_targets");
    docs.push_back(std::move(doc));
  }
  return docs;
}

}  // namespace bitnet::evals
