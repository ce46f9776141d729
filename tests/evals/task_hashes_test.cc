// Request-stream hashes over the real data in ../shared/data (skipped when it is absent). A change
// in any prompt, few-shot pick, choice or generation setting changes the hash: if that change is
// intended, check a few prompts by eye (the first request is printed on mismatch) and re-pin.
// Hash = SHA-256 over CanonicalRequest(r) + "\n" for every request in order (evals/core/requests.h).
// The hashes of arc_easy, openbookqa, boolq, piqa, winogrande, commonsense_qa, gsm8k (4-shot),
// truthfulqa_mc2 (10-shot) and mmlu were also reproduced by an independent Python script that
// assembles the prompts as lm-eval does (CPython random.Random(1234).sample over the documents).
#include <catch2/catch.hpp>

#include <iostream>

#include "evals/core/requests.h"
#include "evals/core/sha256.h"
#include "evals/core/task_data.h"
#include "tests/test_support.h"

using namespace bitnet::evals;

namespace {

struct Pinned {
  const char* task_file;
  int shots;
  size_t docs, requests;
  const char* hash;
};

// Shots: the report's, except commonsense_qa (0: its train split, the few-shot pool, is not in
// ../shared/data).
const Pinned kPinned[] = {
    {"arc/arc_easy.json", 0, 2376, 9504,
     "ad2176a9cbc5373956ee808a696469aff776f487741bb048c20da666ecdb1668"},
    {"arc/arc_challenge.json", 0, 1172, 4688,
     "f003df0cd149d1ed13b229c474c8eeea569b91aed2ce5ac036ad0fb1cbd84f73"},
    {"openbookqa/openbookqa.json", 0, 500, 2000,
     "aa9b8748c9525d9d9b41a7f37b1c6202e1bc0e91cac0aacee0feb6bc5310e482"},
    {"boolq/boolq.json", 0, 3270, 6540,
     "4784d560ea99f9b93bd6a939c9990b15ecb7dc49c8bc53f0b4249bdce8a236ea"},
    {"piqa/piqa.json", 0, 1838, 3676,
     "2ffc7f18cd4fbb157282fac78310d4b0274a252b0fad4c4273ebc2b4af75692b"},
    {"winogrande/winogrande.json", 0, 1267, 2534,
     "cf0e8e58f8cc44d3399cefa5c547fc779d398a2590da71274a036b6607f37d37"},
    {"commonsense_qa/commonsense_qa.json", 0, 1221, 6105,
     "32e4e9a3f2b1ae589ec64ba15ecfa6e84316ae9961faa2d56843b302f68d0ef6"},
    {"gsm8k/gsm8k.json", 4, 1319, 1319,
     "6b6155b3c17f46ef2d766cb4622dd53b22bca4b500b239a66d4d0f61636661d1"},
    {"truthfulqa/truthfulqa_mc2.json", 10, 817, 6204,
     "afbf1b85156f4f77c108e9ba1796b8993286ec5971754c0a7bda19dac8e569bd"},
    {"ifeval/ifeval.json", 0, 541, 541,
     "527692f6e2db2fa60cd3fa8fe7bfd52917ee2a4660c83fbe752f99f61ba2548c"},
    {"math500/math500.json", 0, 500, 500,
     "7538660651bdb10ef9a9f5f7176b1d39e1460ab6e870f8f0414a15e4d9526c4d"},
    {"humaneval/humaneval_plus.json", 0, 164, 164,
     "8f65ab2cf7fa2ff19ccafa51e76e8a0322bcaae187ad43a1176e79af4fd8782b"},
};

std::vector<DocRequests> BuildReal(const TaskConfig& t, const std::filesystem::path& data, int shots) {
  TaskDocs d = LoadTaskDocs(t, data, shots);
  BuildOptions o;
  o.num_fewshot = shots;
  return BuildRequests(t, d.eval_docs, d.fewshot_docs, o);
}

size_t CountRequests(const std::vector<DocRequests>& docs) {
  size_t n = 0;
  for (const auto& d : docs) n += d.requests.size();
  return n;
}

}  // namespace

TEST_CASE("Request-stream hashes over ../shared/data", "[evals][hashes]") {
  auto manifest = bitnet::test::SharedData("MANIFEST.md");
  if (!manifest) return;
  const std::filesystem::path data = manifest->parent_path();
  for (const Pinned& p : kPinned) {
    TaskConfig t = LoadTaskConfig(DefaultTasksDir() / p.task_file);
    auto docs = BuildReal(t, data, p.shots);
    const std::string hash = RequestStreamHash(docs);
    std::cout << "request hash " << t.task << " (" << p.shots << "-shot, " << docs.size() << " docs, "
              << CountRequests(docs) << " requests): " << hash << "\n";
    INFO(t.task << " first request: " << CanonicalRequest(docs.at(0).requests.at(0)));
    CHECK(docs.size() == p.docs);
    CHECK(CountRequests(docs) == p.requests);
    CHECK(hash == p.hash);
  }
}

TEST_CASE("Request-stream hash of the 57 MMLU subjects (5-shot, first 5 dev items)", "[evals][hashes]") {
  auto manifest = bitnet::test::SharedData("MANIFEST.md");
  if (!manifest) return;
  const std::filesystem::path data = manifest->parent_path();
  Sha256 all;  // every subject's stream, subjects in file-name order
  size_t n_docs = 0, n_requests = 0;
  for (const auto& f : ListTaskFiles(DefaultTasksDir() / "mmlu")) {
    TaskConfig t = LoadTaskConfig(f);
    auto docs = BuildReal(t, data, 5);
    n_docs += docs.size();
    for (const auto& d : docs) {
      for (const auto& r : d.requests) {
        all.Update(CanonicalRequest(r));
        all.Update("\n");
        ++n_requests;
      }
    }
  }
  const std::string hash = all.HexFinal();
  std::cout << "request hash mmlu (57 subjects, 5-shot, " << n_docs << " docs, " << n_requests << " requests): " << hash << "\n";
  CHECK(n_docs == 14042);
  CHECK(n_requests == 4 * 14042);
  CHECK(hash == "3a5dcdfb3b2cd3b4c53230ca2913d015bc67a9bd2d0fa7ea0d032488c74140d9");
}
