#include "datasets/loaders/manifest.h"

#include <fmt/format.h>

#include "common/error.h"
#include "datasets/loaders/labels.h"
#include "datasets/loaders/text.h"

namespace bitnet::datasets {
namespace {

using nlohmann::json;

CsvOptions ReadCsvOptions(const json& j, CsvOptions base) {
  if (!j.is_object()) return base;
  base.header = j.value("header", base.header);
  if (j.contains("columns")) base.columns = j.at("columns").get<std::vector<std::string>>();
  return base;
}

std::string OptString(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string();
}

}  // namespace

std::vector<ManifestFile> LoadManifestFiles(const std::string& manifest_path) {
  json doc;
  try {
    doc = json::parse(ReadFileText(manifest_path));
  } catch (const json::parse_error& e) {
    throw InputError(manifest_path, fmt::format("byte {}", e.byte), e.what());
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    throw InputError(manifest_path, "JSON", e.what());
  }
  if (!doc.contains("datasets") || !doc["datasets"].is_object())
    throw InputError(manifest_path, "top level", "no \"datasets\" object");
  std::vector<ManifestFile> out;
  for (const auto& [name, ds] : doc["datasets"].items()) {
    try {
      const CsvOptions ds_csv = ReadCsvOptions(ds.value("csv", json()), CsvOptions{});
      for (const auto& f : ds.at("files")) {
        ManifestFile m;
        m.dataset = name;
        m.path = f.at("path").get<std::string>();
        m.url = OptString(f, "url");
        m.sha256 = OptString(f, "sha256");
        if (f.contains("records") && f.at("records").is_number_integer())
          m.records = f.at("records").get<int64_t>();
        m.kind = f.value("kind", std::string("records"));
        m.csv = ReadCsvOptions(f.value("csv", json()), ds_csv);
        m.in_shared = f.value("in_shared", ds.value("in_shared", false));
        out.push_back(std::move(m));
      }
    } catch (const json::exception& e) {
      throw InputError(manifest_path, "dataset " + name, e.what());
    }
  }
  return out;
}

size_t CountRecords(const ManifestFile& f, const DataDir& dir) {
  const std::string path = dir.Find(f.path).string();
  if (f.kind == "labels") return ReadLabels(path).size();
  if (f.kind != "records")
    throw InputError(path, "manifest", fmt::format("unknown file kind '{}'", f.kind));
  return LoadRecords(path, f.csv).size();
}

}  // namespace bitnet::datasets
