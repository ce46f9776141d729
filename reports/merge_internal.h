#pragma once
// Shared by merge.cc and merge_render.cc (not part of the public API).
#include <nlohmann/json.hpp>

#include <string>

namespace bitnet::reports {

// "AMD EPYC 7V13 64-Core Processor (2 cores) · bitnet".
std::string ColumnLabel(const nlohmann::json& doc, const nlohmann::json& run);

// The merged rows as a Markdown table (printed by `bitnet-eval merge`).
std::string MergedMarkdown(const nlohmann::json& merged);

}  // namespace bitnet::reports
