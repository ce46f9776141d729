#pragma once
// The subcommand registry: each cmd_*.cc defines one Run* function declared here.
#include <functional>
#include <string>
#include <vector>

namespace bitnet::cli {

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  std::function<int(const Args&)> run;
};

const std::vector<Command>& Commands();

int RunInspect(const Args& args);
int RunTokenize(const Args& args);
int RunLogits(const Args& args);
int RunGenerate(const Args& args);
int RunMakeModel(const Args& args);
int RunBench(const Args& args);
int RunSuite(const Args& args);
int RunEval(const Args& args);
int RunKlDivergence(const Args& args);
int RunCompareQuants(const Args& args);
int RunReport(const Args& args);
int RunCompare(const Args& args);
int RunMerge(const Args& args);

}  // namespace bitnet::cli
