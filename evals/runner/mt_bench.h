#pragma once
// MT-bench answer generation (FastChat fastchat/llm_judge/gen_model_answer.py; EVALS.md §3.4).
// Each question has two turns. Turn 1 is the task's request (the question as one user message in
// the model's chat format, engine/runtime/chat_format.h). FastChat strips the answer (special
// tokens removed, str.strip()) and puts it into the conversation, so turn 2's prompt is
//   FormatChat(style, [user: q1, assistant: strip(a1), user: q2], generation prompt).
// Answers are written in FastChat's model_answer format, one line per question:
//   {"question_id", "answer_id", "model_id", "choices": [{"index": 0, "turns": [a1, a2]}], "tstamp"}
// Judging (GPT-4 single-answer grading) is not run here: results carry kMtBenchJudging.
// Decoding follows FastChat's temperature_config by category (the task file's temperature_by:
// writing/roleplay 0.7, stem/humanities 0.1, the rest greedy) with Hugging Face generate's default
// top_k 50, from a seed per question and turn (RequestSeed), so reruns are identical; FastChat's
// torch sampling itself cannot be reproduced. The model's own chat format (as llama.cpp applies
// it) replaces a FastChat conversation template. Both are recorded in the output.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/runtime/chat_format.h"

namespace bitnet::evals {

inline constexpr const char* kMtBenchJudging = "external (FastChat llm_judge, GPT-4)";
inline constexpr const char* kMtBenchDecoding =
    "FastChat temperature_config by category (writing/roleplay 0.7, stem/humanities 0.1, others greedy), top_k 50, "
    "seeded per question and turn; the model's chat format";

// The turn-2 prompt in the model's chat format.
std::string MtBenchTurn2Prompt(const ChatStyle& style, const std::string& q1, const std::string& a1, const std::string& q2);

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
