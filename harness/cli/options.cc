#include "harness/cli/options.h"

#include <fmt/format.h>

#include <charconv>
#include <iostream>

#include "common/error.h"

namespace bitnet::cli {

bool Parse(const std::string& command, const std::string& usage, po::options_description& desc,
           const po::positional_options_description* positional, const Args& args, po::variables_map& vm) {
  desc.add_options()("help,h", "show this help");
  try {
    po::command_line_parser parser(args);
    parser.options(desc);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: bitnet-eval " << command << " " << usage << "\n\n" << desc << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(fmt::format("{} (see bitnet-eval {} --help)", e.what(), command));
  }
  return true;
}

void AddRuntimeOptions(po::options_description& desc) {
  desc.add_options()
      ("threads,t", po::value<int>()->default_value(0), "threads (0: all hardware threads)")
      ("ctx-size,c", po::value<int64_t>()->default_value(0), "context size in tokens (0: the model's, at most 4096)")
      ("batch-size,b", po::value<int64_t>()->default_value(512), "tokens per forward call during prefill")
      ("kernel", po::value<std::string>()->default_value(""), "kernel variant (default: the best this CPU runs)")
      ("pre-tokenizer", po::value<std::string>()->default_value(""),
       "llama3 | default (bitnet.cpp's behaviour on files without tokenizer.ggml.pre); "
       "unset: the file's, else llama3");
}

LoadOptions LoadOptionsFrom(const po::variables_map& vm) {
  LoadOptions o;
  const std::string pre = vm["pre-tokenizer"].as<std::string>();
  if (!pre.empty()) o.pre_tokenizer = ParsePreTokenizer(pre);
  return o;
}

SessionOptions SessionOptionsFrom(const po::variables_map& vm) {
  SessionOptions o;
  o.n_threads = vm["threads"].as<int>();
  o.n_ctx = vm["ctx-size"].as<int64_t>();
  o.n_batch = vm["batch-size"].as<int64_t>();
  o.kernel = vm["kernel"].as<std::string>();
  if (o.n_threads < 0 || o.n_threads > 1024) throw UsageError(fmt::format("--threads {} is out of range", o.n_threads));
  if (o.n_ctx < 0) throw UsageError("--ctx-size must not be negative");
  return o;
}

std::vector<int32_t> ParseTokenList(const std::string& text) {
  std::vector<int32_t> ids;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '\n' || text[i] == '\t')) ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != ',' && text[j] != '\n' && text[j] != '\t') ++j;
    int32_t v = 0;
    auto [p, ec] = std::from_chars(text.data() + i, text.data() + j, v);
    if (ec != std::errc() || p != text.data() + j || v < 0)
      throw UsageError(fmt::format("'{}' is not a token id", text.substr(i, j - i)));
    ids.push_back(v);
    i = j;
  }
  return ids;
}

}  // namespace bitnet::cli
