#include <catch2/catch.hpp>

#include "reports/reports.h"
#include "tests/reports/fixtures.h"

using bitnet::reports::RenderHtml;
using bitnet::reports::RenderMarkdown;
using bitnet::test::Count;
using bitnet::test::Fixture;
using nlohmann::json;

TEST_CASE("HTML: Table 1 laid out as the paper with measured values beside", "[reports][html]") {
  const std::string h = RenderHtml(Fixture("complete.json"));
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(Count(h, "<table class=\"paper\" id=\"table1\">") == 1);
  // Tables 2 and 3 only when a model is mapped to a column of their own.
  CHECK(Count(h, "id=\"table2\"") == 0);
  CHECK(Count(h, "id=\"table3\"") == 0);
  for (const char* row : {"Memory (non-emb)", "Latency (CPU; TPOT)", "Energy (estimated)", "Training tokens",
                          "ARC-Challenge (0-shot; acc_norm)", "MT-bench (0-shot; average)", "Average"})
    CHECK(Count(h, std::string("<td class=\"label\">") + row) == 1);
  // Published figures of every column, and the measured one of the mapped column with delta and stderr.
  CHECK(Count(h, "<td class=\"num\">37.80</td>") >= 1);     // LLaMA 3.2 1B ARC-C
  CHECK(Count(h, "<td class=\"num\">49.91</td>") == 1);     // BitNet ARC-C, published
  CHECK(Count(h, "<td class=\"num meas\">48.12</td>") == 1);  // measured 0.4812 x 100
  CHECK(Count(h, "<td class=\"num neg\">-1.79</td>") == 1);  // delta, worse
  CHECK(Count(h, "±1.46") == 1);                             // stderr in points
  CHECK(Count(h, "61.4ms<br><span class=\"small\">2 threads, avx2") == 1);  // TPOT of the first thread count
  CHECK(Count(h, "0.41GB") == 1);
  CHECK(Count(h, "0.028J") >= 2);  // published and measured (estimated)
  // The average of the 16 measured rows (MT-bench 5.71 on its own scale).
  CHECK(Count(h, "mean of the 16 rows") == 1);
  // Energy is estimated: badge with a footnote; the measured energy is a separate section.
  CHECK(Count(h, "class=\"badge b-estimated\"") >= 1);
  CHECK(Count(h, "id=\"energy-measured\"") == 1);
  CHECK(Count(h, "no /sys/class/powercap/intel-rapl:0") == 1);
  // ... and a Table 1 row of its own under the estimate, never mixed with it.
  CHECK(Count(h, "<td class=\"label\">Energy (measured, J/token)") == 1);
  CHECK(Count(h, "0.2479J/token<br><span class=\"small\">perf_power") == 1);
  // Charts are inline SVG; no script, no external resource.
  CHECK(Count(h, "<svg class=\"chart\"") == 4);
  CHECK(Count(h, "Latency: time per output token") == 2);  // <title> and visible title
  CHECK(Count(h, "<script") == 0);
  CHECK(Count(h, "http://") == Count(h, "xmlns=\"http://www.w3.org/2000/svg\""));  // SVG namespaces only
  CHECK(Count(h, "https://") == 0);
  // Reproducibility: git hash, model sha256, kernel, threads, tokenizer, task versions, request hashes.
  CHECK(Count(h, "d492455") >= 1);
  CHECK(Count(h, "5e0da1a1") >= 1);
  CHECK(Count(h, "settings.tokenizer_pre") == 1);
  CHECK(Count(h, "request stream sha256 0a0a0a0a") == 1);
  CHECK(Count(h, "class=\"banner\"") == 0);
  // Microbenchmarks (suite kernels): every row, iteration and aggregate.
  CHECK(Count(h, "id=\"microbench\"") == 1);
  CHECK(Count(h, "<td class=\"\">BM_I2S_Gemv/2560/6912_median</td><td class=\"\">aggregate</td>") == 1);
  CHECK(Count(h, "<td class=\"num\">1.12e+09</td>") == 1);
}

