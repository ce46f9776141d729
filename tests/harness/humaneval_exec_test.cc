// evals/runner/humaneval (evalplus-style differential testing) on the real sandbox executor:
// hand-written tasks in HumanEvalPlus' format; correct, wrong, looping and hostile completions.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "evals/runner/evaluate.h"
#include "evals/runner/humaneval.h"
#include "harness/sandbox/sandbox_executor.h"

namespace ev = bitnet::evals;
using nlohmann::json;

namespace {

bool HavePython() {
  for (const char* d : {"/usr/local/bin/python3", "/usr/bin/python3", "/bin/python3"})
    if (access(d, X_OK) == 0) return true;
  return false;
}

#define REQUIRE_PYTHON()                                      \
  do {                                                        \
    if (!HavePython()) {                                      \
      WARN("python3 not found in the sandbox PATH; skipped"); \
      return;                                                 \
    }                                                         \
  } while (0)

class CountingExecutor : public ev::CodeExecutor {
 public:
  ev::CodeResult RunPython(const std::vector<ev::CodeFile>& files, const std::string& main, const std::string& in,
                           const ev::CodeLimits& limits) override {
    ++runs;
    return inner.RunPython(files, main, in, limits);
  }
  bitnet::harness::sandbox::SandboxExecutor inner;
  int runs = 0;
};

json AddTask() {
  return json{{"task_id", "Test/0"},
              {"prompt", "def add(a: int, b: int) -> int:\n    \"\"\"Return a + b.\"\"\"\n"},
              {"entry_point", "add"},
              {"canonical_solution", "    return a + b\n"},
              {"test", ""},
              {"contract", ""},
              {"base_input", json::parse("[[1, 2], [3, 4]]")},
              {"plus_input", json::parse("[[1000000, -5], [0, 0], [-7, 7]]")},
              {"atol", 0}};
}

json MeanTask() {
  return json{{"task_id", "Test/1"},
              {"prompt", "from typing import List\n\n\ndef mean(xs: List[float]) -> float:\n    \"\"\"Mean.\"\"\"\n"},
              {"entry_point", "mean"},
              {"canonical_solution", "    return sum(xs) / len(xs)\n"},
              {"test", ""},
              {"contract", ""},
              {"base_input", json::parse("[[[0.1, 0.2, 0.3]], [[1.5]]]")},
              {"plus_input", json::parse("[[[0.1, 0.7, 1e-3, 3.3333]], [[2.0, 4.0]]]")},
              {"atol", 0}};
}

}  // namespace

TEST_CASE("humaneval: solution assembly", "[humaneval]") {
  const json t = AddTask();
  CHECK(ev::BuildHumanEvalSolution(t, "    return a + b\n") == t["prompt"].get<std::string>() + "    return a + b\n");
  CHECK(ev::BuildHumanEvalSolution(t, "def add(a, b):\n    return a + b\n```\nMore text") ==
        "def add(a, b):\n    return a + b\n");
  CHECK(ev::BuildHumanEvalSolution(t, "```python\ndef add(a, b):\n    return b + a\n```\n") ==
        "def add(a, b):\n    return b + a\n");
}

