#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "reports/reports.h"
#include "tests/reports/fixtures.h"

using namespace bitnet::reports;
using bitnet::test::Count;
using bitnet::test::Fixture;
using nlohmann::json;

namespace {

const json* Row(const json& merged, const std::string& key) {
  for (const auto& r : merged["rows"])
    if (r["key"] == key) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("merge: a column per (machine, model), rows side by side", "[reports][merge]") {
  json a = Fixture("complete.json");
  json b = Fixture("complete.json");
  b["environment"]["cpu_model"] = "Intel(R) Core(TM) i7-13800H";
  b["environment"]["cores"] = 14;
  b["runs"][0]["efficiency"]["latency"][0]["tpot_ms"]["mean"] = 29.5;
  b["runs"][0]["efficiency"]["latency"].erase(1);
  const json m = Merge({a, b, Fixture("synthetic.json")}, {"epyc.json", "i7.json", "synthetic.json"});
  CHECK_NOTHROW(ValidateMerged(m, "merged"));
  REQUIRE(m["columns"].size() == 3);
  CHECK(m["columns"][0]["label"] == "AMD EPYC 7V13 64-Core Processor (2 cores) · bitnet");
  CHECK(m["columns"][1]["label"] == "Intel(R) Core(TM) i7-13800H (14 cores) · bitnet");
  CHECK(m["columns"][2]["synthetic"] == true);
  const json* tpot = Row(m, "latency.2.tpot_ms");
  REQUIRE(tpot);
  CHECK((*tpot)["values"][0] == 61.4);
  CHECK((*tpot)["values"][1] == 29.5);
  const json* one = Row(m, "latency.1.tpot_ms");
  REQUIRE(one);
  CHECK((*one)["values"][1].is_null());  // not measured on that machine
  const json* arc = Row(m, "task.arc_easy.acc_norm,none");
  REQUIRE(arc);
  CHECK((*arc)["values"][0].get<double>() == Approx(73.55));
  CHECK((*arc)["values"][2].get<double>() == Approx(25.0));
  CHECK(Row(m, "energy.estimated"));
  CHECK(Row(m, "energy.measured.perf_power"));
  CHECK(Row(m, "memory.resident"));
  const json* micro = Row(m, "microbench.BM_I2S_Gemv/2560/6912 items/s");
  REQUIRE(micro);
  CHECK((*micro)["values"][0] == 1.12e9);
  CHECK(m["sources"][1]["name"] == "i7.json");

  const std::string h = RenderHtml(m);
  CHECK(Count(h, "<table id=\"merged\">") == 1);
  CHECK(Count(h, "Intel(R) Core(TM) i7-13800H (14 cores) · bitnet") >= 1);
  CHECK(Count(h, "<td class=\"num\"><b>29.50</b></td>") == 1);  // best TPOT in bold
  CHECK(Count(h, "<b>61.40</b>") == 0);                            // a tie has no best
  CHECK(Count(h, "25.00 <span class=\"badge b-synthetic\"") >= 3);  // synthetic accuracy marked
  CHECK(Count(h, "<svg class=\"chart\"") >= 2);
  CHECK(Count(h, "<script") == 0);
  const std::string md = RenderMarkdown(m);
  CHECK(Count(md, "| TPOT mean, 2 threads | ms | 61.40 | 29.50 | 61.40 |") == 1);
}

TEST_CASE("merge: the same machine and model twice get distinct labels", "[reports][merge]") {
  const json a = Fixture("complete.json");
  const json m = Merge({a, a}, {"run1.json", "run2.json"});
  CHECK(m["columns"][0]["label"] != m["columns"][1]["label"]);
  CHECK_THAT(m["columns"][1]["label"].get<std::string>(), Catch::EndsWith("(run2.json)"));
}

TEST_CASE("merge: invalid input names its source", "[reports][merge]") {
  CHECK_THROWS_WITH(Merge({Fixture("complete.json"), Fixture("malformed.json")}, {"a.json", "bad.json"}),
                    "bad.json: runs[0].tasks.arc_easy.results: expected an object");
}

TEST_CASE("WriteFileAtomic: whole file or nothing, no temporary left", "[reports][atomic]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(BITNET_BUILD_DIR) / "reports-atomic-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "report.json").string();
  WriteFileAtomic(path, "first");
  WriteFileAtomic(path, std::string(1 << 20, 'x'));
  CHECK(fs::file_size(path) == (1u << 20));
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.is_regular_file();
  CHECK(entries == 1);
  // A folder that does not exist: an error naming the path; the old file is untouched.
  CHECK_THROWS_WITH(WriteFileAtomic((dir / "missing" / "r.json").string(), "x"), Catch::Contains("missing"));
  // An unwritable folder (skipped as root, which may write anywhere).
  if (::geteuid() != 0) {
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THROWS(WriteFileAtomic(path, "second"));
    fs::permissions(dir, fs::perms::owner_all);
    std::ifstream f(path);
    CHECK(f.get() == 'x');
  }
  // Renaming over a directory fails and leaves no temporary behind.
  fs::create_directories(dir / "adir");
  CHECK_THROWS_WITH(WriteFileAtomic((dir / "adir").string(), "x"), Catch::Contains("rename failed"));
  entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.is_regular_file();
  CHECK(entries == 1);
}
