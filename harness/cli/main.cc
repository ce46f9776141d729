// bitnet-eval: one executable, one file per subcommand (harness/cli/cmd_*.cc).
#include <fmt/format.h>

#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "common/error.h"
#include "harness/build_info.h"
#include "harness/cli/commands.h"

namespace {

void PrintUsage() {
  fmt::print(
      "bitnet-eval {} — benchmark and evaluation suite for low-bit LLMs\n\n"
      "usage: bitnet-eval COMMAND [options]   (bitnet-eval COMMAND --help for its options)\n\n",
      bitnet::BuildGitHash());
  for (const auto& c : bitnet::cli::Commands()) fmt::print("  {:<12} {}\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage();
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "--version") {
    fmt::print("bitnet-eval {}\n", bitnet::BuildGitHash());
    return 0;
  }
  // `bitnet-eval --suite NAME ...` is the main job: the `run` command.
  std::string name = args[0];
  if (name.rfind("--", 0) == 0) {
    name = "run";
  } else {
    args.erase(args.begin());
  }
  for (const auto& c : bitnet::cli::Commands()) {
    if (name != c.name) continue;
    try {
      return c.run(args);
    } catch (const bitnet::InputError& e) {
      fmt::print(stderr, "bitnet-eval {}: error: {}\n", name, e.what());
      return 2;
    } catch (const bitnet::UsageError& e) {
      fmt::print(stderr, "bitnet-eval {}: error: {}\n", name, e.what());
      return 2;
    } catch (const std::exception& e) {
      fmt::print(stderr, "bitnet-eval {}: error: {}\n", name, e.what());
      return 1;
    }
  }
  fmt::print(stderr, "bitnet-eval: unknown command '{}'\n\n", name);
  PrintUsage();
  return 2;
}
