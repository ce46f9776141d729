#include "harness/cli/commands.h"

namespace bitnet::cli {

int RunMergeShards(const Args& args);  // cmd_merge_shards.cc

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"inspect", "show a model file's metadata, tensors, types, sizes and parameter counts", RunInspect},
      {"tokenize", "print the token ids of a text", RunTokenize},
      {"logits", "write raw float32 logits for a token sequence", RunLogits},
      {"generate", "generate text from a prompt", RunGenerate},
      {"make-model", "write a synthetic model (2B4T, the Table 1 baselines, Bonsai 8B, test sizes) as GGUF", RunMakeModel},
      {"bench", "prefill and decode tokens/s, printed like llama-bench", RunBench},
      {"compare-quants", "one architecture in several weight types: size, bits/weight, speed, KL vs the first", RunCompareQuants},
      {"kl-divergence", "KL divergence, top-1 agreement and perplexity of a quantized model vs its reference", RunKlDivergence},
      {"eval", "evaluate tasks (--tasks arc_easy,gsm8k ...): results.json, per-sample logs, table", RunEval},
      {"merge-shards", "combine the outputs of `eval --shard I/N` or `run --suite S --shard I/N` into one run (merge-shards DIR... --out DIR)",
       RunMergeShards},
      {"run", "run a suite (--suite NAME); also `bitnet-eval --suite NAME`", RunSuite},
      {"report", "re-render a saved report.json as HTML (--html OUT) or Markdown", RunReport},
      {"compare", "compare two reports: table of differences, exit 1 on a regression (CI gate)", RunCompare},
      {"merge", "merge reports into one with a column per (machine, model) (--html, --json)", RunMerge},
  };
  return commands;
}

}  // namespace bitnet::cli