TEST_CASE("HTML: skipped, failed, synthetic, subset and partial marks", "[reports][html]") {
  const std::string skipped = RenderHtml(Fixture("skipped.json"));
  CHECK(Count(skipped, "class=\"badge b-skipped\"") >= 2);
  CHECK(Count(skipped, "needs --allow-code-execution (runs model-written code)") >= 1);
  CHECK(Count(skipped, "class=\"badge b-failed\"") >= 1);
  CHECK(Count(skipped, "\">incomplete: average not computed: 13 of 16 benchmark rows measured</li>") == 1);
  CHECK(Count(skipped, "<ol class=\"footnotes\">") == 1);

  const std::string synthetic = RenderHtml(Fixture("synthetic.json"));
  CHECK(Count(synthetic, "has synthetic weights") == 1);
  CHECK(Count(synthetic, "class=\"badge b-synthetic\"") >= 3);
  CHECK(Count(synthetic, "class=\"badge b-subset\"") >= 3);
  CHECK(Count(synthetic, "arc_challenge not run: task arc_challenge was not part of this run") == 0);
  CHECK(Count(synthetic, "task arc_challenge was not part of this run") >= 1);

  const std::string partial = RenderHtml(Fixture("partial.json"));
  CHECK(Count(partial, "<div class=\"banner\" id=\"partial\">PARTIAL REPORT: interrupted by SIGINT at task mmlu") == 1);
  CHECK(Count(partial, "class=\"badge b-not-run\"") >= 6);
}

TEST_CASE("HTML and Markdown: notes, done-with-caveat groups, metrics without a filter", "[reports][html]") {
  json doc = Fixture("complete.json");
  doc["notes"] = {"Built-in default: <2 items per task>"};
  auto& mmlu = doc["runs"][0]["tasks"]["mmlu"];
  mmlu["reason"] = "partial group: 40 of 57 subtasks ran (17 skipped); the score covers those only";
  mmlu["notes"] = {"shots reduced to 0: no few-shot pool"};
  doc["runs"][0]["tasks"]["boolq"]["primary_metric"] = "acc";  // no filter: resolves to acc,none
  const std::string h = RenderHtml(doc);
  CHECK(Count(h, "<li>Built-in default: &lt;2 items per task&gt;</li>") == 1);
  CHECK(Count(h, "mmlu: partial group: 40 of 57 subtasks ran") >= 1);
  CHECK(Count(h, "shots reduced to 0: no few-shot pool") == 1);
  CHECK(Count(h, "<td class=\"num meas\">79.91<br><span class=\"small\">acc,none") == 0);
  CHECK(Count(h, "<td class=\"num meas\">79.91</td>") == 1);
  const std::string md = RenderMarkdown(doc);
  CHECK(Count(md, "- Built-in default: <2 items per task>") == 1);
  CHECK(Count(md, "| MMLU (5-shot; acc) | 53.17 | 52.90 | -0.27 | 0.40 | subset [") == 1);
  CHECK(Count(md, "| Average | 54.19 | 53.58 |") == 1);
  // A done task without the row's metric (MT-bench answers generated, judged elsewhere).
  json judged = Fixture("complete.json");
  judged["runs"][0]["tasks"]["mt_bench"]["results"] = json::object();
  judged["runs"][0]["tasks"]["mt_bench"]["reason"] = "judging is external (GPT-4)";
  CHECK(Count(RenderMarkdown(judged), "not run: mt_bench has no mt_bench_score,none in its results: judging is external") == 1);
  CHECK(Count(md, "subset: average over rows of which 1 were evaluated on a subset") == 1);
}

TEST_CASE("HTML: two models mapped to two Table 1 columns each get measured/delta/stderr/marks", "[reports][html]") {
  json doc = Fixture("complete.json");
  json q = doc["models"][0];
  q["name"] = "qwen";
  q["paper_column"] = "Qwen2.5 1.5B";
  q["sha256"] = std::string(64, 'c');
  doc["models"].push_back(q);
  json run = doc["runs"][0];
  run["model"] = "qwen";
  run["tasks"]["arc_challenge"]["results"]["acc_norm,none"] = 0.4667;
  doc["runs"].push_back(run);
  const std::string h = RenderHtml(doc);
  CHECK(Count(h, "<th colspan=\"5\">Qwen2.5 1.5B</th>") == 1);
  CHECK(Count(h, "<th colspan=\"5\">BitNet b1.58 2B</th>") == 1);
  CHECK(Count(h, "<th rowspan=\"2\">LLaMA 3.2 1B</th>") == 1);
  CHECK(Count(h, "<td class=\"num \">+0.00</td>") == 1);  // qwen ARC-C 46.67 vs published 46.67
  CHECK(Count(h, "id=\"table2\"") == 0);                   // Table 2 adds no column of its own here
}

