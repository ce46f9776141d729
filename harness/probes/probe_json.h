#pragma once
// The probes' results as the JSON blocks of a report (docs/REPORT_SCHEMA.md, runs[].efficiency):
// memory {paper_row, loaded, resident}, one latency row per thread count, energy_estimated, and
// one energy_measured entry per source tried (available or not, with the reason). Times are in
// milliseconds in the document; an unavailable figure is null, never a silent zero.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/probes/energy.h"
#include "harness/probes/energy_estimate.h"
#include "harness/probes/latency.h"
#include "harness/probes/memory.h"

namespace bitnet::probes {

nlohmann::json PaperMemoryJson(const PaperMemoryRow& row);
nlohmann::json LoadedMemoryJson(const LoadedMemory& m);
nlohmann::json ResidentMemoryJson(const ResidentMemory& m);
// {"paper_row", "loaded", "resident"}.
nlohmann::json MemoryJson(const PaperMemoryRow& row, const LoadedMemory& loaded, const ResidentMemory& resident);

// {"mean", "p50", "p90"} in milliseconds of a sample in seconds (nulls when empty).
nlohmann::json MillisecondStats(const std::vector<double>& seconds);

// {"threads", "kernel", "n_prompt", "n_gen", "repetitions", "warmup", "ttft_ms", "tpot_ms",
//  "prefill_tps", "decode_tps"}; prefill_tps = n_prompt / mean TTFT, decode_tps = 1 / mean TPOT.
nlohmann::json LatencyJson(const LatencyResult& r, int warmup);

// {"joules", "joules_per_token", "sequence_tokens", "node_nm", "linear_joules", "attention_joules",
//  "linear_params", "weights", "method"}.
nlohmann::json EnergyEstimateJson(const ArchShape& arch, const EnergyEstimate& e, ProcessNode node);

// One energy_measured entry: {"source", "available", "reason", "joules", "joules_per_token",
// "watts", "tokens", "seconds", "domains", "notes"}; figures null when not available.
nlohmann::json EnergyMeasuredJson(const EnergyPerToken& e);
// An entry for a source that was not tried because it is unavailable (the reason from Available).
nlohmann::json EnergyUnavailableJson(const std::string& source, const std::string& reason);

}  // namespace bitnet::probes
