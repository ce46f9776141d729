#include "harness/suite/task_run_json.h"

#include <cmath>

#include "common/error.h"

namespace bitnet::suite {

using nlohmann::json;

json TaskRunToJson(const evals::TaskRun& r) {
  json rows = json::array();
  for (const auto& m : r.rows)
    rows.push_back({{"metric", m.metric},
                    {"filter", m.filter},
                    {"higher_is_better", m.higher_is_better},
                    {"value", m.value.value},
                    {"stderr", m.value.stderr_value ? json(*m.value.stderr_value) : json()}});
  json j = {{"task", r.task},
          {"group", r.group},
          {"config", r.config},
          {"version", r.version},
          {"n_shot", r.n_shot},
          {"n_original", r.n_original},
          {"n_effective", r.n_effective},
          {"output_type", r.output_type},
          {"chat", r.chat},
          {"chat_format", r.chat_format},
          {"add_bos", r.add_bos},
          {"request_hash", r.request_hash},
          {"n_requests", r.n_requests},
          {"tokens_evaluated", r.tokens_evaluated},
          {"tokens_naive", r.tokens_naive},
          {"prompt_tokens", r.prompt_tokens},
          {"generated_tokens", r.generated_tokens},
          {"truncated_prompts", r.truncated_prompts},
          {"seconds", r.seconds},
          {"results", r.results},
          {"rows", rows}};
  if (r.request_hash_full != r.request_hash || r.n_documents_full != r.n_effective) {  // a shard's part
    j["request_hash_full"] = r.request_hash_full;
    j["n_documents_full"] = r.n_documents_full;
  }
  return j;
}

evals::TaskRun TaskRunFromJson(const json& j, const std::string& source) {
  try {
    evals::TaskRun r;
    r.task = j.at("task").get<std::string>();
    r.group = j.at("group").get<std::string>();
    r.config = j.at("config");
    r.version = j.at("version").get<double>();
    r.n_shot = j.at("n_shot").get<int>();
    r.n_original = j.at("n_original").get<size_t>();
    r.n_effective = j.at("n_effective").get<size_t>();
    r.n_documents_full = j.value("n_documents_full", r.n_effective);
    r.output_type = j.at("output_type").get<std::string>();
    r.chat = j.at("chat").get<bool>();
    r.chat_format = j.value("chat_format", std::string());
    r.add_bos = j.at("add_bos").get<bool>();
    r.request_hash = j.at("request_hash").get<std::string>();
    r.request_hash_full = j.value("request_hash_full", r.request_hash);
    r.n_requests = j.at("n_requests").get<size_t>();
    r.tokens_evaluated = j.at("tokens_evaluated").get<int64_t>();
    r.tokens_naive = j.at("tokens_naive").get<int64_t>();
    r.prompt_tokens = j.at("prompt_tokens").get<int64_t>();
    r.generated_tokens = j.at("generated_tokens").get<int64_t>();
    r.truncated_prompts = j.at("truncated_prompts").get<int64_t>();
    r.seconds = j.at("seconds").get<double>();
    r.results = j.at("results");
    for (const auto& m : j.at("rows")) {
      evals::MetricRow row;
      row.metric = m.at("metric").get<std::string>();
      row.filter = m.at("filter").get<std::string>();
      row.higher_is_better = m.at("higher_is_better").get<bool>();
      row.value.value = m.at("value").is_null() ? std::nan("") : m.at("value").get<double>();
      if (!m.at("stderr").is_null()) row.value.stderr_value = m.at("stderr").get<double>();
      r.rows.push_back(row);
    }
    return r;
  } catch (const json::exception& e) {
    throw InputError(source, "task run record", e.what());
  }
}

}  // namespace bitnet::suite