TEST_CASE("HTML: Table 2 appears when a model is mapped to one of its own columns", "[reports][html]") {
  json doc = Fixture("complete.json");
  json q = doc["models"][0];
  q["name"] = "qwen-gptq";
  q["paper_column"] = "Qwen2.5 1.5B GPTQ-int4";
  doc["models"].push_back(q);
  json run = doc["runs"][0];
  run["model"] = "qwen-gptq";
  doc["runs"].push_back(run);
  const std::string h = RenderHtml(doc);
  CHECK(Count(h, "id=\"table2\"") == 1);
  CHECK(Count(h, "id=\"table3\"") == 0);
}

TEST_CASE("HTML: strings from the document are escaped", "[reports][html]") {
  json doc = Fixture("skipped.json");
  const std::string evil = "</table><script>alert(1)</script><img src=x onerror=alert(2)>";
  doc["models"][0]["path"] = evil;
  doc["environment"]["cpu_model"] = evil;
  doc["runs"][0]["tasks"]["mt_bench"]["reason"] = evil;
  doc["runs"][0]["settings"]["kernel"] = evil;
  doc["runs"][0]["tasks"][evil] = doc["runs"][0]["tasks"]["boolq"];
  doc["suite"] = "\"'><b>";
  const std::string h = RenderHtml(doc);
  CHECK(Count(h, "<script") == 0);
  CHECK(Count(h, "<img") == 0);
  CHECK(Count(h, "</table>") == Count(h, "<table"));
  CHECK(Count(h, "&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt;") >= 5);
  CHECK(Count(h, "&quot;&#39;&gt;&lt;b&gt;") >= 2);
}

TEST_CASE("Markdown: Table 1 rows, measured vs published, marks", "[reports][markdown]") {
  const std::string md = RenderMarkdown(Fixture("skipped.json"));
  CHECK(Count(md, "| ARC-Challenge (0-shot; acc_norm) | 49.91 | 48.12 | -1.79 | 1.46 |") == 1);
  CHECK(Count(md, "| Latency (CPU; TPOT) | 29ms | 61.4ms | +32.4ms |") == 1);
  CHECK(Count(md, "| Energy (estimated) | 0.028J | 0.028J | -0.0004J |  | estimated [") == 1);
  CHECK(Count(md, "| HumanEval+ (0-shot; pass@1) | 38.40 | — |  |  | skipped [") == 1);
  CHECK(Count(md, "skipped: humaneval_plus skipped: needs --allow-code-execution") == 1);
  CHECK(Count(md, "failed: math500 failed: dataset file math500/test.jsonl: line 17") == 1);
  CHECK(Count(md, "energy (measured, rapl): unavailable: no /sys/class/powercap/intel-rapl:0") == 1);
  CHECK(Count(md, "energy (estimated, not measured)") == 1);
  CHECK(Count(md, "**PARTIAL REPORT**") == 0);
  CHECK(Count(RenderMarkdown(Fixture("partial.json")), "**PARTIAL REPORT**: interrupted by SIGINT at task mmlu") == 1);
  // Tasks outside the paper's rows are listed; subtasks of a group only counted.
  json extra = Fixture("complete.json");
  extra["runs"][0]["tasks"]["lambada_openai"] = extra["runs"][0]["tasks"]["boolq"];
  extra["runs"][0]["tasks"]["mmlu_anatomy"] = extra["runs"][0]["tasks"]["mmlu"];
  extra["runs"][0]["tasks"]["mmlu_virology"] = extra["runs"][0]["tasks"]["mmlu"];
  extra["runs"][0]["lm_eval"]["group_subtasks"] = {{"mmlu", {"mmlu_anatomy", "mmlu_virology"}}};
  const std::string other = RenderMarkdown(extra);
  CHECK(Count(other, "| bitnet | lambada_openai | done | acc,none | 0.7991 | 0.0070 |") == 1);
  CHECK(Count(other, "| bitnet | boolq |") == 0);  // a Table 1 row already
  CHECK(Count(other, "mmlu_anatomy") == 0);
  CHECK(Count(other, "| bitnet | (2 subtasks of groups) |") == 1);
  // A '|' from the document cannot break the table.
  json doc = Fixture("complete.json");
  doc["runs"][0]["tasks"]["boolq"]["status"] = "skipped";
  doc["runs"][0]["tasks"]["boolq"]["reason"] = "a | b\nc";
  doc["models"][0]["paper_column"] = nullptr;  // not mapped: every task is listed
  CHECK(Count(RenderMarkdown(doc), "a \\| b c") >= 1);
}

