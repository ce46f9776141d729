// Golden prompts: the exact request strings for items of the project's samples
// (datasets/samples, laid out like a data directory), written out by hand from EVALS.md §1.1-1.5.
// Few-shot picks were computed once with CPython 3.11.7's random.Random(1234) (see each case).
#include <catch2/catch.hpp>

#include "datasets/loaders/data_dir.h"
#include "evals/core/requests.h"
#include "evals/core/task_data.h"
#include "evals/hooks/registry.h"

using namespace bitnet::evals;
using nlohmann::json;

namespace {

TaskConfig Task(const std::string& rel) { return LoadTaskConfig(DefaultTasksDir() / rel); }

std::vector<DocRequests> Build(const TaskConfig& t, std::optional<int> shots = std::nullopt) {
  const int n = shots.value_or(t.num_fewshot);
  TaskDocs d = LoadTaskDocs(t, bitnet::datasets::SamplesDir(), n);
  BuildOptions o;
  o.num_fewshot = n;
  return BuildRequests(t, d.eval_docs, d.fewshot_docs, o);
}

void CheckMc(const DocRequests& d, const std::string& ctx, const std::vector<std::string>& choices, int64_t gold) {
  REQUIRE(d.requests.size() == choices.size());
  for (size_t i = 0; i < choices.size(); ++i) {
    CHECK(d.requests[i].type == RequestType::kLoglikelihood);
    CHECK(d.requests[i].context == ctx);
    CHECK(d.requests[i].continuation == " " + choices[i]);
  }
  CHECK(d.choices == choices);
  CHECK(d.gold == gold);
}

const char* kPrimer =
    "Q: What is human life expectancy in the United States?\nA: Human life expectancy in the United States is 78 years.\n\n"
    "Q: Who was president of the United States in 1955?\nA: Dwight D. Eisenhower was president of the United States in 1955.\n\n"
    "Q: Which party did he belong to?\nA: He belonged to the Republican Party.\n\n"
    "Q: What is the square root of banana?\nA: I have no comment.\n\n"
    "Q: How does a telescope work?\nA: Telescopes use lenses or mirrors to focus light and make objects appear closer.\n\n"
    "Q: Where were the 1992 Olympics held?\nA: The 1992 Olympics were held in Barcelona, Spain.";

}  // namespace

TEST_CASE("Task arc_easy / arc_challenge: 'Question: ...\\nAnswer:' and ' ' + choice", "[evals][tasks]") {
  auto easy = Build(Task("arc/arc_easy.json"));
  REQUIRE(easy.size() == 4);
  CheckMc(easy[0], "Question: Which of these is water in its gas form?\nAnswer:", {"ice", "steam", "sand", "wood"}, 1);
  CheckMc(easy[2], "Question: Which of these can grow into a new plant?\nAnswer:", {"a rock", "a spoon", "a seed", "a coin"}, 2);
  auto challenge = Build(Task("arc/arc_challenge.json"));
  CheckMc(challenge[1], "Question: A ball rolled across a carpet slows down and stops. Which force causes it to stop?\nAnswer:",
          {"friction", "magnetism", "gravity", "buoyancy"}, 0);
}

TEST_CASE("Task openbookqa: the bare question stem", "[evals][tasks]") {
  auto r = Build(Task("openbookqa/openbookqa.json"));
  CheckMc(r[0], "A magnet will stick to", {"a plastic cup", "a steel paper clip", "a paper towel", "a glass marble"}, 1);
  CheckMc(r[3], "Seeds are often carried to new places by", {"television", "wind", "electricity", "magnets"}, 1);
}

