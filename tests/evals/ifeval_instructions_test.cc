// IFEval: one passing and one failing response per instruction id, loose variants, the four
// metrics, and the released input_data.jsonl.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "evals/metrics/ifeval/ifeval.h"
#include "evals/metrics/ifeval/text.h"
#include "tests/test_support.h"

using namespace bitnet::evals;
using nlohmann::json;

namespace {

struct Case {
  const char* id;
  const char* kwargs;
  const char* pass;
  const char* fail;
};

const Case kCases[] = {
    {"keywords:existence", R"({"keywords": ["apple", "banana"]})", "I like Apple and banana.", "I like apple."},
    {"keywords:frequency", R"({"keyword": "cat", "frequency": 2, "relation": "at least"})", "cat and CAT", "one cat"},
    {"keywords:forbidden_words", R"({"forbidden_words": ["bad"]})", "a badge is fine", "this is Bad."},
    {"keywords:letter_frequency", R"({"letter": "z", "let_frequency": 2, "let_relation": "less than"})", "zebra", "Zz z"},
    {"language:response_language", R"({"language": "de"})",
     "Das ist ein Haus und die Katze ist nicht hier.", "This is a house and the cat is not here."},
    {"length_constraints:number_sentences", R"({"num_sentences": 2, "relation": "less than"})",
     "Mr. Smith went home.", "First one. Second one. Third one."},
    {"length_constraints:number_paragraphs", R"({"num_paragraphs": 2})", "Para one.\n***\nPara two.", "Only one."},
    {"length_constraints:number_words", R"({"num_words": 5, "relation": "at least"})", "one two three four five", "one two"},
    {"length_constraints:nth_paragraph_first_word",
     R"({"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "Second"})",
     "First para.\n\n\"Second, para.\"", "First para.\n\nThird para."},
    {"detectable_content:number_placeholders", R"({"num_placeholders": 2})", "Dear [name], at [address]", "Dear [name]"},
    {"detectable_content:postscript", R"({"postscript_marker": "P.S."})", "Hello.\nP.S. bye", "Hello. PS bye"},
    {"detectable_format:number_bullet_lists", R"({"num_bullets": 2})", "* a\n* b", "* a\n* b\n- c"},
    {"detectable_format:constrained_response", "{}", "My answer is yes.", "Yes."},
    {"detectable_format:number_highlighted_sections", R"({"num_highlights": 2})", "*one* and **two**", "*one* only"},
    {"detectable_format:multiple_sections", R"({"section_spliter": "Section", "num_sections": 2})",
     "Section 1\nfoo\nSection 2\nbar", "Section 1\nfoo"},
    {"detectable_format:json_format", "{}", "```json\n{\"a\": [1, 2]}\n```", "{a: 1}"},
    {"detectable_format:title", "{}", "<<My Title>>\ntext", "<< >> text"},
    {"combination:two_responses", "{}", "Answer A\n******\nAnswer B", "Answer A\n******\nAnswer A"},
    {"combination:repeat_prompt", R"({"prompt_to_repeat": "Write a poem."})", "write a poem. Roses are red", "Here is a poem"},
    {"startend:end_checker", R"({"end_phrase": "Any other questions?"})", "Done. any other questions?\"", "Any other questions? Bye."},
    {"startend:quotation", "{}", "\"hello\"", "hello"},
    {"change_case:capital_word_frequency", R"({"capital_frequency": 2, "capital_relation": "at least"})",
     "THIS is VERY good", "This is good"},
    {"change_case:english_capital", "{}", "THIS IS THE ANSWER AND IT IS GOOD.", "This is the answer and it is good."},
    {"change_case:english_lowercase", "{}", "this is the answer and it is good.", "This is the answer and it is good."},
    {"punctuation:no_comma", "{}", "no commas here", "a, b"},
};

}  // namespace

TEST_CASE("every IFEval instruction id: one passing and one failing response", "[ifeval]") {
  std::set<std::string> covered;
  for (const Case& c : kCases) {
    INFO(c.id);
    const json kw = json::parse(c.kwargs);
    CHECK(ifeval::CheckInstruction(c.id, kw, "prompt", c.pass));
    CHECK_FALSE(ifeval::CheckInstruction(c.id, kw, "prompt", c.fail));
    covered.insert(c.id);
  }
  const auto known = ifeval::KnownInstructionIds();
  CHECK(known.size() == 25);
  for (const std::string& id : known) {
    INFO(id);
    CHECK(covered.count(id) == 1);
    CHECK_FALSE(ifeval::InstructionFidelity(id).empty());
  }
}

TEST_CASE("IFEval letter_frequency with a non-letter counts that character", "[ifeval]") {
  const json kw = {{"letter", "!"}, {"let_frequency", 2}, {"let_relation", "at least"}};
  CHECK(ifeval::CheckInstruction("keywords:letter_frequency", kw, "", "Wow! Great!"));
  CHECK_FALSE(ifeval::CheckInstruction("keywords:letter_frequency", kw, "", "Wow! Great."));
}

