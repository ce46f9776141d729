#include "reports/json_path.h"

#include <cctype>

namespace bitnet::reports {

std::string JoinPath(const std::string& path, const std::string& key) {
  bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char ch : key)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-') plain = false;
  if (plain) return path.empty() ? key : path + "." + key;
  return path + "[" + nlohmann::json(key).dump() + "]";
}

const nlohmann::json* Find(const nlohmann::json& obj, std::initializer_list<std::string_view> keys) {
  const nlohmann::json* cur = &obj;
  for (std::string_view k : keys) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end() || it->is_null()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::optional<double> Num(const nlohmann::json* obj, std::string_view key) {
  if (!obj) return std::nullopt;
  return Num(*obj, key);
}

std::optional<double> Num(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string Str(const nlohmann::json& obj, std::string_view key, const std::string& fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

bool Bool(const nlohmann::json& obj, std::string_view key, bool fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

const nlohmann::json* ModelByName(const nlohmann::json& doc, const std::string& name) {
  const nlohmann::json* models = Find(doc, {"models"});
  if (!models || !models->is_array()) return nullptr;
  for (const auto& m : *models)
    if (Str(m, "name") == name) return &m;
  return nullptr;
}

}  // namespace bitnet::reports
