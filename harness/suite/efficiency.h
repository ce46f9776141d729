#pragma once
// The efficiency rows of a suite run, one function per unit of the resume state; each returns the
// JSON block of runs[].efficiency (docs/REPORT_SCHEMA.md) built by harness/probes/probe_json.h.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/model/model.h"
#include "engine/runtime/session.h"
#include "harness/suite/suite_definition.h"

namespace bitnet::suite {

// sha256 of the little-endian f32 logits of every row of a fixed prompt (a fixed English text,
// tokenized with the model's tokenizer and BOS, repeated up to prompt_tokens tokens).
nlohmann::json RunLogitsFingerprint(const std::shared_ptr<const Model>& model, const SessionOptions& base,
                                    const FingerprintSpec& spec);

// One latency row (TTFT, TPOT mean/p50/p90) at `threads` (0: all hardware threads).
nlohmann::json RunLatencyRow(const std::shared_ptr<const Model>& model, const SessionOptions& base, int threads,
                             const LatencySpec& spec);

// Every energy source of the host (rapl, perf, pcm): the available ones measure a greedy
// generation of n_gen tokens after an n_prompt prompt; the others are listed with the reason.
nlohmann::json RunEnergyMeasured(const std::shared_ptr<const Model>& model, const SessionOptions& base,
                                 const EnergyMeasuredSpec& spec);

nlohmann::json RunEnergyEstimated(const Model& model, const EnergyEstimatedSpec& spec);

// Paper row, loaded bytes (KV cache at kv_ctx, capped at the model's context), resident memory
// of this process now (peak since start or since ResetPeakResident).
nlohmann::json RunMemory(const Model& model, const MemorySpec& spec);

// llama-bench-like pp/tg rows (harness/bench.h).
nlohmann::json RunBenchRows(const std::shared_ptr<const Model>& model, const SessionOptions& base, const BenchSpec& spec);

// Resets the kernel's peak-resident counter (VmHWM) to the current RSS (/proc/self/clear_refs
// "5"), so the memory row does not count what was freed before the model was loaded (writing the
// synthetic model). Returns false when the kernel refuses.
bool ResetPeakResident();

}  // namespace bitnet::suite
