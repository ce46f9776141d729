#pragma once
// Boost.Program_options glue shared by the subcommands: each declares its options once.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/runtime/session.h"
#include "harness/cli/commands.h"

namespace bitnet::cli {

namespace po = boost::program_options;

// Parses args; prints usage and returns false for --help. Throws UsageError on bad options.
bool Parse(const std::string& command, const std::string& usage, po::options_description& desc,
           const po::positional_options_description* positional, const Args& args, po::variables_map& vm);

// The options every model-running command shares: --threads, --ctx-size, --batch-size, --kernel,
// --pre-tokenizer. Use with LoadOptionsFrom / SessionOptionsFrom.
void AddRuntimeOptions(po::options_description& desc);
LoadOptions LoadOptionsFrom(const po::variables_map& vm);
SessionOptions SessionOptionsFrom(const po::variables_map& vm);

// "1 2 3" or "1,2,3" -> ids; throws UsageError naming the bad item.
std::vector<int32_t> ParseTokenList(const std::string& text);

}  // namespace bitnet::cli
