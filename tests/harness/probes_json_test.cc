// The probes' results as report JSON (harness/probes/probe_json.h): units, nulls for what was not
// measured, reasons for unavailable sources.
#include <catch2/catch.hpp>

#include "harness/probes/probe_json.h"

namespace bitnet::probes {
namespace {

TEST_CASE("probe json: latency in milliseconds with percentiles") {
  LatencyResult r;
  r.n_threads = 2;
  r.kernel = "avx2";
  r.n_prompt = 128;
  r.n_gen = 4;
  r.ttft_seconds = {0.5, 1.5};
  r.ttft_mean = 1.0;
  r.token_seconds = {0.010, 0.020, 0.030, 0.040};
  r.tpot_mean = 0.025;
  const auto j = LatencyJson(r, 1);
  CHECK(j["threads"] == 2);
  CHECK(j["kernel"] == "avx2");
  CHECK(j["repetitions"] == 2);
  CHECK(j["warmup"] == 1);
  CHECK(j["ttft_ms"]["mean"].get<double>() == Approx(1000.0));
  CHECK(j["ttft_ms"]["p50"].get<double>() == Approx(1000.0));
  CHECK(j["tpot_ms"]["mean"].get<double>() == Approx(25.0));
  CHECK(j["tpot_ms"]["p50"].get<double>() == Approx(25.0));
  CHECK(j["tpot_ms"]["p90"].get<double>() == Approx(37.0));
  CHECK(j["prefill_tps"].get<double>() == Approx(128.0));
  CHECK(j["decode_tps"].get<double>() == Approx(40.0));

  const auto empty = LatencyJson(LatencyResult{}, 0);
  CHECK(empty["tpot_ms"]["mean"].is_null());
  CHECK(empty["prefill_tps"].is_null());
  CHECK(empty["decode_tps"].is_null());
}

TEST_CASE("probe json: memory rows as the paper prints them") {
  const auto j = MemoryJson(PaperMemory(2084044800, WeightKind::kTernary), LoadedMemory{1, 2, 0, 3, 4, 4096, 10},
                            ParseProcStatus("VmHWM:\t 2048 kB\nVmRSS:\t 1024 kB\n"));
  CHECK(j["paper_row"]["printed"] == "0.4GB");
  CHECK(j["paper_row"]["bits_per_weight"].get<double>() == Approx(1.58496).epsilon(1e-4));
  CHECK(j["loaded"]["weight_bytes"] == 6);
  CHECK(j["loaded"]["total_bytes"] == 10);
  CHECK(j["loaded"]["kv_ctx"] == 4096);
  CHECK(j["resident"]["ok"] == true);
  CHECK(j["resident"]["peak_bytes"] == 2048 * 1024);
  CHECK(j["resident"]["error"].is_null());
  const auto bad = ResidentMemoryJson(ParseProcStatus("nothing here"));
  CHECK(bad["ok"] == false);
  CHECK(bad["peak_bytes"].is_null());
  CHECK_FALSE(bad["error"].get<std::string>().empty());
}

TEST_CASE("probe json: the energy estimate reproduces Table 1's BitNet figure") {
  const ArchShape bitnet = Table1Models().back();
  const auto j = EnergyEstimateJson(bitnet, EstimateEnergy(bitnet), ProcessNode::k7nm);
  CHECK(j["joules"].get<double>() == Approx(0.028).margin(0.0005));
  CHECK(j["sequence_tokens"] == 512);
  CHECK(j["node_nm"] == 7);
  CHECK(j["weights"] == "ternary");
  CHECK(j["linear_params"] == 2084044800);
}

TEST_CASE("probe json: measured energy, available or not, never a silent zero") {
  const auto off = EnergyUnavailableJson("rapl", "no /sys/class/powercap");
  CHECK(off["source"] == "rapl");
  CHECK(off["available"] == false);
  CHECK(off["reason"] == "no /sys/class/powercap");
  for (const char* k : {"joules", "joules_per_token", "watts", "tokens", "seconds"}) CHECK(off[k].is_null());

  EnergyPerToken e;
  e.source = "perf";
  e.available = true;
  e.tokens = 100;
  e.reading.ok = true;
  e.reading.seconds = 2.0;
  e.reading.domains = {{"energy-pkg", "package", 10.0}, {"energy-ram", "dram", 1.0}};
  e.reading.notes = {"counter wrapped once"};
  e.joules = 10.0;
  e.joules_per_token = 0.1;
  e.watts = 5.0;
  const auto on = EnergyMeasuredJson(e);
  CHECK(on["available"] == true);
  CHECK(on["reason"].is_null());
  CHECK(on["joules"].get<double>() == 10.0);
  CHECK(on["joules_per_token"].get<double>() == Approx(0.1));
  CHECK(on["watts"].get<double>() == 5.0);
  CHECK(on["tokens"] == 100);
  CHECK(on["domains"].size() == 2);
  CHECK(on["domains"][1]["kind"] == "dram");
  CHECK(on["notes"][0] == "counter wrapped once");

  e.available = false;  // the reading failed after Start: the reason, no figures
  e.reason = "rapl: energy_uj unreadable";
  const auto failed = EnergyMeasuredJson(e);
  CHECK(failed["joules"].is_null());
  CHECK(failed["reason"] == "rapl: energy_uj unreadable");
}

}  // namespace
}  // namespace bitnet::probes