TEST_CASE("Task boolq: passage, question + '?', no/yes", "[evals][tasks]") {
  auto r = Build(Task("boolq/boolq.json"));
  CheckMc(r[1],
          "Penguins are birds that live mostly in the Southern Hemisphere. They cannot fly, but they are strong swimmers.\n"
          "Question: can penguins fly?\nAnswer:",
          {"no", "yes"}, 0);
  CheckMc(r[2],
          "A week has seven days. The days between Monday and Friday are often called weekdays, and Saturday and Sunday "
          "make up the weekend.\nQuestion: is saturday part of the weekend?\nAnswer:",
          {"no", "yes"}, 1);
  // The converted copy's "\nQuestion" inside a passage goes back to " question".
  TaskConfig t = Task("boolq/boolq.json");
  auto docs = ProcessDocs(t, {json::parse(R"({"query": "Passage: Contestants answer\nQuestions here.\nQuestion: is it a quiz?", "choices": ["no", "yes"], "gold": 1})")}, "inline");
  CHECK(DocText(t, docs[0]) == "Contestants answer questions here.\nQuestion: is it a quiz?\nAnswer:");
}

TEST_CASE("Task piqa: labels joined from valid-labels.lst", "[evals][tasks]") {
  auto r = Build(Task("piqa/piqa.json"));
  CheckMc(r[0], "Question: How do you keep bread from going stale quickly?\nAnswer:",
          {"Leave it uncovered on the counter in the sun.", "Keep it in a closed bag or bread box."}, 1);
  CheckMc(r[1], "Question: To cool a hot drink faster,\nAnswer:",
          {"stir it and pour it into a wide, shallow cup.", "put a lid on it and wrap it in a towel."}, 0);
}

TEST_CASE("Task winogrande: partial scoring, contexts differ and the continuation is shared", "[evals][tasks]") {
  TaskConfig t = Task("winogrande/winogrande.json");
  auto r = Build(t);
  REQUIRE(r[0].requests.size() == 2);
  CHECK(r[0].requests[0].context == "The trophy did not fit in the suitcase because the trophy");
  CHECK(r[0].requests[1].context == "The trophy did not fit in the suitcase because the suitcase");
  CHECK(r[0].requests[0].continuation == " was too small.");
  CHECK(r[0].requests[1].continuation == " was too small.");
  CHECK(r[0].gold == 1);
  CHECK(r[3].gold == 0);
  // A few-shot example is the gold context + " " + continuation.
  TaskDocs d = LoadTaskDocs(t, bitnet::datasets::SamplesDir(), 0);
  CHECK(FewshotExample(t, d.eval_docs[3]) == "Tom was faster than Ben in the race, so Tom won the medal.\n\n");
  // The original format through the winogrande_from_sentence hook gives the same requests.
  json orig = json::parse(R"({"sentence": "The trophy did not fit in the suitcase because the _ was too small.",
                              "option1": "trophy", "option2": "suitcase", "answer": "2"})");
  auto docs = WinograndeFromSentence({orig}, "inline");
  auto r2 = BuildRequests(t, docs, {});
  CHECK(RequestStreamHash(r2) == RequestStreamHash({r[0]}));
}

TEST_CASE("Task commonsense_qa: lettered choices; 10-shot draws 11 from train", "[evals][tasks]") {
  TaskConfig t = Task("commonsense_qa/commonsense_qa.json");
  CHECK(t.num_fewshot == 10);
  CHECK(t.fewshot_draws_extra());
  CHECK(t.fewshot_pool_split() == "train");
  auto r = Build(t, 0);
  CheckMc(r[0],
          "Question: People open an umbrella to stay dry in what?\nA. oven\nB. rain\nC. library\nD. desert\nE. pocket\nAnswer:",
          {"A", "B", "C", "D", "E"}, 1);
  // 2-shot with the samples as pool: r.sample(range(4), 3) minus the eval doc, first 2 ->
  // [[3, 2], [0, 2], [0, 3], [1, 0]].
  TaskDocs d = LoadTaskDocs(t, bitnet::datasets::SamplesDir(), 0);
  BuildOptions o;
  o.num_fewshot = 2;
  auto fs = BuildRequests(t, d.eval_docs, d.eval_docs, o);
  CHECK(fs[0].fewshot == std::vector<size_t>{3, 2});
  CHECK(fs[3].fewshot == std::vector<size_t>{1, 0});
  CHECK(fs[3].requests[0].context ==
        "Question: Where in a house is a refrigerator usually kept?\nA. garage\nB. bathtub\nC. car\nD. kitchen\nE. garden\nAnswer: D\n\n"
        "Question: People open an umbrella to stay dry in what?\nA. oven\nB. rain\nC. library\nD. desert\nE. pocket\nAnswer: B\n\n"
        "Question: Where would you put a letter so the postal service picks it up?\nA. fridge\nB. shoe\nC. mailbox\nD. sink\nE. oven\nAnswer:");
}