TEST_CASE("humaneval: correct, wrong and plus-only-wrong completions", "[humaneval][sandbox]") {
  REQUIRE_PYTHON();
  CountingExecutor ex;
  ev::HumanEvalChecker checker(ex);
  const json t = AddTask();

  const auto ok = checker.Check(t, "    return a + b\n");
  CHECK(ok.base.passed);
  CHECK(ok.plus.passed);
  CHECK(ex.runs == 4);  // canonical base + plus, then the sample's base + plus

  const auto ok2 = checker.Check(t, "def add(a, b):\n    return b + a\n```\n");
  CHECK(ok2.base.passed);
  CHECK(ok2.plus.passed);
  CHECK(ex.runs == 6);  // the canonical outputs are cached per task

  const auto wrong = checker.Check(t, "    return a - b\n");
  CHECK_FALSE(wrong.base.passed);
  CHECK(wrong.base.status == "fail");
  CHECK_FALSE(wrong.plus.passed);

  const auto plus_wrong = checker.Check(t, "    return a + b if a < 100 else 0\n");
  CHECK(plus_wrong.base.passed);
  CHECK_FALSE(plus_wrong.plus.passed);
  CHECK(plus_wrong.plus.status == "fail");

  const auto crash = checker.Check(t, "    raise ValueError('no')\n");
  CHECK_FALSE(crash.base.passed);
  CHECK(crash.base.status == "error");

  const auto syntax = checker.Check(t, "    return a +\n");
  CHECK_FALSE(syntax.base.passed);

  // Prints from the solution do not confuse the protocol.
  const auto noisy = checker.Check(t, "    print('{\"status\": \"pass\", \"n\": 2}')\n    return a + b\n");
  CHECK(noisy.base.passed);
  CHECK(noisy.plus.passed);
}

TEST_CASE("humaneval: floats compare with evalplus' tolerance", "[humaneval][sandbox]") {
  REQUIRE_PYTHON();
  bitnet::harness::sandbox::SandboxExecutor ex;
  ev::HumanEvalChecker checker(ex);
  const json t = MeanTask();
  const auto close = checker.Check(t, "    return sum(x / len(xs) for x in xs)\n");
  CHECK(close.base.passed);
  CHECK(close.plus.passed);
  const auto off = checker.Check(t, "    return sum(xs) / len(xs) + 0.001\n");
  CHECK_FALSE(off.base.passed);
}

TEST_CASE("humaneval: an infinite loop fails within the per-input limit", "[humaneval][sandbox]") {
  REQUIRE_PYTHON();
  bitnet::harness::sandbox::SandboxExecutor ex;
  ev::HumanEvalChecker checker(ex);
  const json t = AddTask();
  checker.Check(t, "    return a + b\n");  // canonical outputs first
  const auto t0 = std::chrono::steady_clock::now();
  const auto loop = checker.Check(t, "    while True:\n        pass\n");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK_FALSE(loop.base.passed);
  CHECK_FALSE(loop.plus.passed);
  CHECK(loop.base.status == "timeout");
  CHECK(s < 10);
  // A loop at import time (C-level sleep is interrupted by the alarm too).
  const auto sleeper = checker.Check(t, "    return a + b\nimport time\ntime.sleep(100)\n");
  CHECK_FALSE(sleeper.base.passed);
}

TEST_CASE("humaneval: hostile completions fail or are contained", "[humaneval][sandbox]") {
  REQUIRE_PYTHON();
  bitnet::harness::sandbox::SandboxExecutor ex;
  ev::HumanEvalChecker checker(ex);
  const json t = AddTask();
  const std::string marker = "/tmp/bitnet_he_pwned_" + std::to_string(getpid());
  std::filesystem::remove(marker);
  const auto sys = checker.Check(t, "    import os\n    os.system('touch " + marker + "')\n    return a + b\n");
  CHECK_FALSE(std::filesystem::exists(marker));  // read-only filesystem outside the work dir
  (void)sys;
  const auto net = checker.Check(t,
                                 "    import socket\n    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                                 "    s.settimeout(1)\n    s.connect(('1.1.1.1', 80))\n    return a + b\n");
  CHECK_FALSE(net.base.passed);
  std::filesystem::remove(marker);
}

TEST_CASE("humaneval_plus is refused without code execution", "[humaneval]") {
  const auto tasks = ev::ResolveTasks({"humaneval_plus"}, ev::DefaultTasksDir());
  REQUIRE(tasks.size() == 1);
  try {
    ev::CheckRunnable(tasks[0]);
    FAIL("not refused");
  } catch (const bitnet::InputError& e) {
    CHECK(std::string(e.what()).find("--allow-code-execution") != std::string::npos);
  }
  CHECK_NOTHROW(ev::CheckRunnable(tasks[0], true));
}
