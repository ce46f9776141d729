// The job definitions in deploy/ run as a scheduler would run them: the Slurm array script once per
// SLURM_ARRAY_TASK_ID, the Kubernetes Indexed Job's container command once per
// JOB_COMPLETION_INDEX (taken from the manifest), each followed by its merge step; the merged
// results equal an unsharded run's, for `eval` shards and for suite shards.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/cli/eval_test_support.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/suite_test_support.h"
#include "tests/test_support.h"

namespace {

using bitnet::test::Exec;
using bitnet::test::Quote;
using bitnet::test::ReadText;
namespace fs = std::filesystem;

const fs::path kDeploy = fs::path(BITNET_TASKS_DIR).parent_path().parent_path() / "deploy";
const fs::path kSamples = fs::path(BITNET_TASKS_DIR).parent_path().parent_path() / "datasets" / "samples";

// `sh -c CMD 2>&1` with the environment assignments in `env`; the exit code.
int Shell(const std::string& env, const std::string& cmd, std::string* out = nullptr) {
  const std::string full = "env " + env + " /bin/sh -c " + Quote(cmd) + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int st = pclose(p);
  if (out) *out = text;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// `cmd` as the scheduler would start it, with `env`; it must exit 0 (its output shown otherwise).
void RunOk(const std::string& env, const std::string& cmd) {
  std::string out;
  const int code = Shell(env, cmd, &out);
  INFO(cmd << "\n" << out);
  REQUIRE(code == 0);
}

// `cmd` once per array / completion index 0..count-1: `var`=i added to `env`.
void RunPerIndex(const std::string& env, const std::string& var, int count, const std::string& cmd) {
  for (int i = 0; i < count; ++i) RunOk(env + " " + var + "=" + std::to_string(i), cmd);
}

// The container command of a Job manifest: the folded (">-") item under "args:", lines joined by spaces.
std::string ContainerCommand(const fs::path& yaml) {
  std::istringstream in(ReadText(yaml));
  std::string line, cmd;
  bool in_args = false, folded = false;
  while (std::getline(in, line)) {
    const size_t ind = line.find_first_not_of(' ');
    if (ind == std::string::npos) continue;
    const std::string body = line.substr(ind);
    if (body == "args:") {
      in_args = true;
      continue;
    }
    if (in_args && body == "- >-") {
      folded = true;
      continue;
    }
    if (folded) {
      if (body.rfind("- ", 0) == 0 || body.find(':') == body.size() - 1) break;
      cmd += (cmd.empty() ? "" : " ") + body;
    }
  }
  return cmd;
}

nlohmann::json Scores(const fs::path& results) {
  const auto j = nlohmann::json::parse(ReadText(results));
  return {{"results", j["results"]}, {"n-samples", j["n-samples"]}, {"configs", j["configs"]}};
}

}  // namespace

TEST_CASE("deploy: the Slurm array script and merge script, run per array task", "[cli][shards][deploy]") {
  const auto dir = bitnet::test::TempDir("deploy-slurm");
  const auto model = bitnet::test::MakeTinyModel(dir, 8);
  const std::string tasks = "arc_easy,mmlu_astronomy";
  REQUIRE(Exec("eval --model " + Quote(model) + " --tasks " + tasks + " -t 1 -q --bootstrap-iters 100 --data-dir " +
               Quote(kSamples) + " --out " + Quote(dir / "whole"))
              .code == 0);
  const std::string env = "BITNET_EVAL=" + Quote(BITNET_EVAL_EXE) + " MODEL=" + Quote(model) +
                          " DATA_DIR=" + Quote(kSamples) + " OUT_ROOT=" + Quote(dir / "run") + " TASKS=" + tasks +
                          " EXTRA_ARGS='-q --bootstrap-iters 100' SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=2 "
                          "SLURM_CPUS_PER_TASK=1";
  RunPerIndex(env, "SLURM_ARRAY_TASK_ID", 3, "bash " + Quote(kDeploy / "slurm" / "eval_shards.sbatch"));
  RunOk(env, "bash " + Quote(kDeploy / "slurm" / "merge.sbatch"));
  CHECK(Scores(dir / "run" / "merged" / "results.json") == Scores(dir / "whole" / "results.json"));
  CHECK(ReadText(dir / "run" / "merged" / "samples_arc_easy.jsonl") == ReadText(dir / "whole" / "samples_arc_easy.jsonl"));
  // Outside an array job the script says what is missing.
  std::string out;
  CHECK(Shell(env, "bash " + Quote(kDeploy / "slurm" / "eval_shards.sbatch"), &out) != 0);
  CHECK_THAT(out, Catch::Contains("SLURM_ARRAY_TASK_ID"));
}

TEST_CASE("deploy: the Kubernetes Indexed Job's command per completion index, then the merge Job's", "[cli][shards][deploy]") {
  const auto dir = bitnet::test::TempDir("deploy-k8s");
  const auto model = bitnet::test::MakeTinyModel(dir, 9);
  const std::string tasks = "arc_easy,mmlu_elementary_mathematics";
  REQUIRE(Exec("eval --model " + Quote(model) + " --tasks " + tasks + " -t 1 -q --data-dir " + Quote(kSamples) +
               " --out " + Quote(dir / "whole"))
              .code == 0);
  const std::string shard_cmd = ContainerCommand(kDeploy / "kubernetes" / "eval-shards-job.yaml");
  const std::string merge_cmd = ContainerCommand(kDeploy / "kubernetes" / "eval-merge-job.yaml");
  CHECK_THAT(shard_cmd, Catch::Contains("--shard \"$JOB_COMPLETION_INDEX/$SHARDS\""));
  CHECK_THAT(merge_cmd, Catch::Contains("merge-shards"));
  // bitnet-eval on PATH, as in the image.
  fs::create_directories(dir / "bin");
  fs::create_symlink(BITNET_EVAL_EXE, dir / "bin" / "bitnet-eval");
  const std::string env = "PATH=" + Quote(dir / "bin") + ":/usr/bin:/bin SHARDS=2 THREADS=1 MODEL=" + Quote(model) +
                          " DATA_DIR=" + Quote(kSamples) + " OUT_ROOT=" + Quote(dir / "run") + " TASKS=" + tasks;
  RunPerIndex(env, "JOB_COMPLETION_INDEX", 2, shard_cmd);
  RunOk(env, merge_cmd);
  CHECK(Scores(dir / "run" / "merged" / "results.json") == Scores(dir / "whole" / "results.json"));
}

TEST_CASE("deploy: a suite through the Slurm script and the Kubernetes suite Job, each merged", "[cli][shards][deploy]") {
  const auto dir = bitnet::test::TempDir("deploy-suite");
  REQUIRE(Exec("--suite quick --out " + Quote(dir / "whole")).code == 0);
  const auto whole = bitnet::test::ReadJson(dir / "whole" / "report.json");
  const std::string arc = "samples/tiny/samples_arc_easy.jsonl";

  // Slurm: SUITE set, no MODEL or DATA_DIR (the suite's synthetic model, the sample items).
  const std::string slurm_env = "BITNET_EVAL=" + Quote(BITNET_EVAL_EXE) + " SUITE=quick OUT_ROOT=" +
                                Quote(dir / "slurm") + " SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=2 SLURM_CPUS_PER_TASK=1";
  RunPerIndex(slurm_env, "SLURM_ARRAY_TASK_ID", 3, "bash " + Quote(kDeploy / "slurm" / "eval_shards.sbatch"));
  RunOk(slurm_env, "bash " + Quote(kDeploy / "slurm" / "merge.sbatch"));
  const auto slurm = bitnet::test::ReadJson(dir / "slurm" / "merged" / "report.json");
  CHECK(bitnet::test::TaskResults(slurm) == bitnet::test::TaskResults(whole));
  CHECK(slurm["sharded"]["count"] == 3);
  CHECK(ReadText(dir / "slurm" / "merged" / arc) == ReadText(dir / "whole" / arc));

  // Kubernetes: the suite Job's container command per completion index, then the merge Job's.
  const std::string shard_cmd = ContainerCommand(kDeploy / "kubernetes" / "suite-shards-job.yaml");
  const std::string merge_cmd = ContainerCommand(kDeploy / "kubernetes" / "eval-merge-job.yaml");
  CHECK_THAT(shard_cmd, Catch::Contains("run --suite \"$SUITE\"") &&
                            Catch::Contains("--shard \"$JOB_COMPLETION_INDEX/$SHARDS\""));
  fs::create_directories(dir / "bin");
  fs::create_symlink(BITNET_EVAL_EXE, dir / "bin" / "bitnet-eval");
  const std::string k8s_env =
      "PATH=" + Quote(dir / "bin") + ":/usr/bin:/bin SUITE=quick SHARDS=2 THREADS=1 OUT_ROOT=" + Quote(dir / "k8s");
  RunPerIndex(k8s_env, "JOB_COMPLETION_INDEX", 2, shard_cmd);
  RunOk(k8s_env, merge_cmd);
  const auto k8s = bitnet::test::ReadJson(dir / "k8s" / "merged" / "report.json");
  CHECK(bitnet::test::TaskResults(k8s) == bitnet::test::TaskResults(whole));
  CHECK(k8s["sharded"]["count"] == 2);
  CHECK(ReadText(dir / "k8s" / "merged" / arc) == ReadText(dir / "whole" / arc));
}