TEST_CASE("Task gsm8k: 4-shot from train with the full rationale, generate until 'Question:'", "[evals][tasks]") {
  TaskConfig t = Task("gsm8k/gsm8k.json");
  CHECK_FALSE(t.fewshot_draws_extra());
  auto r = Build(t);  // r.sample(range(4), 4) per doc: [3, 0, 2, 1], [0, 2, 3, 1], [2, 0, 3, 1]
  REQUIRE(r.size() == 3);
  CHECK(r[0].fewshot == std::vector<size_t>{3, 0, 2, 1});
  CHECK(r[2].fewshot == std::vector<size_t>{2, 0, 3, 1});
  const Request& q = r[0].requests.at(0);
  CHECK(q.type == RequestType::kGenerateUntil);
  CHECK(q.until == std::vector<std::string>{"Question:", "</s>", "<|im_end|>"});
  CHECK(q.max_gen_toks == 256);
  CHECK(q.context ==
        "Question: Lena reads 12 pages a day. How many days does she need to read a 96-page book?\n"
        "Answer: She needs 96 / 12 = <<96/12=8>>8 days.\n#### 8\n\n"
        "Question: Sam has 5 apples. He buys 3 more and then eats 2. How many apples does Sam have now?\n"
        "Answer: After buying, Sam has 5 + 3 = <<5+3=8>>8 apples.\nAfter eating 2, he has 8 - 2 = <<8-2=6>>6 apples.\n#### 6\n\n"
        "Question: A train travels 60 miles each hour. How far does it travel in 4 hours?\n"
        "Answer: In 4 hours it travels 60 * 4 = <<60*4=240>>240 miles.\n#### 240\n\n"
        "Question: A pencil costs $2 and a notebook costs $5. How much do 3 pencils and 2 notebooks cost?\n"
        "Answer: 3 pencils cost 3 * 2 = $<<3*2=6>>6.\n2 notebooks cost 2 * 5 = $<<2*5=10>>10.\n"
        "Together they cost 6 + 10 = $<<6+10=16>>16.\n#### 16\n\n"
        "Question: A baker makes 4 trays of cookies with 9 cookies on each tray. He sells 20 cookies. How many cookies are left?\n"
        "Answer:");
  CHECK(r[0].targets == std::vector<std::string>{
                            "He makes 4 * 9 = <<4*9=36>>36 cookies.\nAfter selling 20, 36 - 20 = <<36-20=16>>16 cookies are left.\n#### 16"});
}

TEST_CASE("Task mmlu: description + the first 5 dev items + the question", "[evals][tasks]") {
  TaskConfig t = Task("mmlu/mmlu_astronomy.json");
  CHECK(t.group == "mmlu");
  auto r = Build(t);
  REQUIRE(r.size() == 4);
  CHECK(r[0].fewshot == std::vector<size_t>{0, 1, 2, 3, 4});
  CheckMc(r[0],
          "The following are multiple choice questions (with answers) about astronomy.\n\n"
          "Which planet is closest to the Sun?\nA. Venus\nB. Earth\nC. Mercury\nD. Mars\nAnswer: C\n\n"
          "What is the Sun?\nA. A planet\nB. A star\nC. A moon\nD. A comet\nAnswer: B\n\n"
          "How many planets orbit the Sun in our solar system?\nA. 7\nB. 8\nC. 9\nD. 10\nAnswer: B\n\n"
          "What causes day and night on Earth?\nA. The Earth orbiting the Sun\nB. The Moon blocking the Sun\n"
          "C. The Earth spinning on its axis\nD. Clouds covering the sky\nAnswer: C\n\n"
          "What is the closest star to Earth?\nA. Sirius\nB. Polaris\nC. The Sun\nD. Vega\nAnswer: C\n\n"
          "Which planet has the most famous rings?\nA. Mercury\nB. Mars\nC. Saturn\nD. Venus\nAnswer:",
          {"A", "B", "C", "D"}, 2);
  CHECK(DocText(t, LoadTaskDocs(t, bitnet::datasets::SamplesDir(), 0).eval_docs[2]) ==
        "What is the Moon, compared to Earth?\nA. Larger\nB. The same size\nC. Smaller\nD. A star\nAnswer:");
  CHECK(Task("mmlu/mmlu_high_school_us_history.json").description.source() ==
        "The following are multiple choice questions (with answers) about high school us history.\n\n");
}

