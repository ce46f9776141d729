#include "evals/runner/mt_bench.h"

#include "common/error.h"
#include "engine/runtime/session.h"
#include "evals/core/sha256.h"
#include "evals/core/template.h"

namespace bitnet::evals {

using nlohmann::json;

std::string MtBenchTurn2Prompt(const ChatStyle& style, const std::string& q1, const std::string& a1, const std::string& q2) {
  return FormatChat(style, {{"user", q1}, {"assistant", PyStrip(a1)}, {"user", q2}}, true);
}

json FastChatAnswer(const json& sample, const std::string& model_id, const std::string& model_sha256) {
  const json& doc = sample.at("doc");
  const json& mt = sample.at("mt_bench");
  const json qid = doc.at("question_id");
  // shortuuid's alphabet (57 symbols), 22 characters, from a hash instead of uuid4.
  static const std::string kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const std::string h = Sha256Hex(model_sha256 + "\n" + qid.dump());
  std::string id;
  for (size_t i = 0; i < 22; ++i) {
    const unsigned v = static_cast<unsigned>(std::stoul(h.substr(2 * i, 2), nullptr, 16));
    id += kAlphabet[v % kAlphabet.size()];
  }
  return json{{"question_id", qid},
              {"answer_id", id},
              {"model_id", model_id},
              {"choices", json::array({json{{"index", 0}, {"turns", mt.at("answers")}}})},
              {"tstamp", mt.at("tstamp")}};
}

std::string FastChatAnswersJsonl(const std::vector<json>& samples, const std::string& model_id,
                                 const std::string& model_sha256) {
  std::string out;
  for (const json& s : samples)
    out += FastChatAnswer(s, model_id, model_sha256).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  return out;
}

std::string FastChatAnswersPath(const std::string& task, const std::string& model_id) {
  return task + "_model_answer/" + model_id + ".jsonl";
}

}  // namespace bitnet::evals
