#pragma once
// The request stream of a task (lm_eval/api/task.py: fewshot_context, construct_requests;
// EVALS.md §1.2): for each eval document, in order,
//   context = description + Σ_examples (text + target_delimiter + answer + fewshot_delimiter) + text
// and then, by output_type:
//   multiple_choice        one loglikelihood request (context, target_delimiter + choice) per choice;
//                          with multiple_input (WinoGrande), (examples + choice, target_delimiter +
//                          target) per choice: only the shared continuation is scored
//   loglikelihood          (context, target_delimiter + target)
//   loglikelihood_rolling  (target) scored with no context
//   generate_until         (context, until, max_gen_toks); until defaults to [fewshot_delimiter]
// A few-shot example's answer is choices[target] for an integer target (or a digit string when the
// task has choices), the first element of a list target, else the target string; an empty target
// adds neither the target delimiter nor the few-shot delimiter (as lm-eval does).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/core/task_config.h"

namespace bitnet::evals {

enum class RequestType { kLoglikelihood, kLoglikelihoodRolling, kGenerateUntil };
const char* RequestTypeName(RequestType t);

struct Request {
  RequestType type = RequestType::kLoglikelihood;
  size_t doc_index = 0;            // position of the document in evaluation order
  size_t index = 0;                // position within the document's requests (the choice)
  std::string context;             // empty for loglikelihood_rolling
  std::string continuation;        // loglikelihood: scored text; rolling: the whole text
  std::vector<std::string> until;  // generate_until (the engine adds its end-of-generation tokens)
  int64_t max_gen_toks = 0;
  // generate_until sampling: temperature 0 is greedy (FastChat: below 1e-4 is greedy); otherwise
  // the engine's seeded Sampler with top_k / top_p and `seed` (RequestSeed of the task's seed).
  double temperature = 0.0;
  int64_t top_k = 0;
  double top_p = 1.0;
  uint64_t seed = 0;
};

// The seed of request `index` of document `doc` for a task seed: a fixed mix (splitmix64), so a
// sampled answer does not depend on which other documents run, in what order, or in which shard.
uint64_t RequestSeed(int64_t task_seed, size_t doc, size_t index);

// Below this temperature generation is greedy (FastChat gen_model_answer: do_sample = T >= 1e-4).
inline constexpr double kGreedyBelowTemperature = 1e-4;

struct DocRequests {
  size_t doc_index = 0;
  std::vector<size_t> fewshot;          // indices into the few-shot pool, in prompt order
  std::vector<std::string> choices;     // multiple_choice: choice strings (acc_norm uses their length)
  int64_t gold = -1;                    // multiple_choice: index of the correct choice
  std::vector<std::string> targets;     // other types: the reference(s) for the metrics
  std::vector<Request> requests;
};

struct BuildOptions {
  std::optional<int> num_fewshot;       // overrides the task file's num_fewshot
  int64_t fewshot_seed = 1234;
  std::optional<size_t> limit;          // the first N eval documents (lm-eval --limit)
};

// Throws InputError naming the task file, the template and the eval document on any problem.
std::vector<DocRequests> BuildRequests(const TaskConfig& task, const std::vector<nlohmann::json>& eval_docs,
                                       const std::vector<nlohmann::json>& fewshot_docs,
                                       const BuildOptions& opts = {});

// Pieces, for tests and for logging samples.
std::vector<std::string> DocChoices(const TaskConfig& task, const nlohmann::json& doc);
std::string FewshotExample(const TaskConfig& task, const nlohmann::json& doc);  // with its delimiter
std::string DocText(const TaskConfig& task, const nlohmann::json& doc);

// One request as one line of JSON with sorted keys, e.g.
//   {"args":["<context>"," <choice>"],"doc":0,"idx":1,"type":"loglikelihood"}
//   {"args":["<context>",{"max_gen_toks":256,"until":["Question:"]}],"doc":3,"idx":0,"type":"generate_until"}
// (rolling: "args":["<text>"]). The request-stream hash is the SHA-256 of these lines, each ending
// in "\n", over every request in order.
std::string CanonicalRequest(const Request& r);
std::string RequestStreamHash(const std::vector<DocRequests>& docs);

}  // namespace bitnet::evals
