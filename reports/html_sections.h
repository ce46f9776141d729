#pragma once
// The sections of the HTML report (html_report.cc assembles them into the page). Each returns an
// HTML fragment with every document string escaped.
#include <nlohmann/json.hpp>

#include <string>

#include "reports/html_util.h"

namespace bitnet::reports {

// Table 1 (and 2, 3 when run) with published figures beside the measured ones.
std::string PaperTablesHtml(const nlohmann::json& doc, Footnotes& notes);

// Latency (TPOT per thread count), memory (paper row / loaded / resident) and energy charts.
std::string ChartsHtml(const nlohmann::json& doc);

// Measured energy sources, each with its availability and reason; separate from the estimate.
std::string EnergyMeasuredHtml(const nlohmann::json& doc);

// Latency sweep and llama-bench-like rows as tables.
std::string ThroughputHtml(const nlohmann::json& doc);

// Every task of every run with status, metric, stderr, version and request hash.
std::string TasksHtml(const nlohmann::json& doc, Footnotes& notes);

// The environment block and reproducibility info (git hash, model sha256, kernel, threads,
// tokenizer, task versions, request hashes, logits fingerprint).
std::string EnvironmentHtml(const nlohmann::json& doc);

// The side-by-side page of a merged document.
std::string MergedHtml(const nlohmann::json& merged);

}  // namespace bitnet::reports