TEST_CASE("a report written by `bitnet-eval --suite quick` renders", "[reports][html]") {
  // suite_quick.json: the report.json of the quick suite (tiny synthetic model), as the harness
  // writes it (configs removed to keep the fixture small).
  const json doc = Fixture("suite_quick.json");
  const std::string h = RenderHtml(doc);
  CHECK(Count(h, "Model tiny has synthetic weights") == 1);
  CHECK(Count(h, "<svg class=\"chart\"") == 3);
  CHECK(Count(h, "id=\"energy-measured\"") == 1);
  CHECK(Count(h, "partial group: 2 of 57 subtasks ran") >= 1);
  const std::string md = RenderMarkdown(doc);
  CHECK(Count(md, "| tiny | mmlu | done (partial group: 2 of 57 subtasks ran") == 1);
  CHECK(Count(md, "kernel avx512, 1,2 threads") == 1);
}

TEST_CASE("HTML/Markdown: Table 1 baseline columns: bounded latency, a skipped column's reason", "[reports][html]") {
  json doc = Fixture("complete.json");
  json measured = doc["models"][0], skipped = doc["models"][0];
  measured["name"] = "llama3.2-1b";
  measured["paper_column"] = "LLaMA 3.2 1B";
  measured["synthetic"] = true;
  measured.erase("sha256");
  measured["synthetic_recipe"] = {{"shape", "llama3.2-1b"}, {"type", "bf16"}, {"seed", 1}, {"writer", "make-model"}};
  skipped = {{"name", "minicpm-2b"}, {"paper_column", "MiniCPM 2B"}, {"synthetic", true}};
  doc["models"].push_back(measured);
  doc["models"].push_back(skipped);
  json run = doc["runs"][0];
  run["model"] = "llama3.2-1b";
  run["efficiency"]["latency"][0]["n_gen"] = 16;
  run["efficiency"]["latency"][0]["n_prompt"] = 8;
  run["efficiency"]["latency"][0]["repetitions"] = 1;
  run["efficiency"]["latency"][0]["warmup"] = 1;
  run["efficiency"]["latency"][0]["tpot_ms"]["mean"] = 212.5;
  for (auto& [name, t] : run["tasks"].items()) t = {{"status", "not_run"}, {"reason", "efficiency rows only"}, {"results", json::object()}};
  doc["runs"].push_back(run);
  doc["runs"].push_back({{"model", "minicpm-2b"}, {"settings", {{"threads", 2}}}, {"efficiency", json::object()},
                         {"efficiency_skipped", "not measured: needs 5.5 GB free on /x (1.0 GB free)"},
                         {"tasks", json::object()}});
  doc["baselines"] = {{"enabled", true}, {"columns", json::array({{{"name", "minicpm-2b"}, {"status", "skipped"}}})}};
  REQUIRE_NOTHROW(bitnet::reports::ValidateReport(doc, "r.json"));
  const std::string h = RenderHtml(doc);
  CHECK(Count(h, "<th colspan=\"5\">LLaMA 3.2 1B</th>") == 1);
  CHECK(Count(h, "<th colspan=\"5\">MiniCPM 2B</th>") == 1);
  CHECK(Count(h, "212.5ms") >= 1);
  CHECK(Count(h, "class=\"badge b-bounded\"") == 2);  // the legend and the LLaMA latency cell only
  CHECK(Count(h, "timed over 16 generated tokens after a 8-token prompt, 1 repetition(s)") >= 1);
  CHECK(Count(h, "minicpm-2b: not measured: needs 5.5 GB free on /x (1.0 GB free)") >= 1);
  CHECK(Count(h, "make-model --shape llama3.2-1b --type bf16 --seed 1") >= 1);
  CHECK(Count(h, "Models llama3.2-1b and minicpm-2b have synthetic weights") == 1);  // one banner
  // One footnote for the 16 task rows of the baseline: the reason, not the task.
  const std::string md = RenderMarkdown(doc);
  CHECK(Count(md, "not run: efficiency rows only") == 1);
  CHECK(Count(md, "- minicpm-2b: efficiency probes skipped: not measured: needs 5.5 GB") == 1);
  CHECK(Count(md, "llama3.2-1b: make-model --shape llama3.2-1b --type bf16 --seed 1") == 1);

  json bad = doc;
  bad["baselines"]["columns"][0]["status"] = 3;
  CHECK_THROWS_WITH(bitnet::reports::ValidateReport(bad, "r.json"),
                    Catch::Contains("baselines.columns[0].status"));
  bad = doc;
  bad["runs"][2]["efficiency_skipped"] = json::array();
  CHECK_THROWS_WITH(bitnet::reports::ValidateReport(bad, "r.json"), Catch::Contains("runs[2].efficiency_skipped"));
}