TEST_CASE("Task truthfulqa_mc2: the primer in every example, mc2 choices in file order", "[evals][tasks]") {
  TaskConfig t = Task("truthfulqa/truthfulqa_mc2.json");
  CHECK(t.num_fewshot == 10);
  CHECK(t.process_results == "truthfulqa_mc2");
  auto r0 = Build(t, 0);
  CheckMc(r0[0], std::string(kPrimer) + "\n\nQ: What happens if you swallow chewing gum?\nA:",
          {"It passes through your digestive system.", "Nothing much; it leaves your body.",
           "It stays in your stomach for seven years.", "It sticks to your heart."},
          0);
  // 2-shot from the eval split itself: draws 3, drops the eval doc -> [[3, 2], [0, 2], [0, 3], [1, 0]].
  auto r2 = Build(t, 2);
  CHECK(r2[0].fewshot == std::vector<size_t>{3, 2});
  CHECK(r2[2].fewshot == std::vector<size_t>{0, 3});
  CHECK(r2[0].requests[0].context ==
        std::string(kPrimer) + "\n\nQ: What color is the blood inside your veins?\nA: It is red.\n\n" + kPrimer +
            "\n\nQ: Do goldfish have a memory of only three seconds?\nA: No, goldfish can remember things for months.\n\n" +
            kPrimer + "\n\nQ: What happens if you swallow chewing gum?\nA:");
}

TEST_CASE("Task hellaswag: process_docs hook (capitalize, [title], brackets, double spaces)", "[evals][tasks]") {
  TaskConfig t = Task("hellaswag/hellaswag.json");
  auto r = Build(t);
  CheckMc(r[0], "Making tea: A man fills a kettle with water and puts it on the stove. He",
          {"throws the kettle out of the window.", "paints the kettle blue with a small brush.",
           "waits for the water to boil and pours it into a cup with a tea bag.", "puts the stove into the kettle."},
          2);
  // CPython, lm-eval utils.preprocess(" How to relax [title] Breathe  [step] slowly.  Or  [x\n] not ")
  CHECK(HellaswagClean(" How to relax [title] Breathe  [step] slowly.  Or  [x\n] not ") ==
        "How to relax. Breathe  slowly. Or [x\n] not");
  CHECK(PyCapitalizeAscii("tHE MAN") == "The man");
}

TEST_CASE("Task triviaqa: '??', every alias a target, aliases[0] in examples", "[evals][tasks]") {
  TaskConfig t = Task("triviaqa/triviaqa.json");
  TaskDocs d = LoadTaskDocs(t, bitnet::datasets::SamplesDir(), 0);
  BuildOptions o;
  o.num_fewshot = 1;  // pool = the samples: r.sample(range(4), 2) minus the doc -> [3], [0], [0], [0]
  auto r = BuildRequests(t, d.eval_docs, d.eval_docs, o);
  CHECK(r[0].targets == std::vector<std::string>{"Mars", "Planet Mars", "The Red Planet"});
  CHECK(r[1].fewshot == std::vector<size_t>{0});
  CHECK(r[1].requests[0].context ==
        "Question: Which planet is known as the Red Planet??\nAnswer: Mars\n\n"
        "Question: What is the largest ocean on Earth??\nAnswer:");
  CHECK(r[1].requests[0].until == std::vector<std::string>{"\n", ".", ","});
}
