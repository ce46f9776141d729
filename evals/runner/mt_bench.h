#pragma once
// MT-bench answer generation (FastChat fastchat/llm_judge/gen_model_answer.py; EVALS.md §3.4).
// Each question has two turns. Turn 1 is the task's request (the question as one user message in
// the 2B4T chat format). FastChat strips the answer (special tokens removed, str.strip()) and
// puts it into the conversation, so turn 2's prompt is
//   FormatChat2B4T([user: q1, assistant: strip(a1), user: q2], generation prompt).
// Answers are written in FastChat's model_answer format, one line per question:
//   {"question_id", "answer_id", "model_id", "choices": [{"index": 0, "turns": [a1, a2]}], "tstamp"}
// Judging (GPT-4 single-answer grading) is not run here: results carry kMtBenchJudging.
// Differences from FastChat, recorded in the output: greedy decoding for every category
// (FastChat samples writing/roleplay at 0.7 and stem/humanities at 0.1), the 2B4T template
// instead of a FastChat conversation template.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

inline constexpr const char* kMtBenchJudging = "external (FastChat llm_judge, GPT-4)";
inline constexpr const char* kMtBenchDecoding =
    "greedy for all categories (FastChat: writing/roleplay 0.7, stem/humanities 0.1, others 0), 2B4T chat template";

// The turn-2 prompt.
std::string MtBenchTurn2Prompt(const std::string& q1, const std::string& a1, const std::string& q2);

// FastChat's answer record for one sample (a samples_<task>.jsonl record of an mt_bench task:
// "doc".question_id, "mt_bench".answers, "mt_bench".tstamp). answer_id is derived from the model
// sha256 and the question id (FastChat draws a random shortuuid), so reruns are byte-identical.
nlohmann::json FastChatAnswer(const nlohmann::json& sample, const std::string& model_id, const std::string& model_sha256);

// All answers of a run (one JSON line per sample), and where they go under the output folder:
// "<task>_model_answer/<model_id>.jsonl" (copy to FastChat's data/mt_bench/model_answer/).
std::string FastChatAnswersJsonl(const std::vector<nlohmann::json>& samples, const std::string& model_id,
                                 const std::string& model_sha256);
std::string FastChatAnswersPath(const std::string& task, const std::string& model_id);

}  // namespace bitnet::evals
