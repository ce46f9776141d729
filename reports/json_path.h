#pragma once
// Small helpers for reading validated report documents: JSON paths for error messages, and
// lookups that return nothing (instead of throwing) when a key is absent or of another type.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace bitnet::reports {

// "runs[0].tasks" + "arc_easy" -> "runs[0].tasks.arc_easy"; a key that is not a plain identifier
// is quoted: runs[0].tasks["a b"].
std::string JoinPath(const std::string& path, const std::string& key);

// obj[k1][k2]... or nullptr when any step is missing, null or not an object.
const nlohmann::json* Find(const nlohmann::json& obj, std::initializer_list<std::string_view> keys);

// The number at obj[key] (nullopt unless it is a number).
std::optional<double> Num(const nlohmann::json* obj, std::string_view key);
std::optional<double> Num(const nlohmann::json& obj, std::string_view key);

// The string at obj[key], or `fallback` unless it is a string.
std::string Str(const nlohmann::json& obj, std::string_view key, const std::string& fallback = "");

// The boolean at obj[key], or `fallback` unless it is a boolean.
bool Bool(const nlohmann::json& obj, std::string_view key, bool fallback = false);

// The model entry of models[] named `name` (nullptr if none).
const nlohmann::json* ModelByName(const nlohmann::json& doc, const std::string& name);

}  // namespace bitnet::reports
