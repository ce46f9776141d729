// bitnet-eval --suite NAME|FILE.json [--model NAME=PATH ...] [--data-dir DIR] [--out DIR]
//             [--threads 1,2,4] [--limit N] [--allow-code-execution] [--fresh] [--shard I/N]
//             [--no-baselines | --baselines] [--keep-models]
// Options here; the run itself is harness/suite/suite_runner.h.
#include <fmt/format.h>

#include <charconv>
#include <set>

#include "common/error.h"
#include "harness/cli/options.h"
#include "harness/suite/suite_runner.h"

namespace bitnet::cli {

namespace {

std::vector<int> ParseThreadList(const std::string& text) {
  std::vector<int> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(',', i);
    if (j == std::string::npos) j = text.size();
    const std::string item = text.substr(i, j - i);
    int v = -1;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size() || v < 0 || v > 1024)
      throw UsageError(fmt::format("--threads: '{}' is not a thread count (0..1024; 0: all)", item));
    out.push_back(v);
    i = j + 1;
  }
  if (out.empty()) throw UsageError("--threads is empty");
  return out;
}

bool ValidName(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return n[0] != '.';
}

// NAME=PATH, or a bare PATH named after its file ("ggml-model-i2_s").
suite::ModelRequest ParseModel(const std::string& text) {
  suite::ModelRequest m;
  const size_t eq = text.find('=');
  if (eq != std::string::npos) {
    m.name = text.substr(0, eq);
    m.path = text.substr(eq + 1);
  } else {
    m.path = text;
    m.name = std::filesystem::path(text).stem().string();
  }
  if (!ValidName(m.name))
    throw UsageError(fmt::format("--model {}: the name '{}' must be 1-64 letters, digits, '_', '-' or '.'", text, m.name));
  if (m.path.empty()) throw UsageError(fmt::format("--model {}: no path after '='", text));
  return m;
}

}  // namespace

int RunSuite(const Args& args) {
  po::options_description desc("run options");
  desc.add_options()
      ("suite", po::value<std::string>()->default_value("paper-table"),
       "a built-in suite (paper-table, quick, kernels) or a suite file (.json)")
      ("model,m", po::value<std::vector<std::string>>()->composing(),
       "NAME=PATH of a GGUF model (repeatable); default: the suite's synthetic model, written into --out")
      ("data-dir", po::value<std::string>()->default_value(""),
       "dataset folder (layout of datasets/manifest.json); default: the project's sample items")
      ("out,o", po::value<std::string>()->default_value("bitnet-eval-out"), "output folder (report, state, samples)")
      ("threads,t", po::value<std::string>()->default_value(""), "latency thread sweep, e.g. 1,2,4 (0: all); default: the suite's")
      ("limit", po::value<int64_t>(), "evaluate the first N documents of every task")
      ("allow-code-execution", po::bool_switch(), "run model-written code (humaneval_plus) in the sandbox")
      ("fresh", po::bool_switch(), "discard the resume state of an earlier run in --out")
      ("no-baselines", po::bool_switch(), "do not measure the suite's Table 1 baselines (paper-table: synthetic BF16 "
       "models of the five baseline columns, efficiency rows only; measured by default with the built-in model)")
      ("baselines", po::bool_switch(), "measure the suite's Table 1 baselines even when --model is given")
      ("keep-models", po::bool_switch(), "keep the baselines' synthetic models in OUT/baselines (default: deleted "
       "after measuring; 2-6 GB each)")
      ("shard", po::value<std::string>(),
       "run part I of N of the accuracy work (0-based, e.g. $SLURM_ARRAY_TASK_ID/8; shard 0 also runs the "
       "efficiency probes); combine the parts with merge-shards")
      ("ctx-size,c", po::value<int64_t>()->default_value(0), "accuracy context (0: the suite's, else the model's, at most 4096)")
      ("batch-size,b", po::value<int64_t>()->default_value(512), "tokens per forward call during prefill")
      ("kernel", po::value<std::string>()->default_value(""), "kernel variant (default: the best this CPU runs)")
      ("pre-tokenizer", po::value<std::string>()->default_value(""), "llama3 | default (unset: the file's, else llama3)")
      ("bos", po::value<std::string>()->default_value("auto"), "BOS before contexts: auto | on | off");
  po::variables_map vm;
  if (!Parse("run", "--suite paper-table|quick|kernels|FILE.json [--model NAME=PATH ...] [--data-dir DIR] [--out DIR] "
             "[--threads 1,2,4] [--limit N] [--shard I/N]", desc, nullptr, args, vm))
    return 0;

  suite::RunConfig c;
  if (vm.count("shard")) c.shard = evals::ShardSpec::Parse(vm["shard"].as<std::string>());
  c.suite = suite::ResolveSuite(vm["suite"].as<std::string>());
  if (vm.count("model")) {
    std::set<std::string> names;
    for (const auto& m : vm["model"].as<std::vector<std::string>>()) {
      c.models.push_back(ParseModel(m));
      if (!names.insert(c.models.back().name).second)
        throw UsageError(fmt::format("--model: the name '{}' is given twice", c.models.back().name));
    }
  } else {
    c.models.push_back({c.suite.default_model.name, ""});
  }
  c.out = vm["out"].as<std::string>();
  if (const std::string d = vm["data-dir"].as<std::string>(); !d.empty()) c.data_dir = d;
  if (const std::string t = vm["threads"].as<std::string>(); !t.empty()) c.threads = ParseThreadList(t);
  if (vm.count("limit")) {
    const int64_t n = vm["limit"].as<int64_t>();
    if (n <= 0) throw UsageError("--limit must be positive");
    c.limit = static_cast<size_t>(n);
  }
  c.allow_code_execution = vm["allow-code-execution"].as<bool>();
  c.fresh = vm["fresh"].as<bool>();
  if (vm["no-baselines"].as<bool>() && vm["baselines"].as<bool>())
    throw UsageError("--baselines and --no-baselines contradict each other");
  if (vm["no-baselines"].as<bool>()) c.baselines = false;
  if (vm["baselines"].as<bool>()) {
    if (!c.suite.baselines) throw UsageError(fmt::format("--baselines: suite '{}' has no baselines", c.suite.name));
    c.baselines = true;
  }
  c.keep_models = vm["keep-models"].as<bool>();
  c.n_ctx = vm["ctx-size"].as<int64_t>();
  c.n_batch = vm["batch-size"].as<int64_t>();
  if (c.n_ctx < 0) throw UsageError("--ctx-size must not be negative");
  if (c.n_batch <= 0) throw UsageError("--batch-size must be positive");
  c.kernel = vm["kernel"].as<std::string>();
  c.pre_tokenizer = vm["pre-tokenizer"].as<std::string>();
  c.bos = vm["bos"].as<std::string>();
  if (c.bos != "auto" && c.bos != "on" && c.bos != "off") throw UsageError("--bos: expected auto, on or off");
  c.command = {"bitnet-eval"};
  c.command.insert(c.command.end(), args.begin(), args.end());
  return suite::RunSuite(c);
}

}  // namespace bitnet::cli