TEST_CASE("IFEval strict vs loose variants", "[ifeval]") {
  ifeval::Prompt p;
  p.prompt = "Wrap your answer in quotes and do not use commas.";
  p.instruction_ids = {"startend:quotation", "punctuation:no_comma"};
  p.kwargs = {json::object(), json::object()};
  // Strict fails the quotation (preamble line); loose passes it without the first line.
  const auto r = ifeval::Evaluate(p, "Sure here it is:\n\"my answer\"");
  CHECK(r.strict == std::vector<bool>{false, true});
  CHECK(r.loose == std::vector<bool>{true, true});
  CHECK_FALSE(r.prompt_strict);
  CHECK(r.prompt_loose);
  // Asterisk removal helps instructions that markdown breaks, e.g. the end phrase.
  ifeval::Prompt e;
  e.instruction_ids = {"startend:end_checker"};
  e.kwargs = {json{{"end_phrase", "The end."}}};
  const auto r2 = ifeval::Evaluate(e, "Story.\n**The end.**");
  CHECK(r2.strict == std::vector<bool>{false});
  CHECK(r2.loose == std::vector<bool>{true});
  // An empty response never follows anything.
  const auto r3 = ifeval::Evaluate(p, "   ");
  CHECK(r3.strict == std::vector<bool>{false, false});
  CHECK(r3.loose == std::vector<bool>{false, false});
}

TEST_CASE("IFEval falsy kwargs are dropped and a missing required kwarg is an error", "[ifeval]") {
  ifeval::Prompt p;
  p.instruction_ids = {"length_constraints:number_words"};
  p.kwargs = {json{{"num_words", nullptr}, {"relation", "at least"}}};
  const auto r = ifeval::Evaluate(p, "some words");
  CHECK(r.strict == std::vector<bool>{false});
  REQUIRE(r.errors.size() == 1);
  CHECK_FALSE(ifeval::IsKnownInstruction("multi-turn:constrained_start"));
}

TEST_CASE("IFEval four metrics over prompts", "[ifeval]") {
  ifeval::Result a, b;
  a.strict = {true, true};
  a.loose = {true, true};
  a.prompt_strict = a.prompt_loose = true;
  b.strict = {true, false, false};
  b.loose = {true, true, false};
  const auto items = ifeval::MetricItems({a, b});
  REQUIRE(items.size() == 4);
  CHECK(items[0].first == "prompt_level_strict_acc");
  CHECK(AggregateMetric(items[0].first, items[0].second).value == Approx(0.5));
  CHECK(AggregateMetric(items[1].first, items[1].second).value == Approx(3.0 / 5.0));
  CHECK(AggregateMetric(items[2].first, items[2].second).value == Approx(0.5));
  CHECK(AggregateMetric(items[3].first, items[3].second).value == Approx(4.0 / 5.0));
  CHECK_FALSE(AggregateMetric(items[1].first, items[1].second).stderr_value);  // N/A as lm-eval
}

TEST_CASE("IFEval text approximations", "[ifeval][text]") {
  CHECK(ifeval::CountWords("Hello, world! It's 2024.") == 5);  // \w+: Hello world It s 2024
  CHECK(ifeval::CountSentences("Dr. Smith arrived. He sat down! Did he?") == 3);
  CHECK(ifeval::CountSentences("line one\nline two") == 1);
  CHECK(ifeval::CountSentences("") == 0);
  CHECK(ifeval::WordTokenize("DON'T stop, NOW.") ==
        std::vector<std::string>{"DO", "N'T", "stop", ",", "NOW", "."});
  CHECK(*ifeval::DetectLanguage("Привет, как дела? Это хорошо.") == "ru");
  CHECK(*ifeval::DetectLanguage("Привіт, як справи? Це добре.") == "uk");
  CHECK(*ifeval::DetectLanguage("यह एक अच्छा दिन है और हम खुश हैं") == "hi");
  CHECK(*ifeval::DetectLanguage("Tôi là một người Việt Nam và tôi yêu đất nước.") == "vi");
  CHECK(*ifeval::DetectLanguage("안녕하세요 반갑습니다") == "ko");
  CHECK(*ifeval::DetectLanguage("Hola, ¿cómo estás? El perro es de la casa.") == "es");
  CHECK_FALSE(ifeval::DetectLanguage("1234 !!"));
}

TEST_CASE("IFEval input_data.jsonl: every instruction id is known and builds", "[ifeval][data]") {
  const auto path = bitnet::test::SharedData("ifeval/input_data.jsonl");
  if (!path) return;
  std::ifstream in(*path);
  REQUIRE(in);
  std::string line;
  int prompts = 0, instructions = 0;
  std::set<std::string> ids;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto p = ifeval::Prompt::FromJson(json::parse(line));
    ++prompts;
    for (const std::string& id : p.instruction_ids) {
      INFO(id);
      CHECK(ifeval::IsKnownInstruction(id));
      ids.insert(id);
      ++instructions;
    }
    const auto r = ifeval::Evaluate(p, "A short response.");
    INFO("key " << p.key);
    CHECK(r.errors.empty());
    CHECK(r.strict.size() == p.instruction_ids.size());
  }
  CHECK(prompts == 541);
  CHECK(ids.size() == 25);
  CHECK(instructions > 541);
}
