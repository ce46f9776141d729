// Intel PCM: finding the binary, parsing its CSV, and a run against a stand-in `pcm` script.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/probes/energy_pcm.h"
#include "tests/test_support.h"

namespace bitnet::probes {
namespace {
namespace fs = std::filesystem;

void Put(const fs::path& p, const std::string& text, bool executable = false) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
  if (executable) ::chmod(p.c_str(), 0755);
}

const EnergyDomain* Find(const EnergyReading& r, const std::string& name) {
  for (const auto& d : r.domains)
    if (d.name == name) return &d;
  return nullptr;
}

// pcm's layout with the energy metric as a group over per-socket columns (';'-separated).
const char* kGroupedCsv =
    "System;;;Proc Energy (Joules);;DRAM Energy (Joules);\n"
    "Date;Time;IPC;SKT0;SKT1;SKT0;SKT1\n"
    "2025-01-01;10:00:00.100;1.2;1.50;2.00;0.25;0.30\n"
    "2025-01-01;10:00:00.200;1.1;1.25;N/A;0.25;0.30\n";

// The layout with group rows per socket and a system total (','-separated).
const char* kSocketCsv =
    "System,,,System Pack C-States,,Socket 0,,Socket 1,\n"
    "Date,Time,IPC,Proc Energy (Joules),DRAM Energy (Joules),Proc Energy (Joules),DRAM Energy (Joules),"
    "Proc Energy (Joules),DRAM Energy (Joules)\n"
    "2025-01-01,10:00:00,1.0,3.0,0.5,1.0,0.2,2.0,0.3\n"
    "2025-01-01,10:00:01,1.0,6.0,1.0,2.0,0.4,4.0,0.6\n";

TEST_CASE("pcm: CSV with per-socket columns under an energy group") {
  const EnergyReading r = ParsePcmCsv(kGroupedCsv);
  REQUIRE(r.ok);
  REQUIRE(r.domains.size() == 4);
  CHECK(Find(r, "SKT0 Proc Energy")->joules == Approx(2.75));
  CHECK(Find(r, "SKT1 Proc Energy")->joules == Approx(2.0));  // N/A skipped
  CHECK(Find(r, "SKT0 DRAM Energy")->kind == "dram");
  CHECK(r.PackageJoules() == Approx(4.75));
  CHECK(r.KindJoules("dram") == Approx(1.1));
}

TEST_CASE("pcm: CSV with socket groups and a system total counts the sockets once") {
  const EnergyReading r = ParsePcmCsv(kSocketCsv);
  REQUIRE(r.ok);
  CHECK(r.domains.size() == 4);  // the System Pack C-States totals are dropped
  CHECK(Find(r, "Socket 0 Proc Energy")->joules == Approx(3.0));
  CHECK(Find(r, "Socket 1 DRAM Energy")->joules == Approx(0.9));
  CHECK(r.PackageJoules() == Approx(9.0));
}

TEST_CASE("pcm: CSVs without energy or samples are errors with the reason") {
  CHECK(ParsePcmCsv("").error.find("header") != std::string::npos);
  CHECK(ParsePcmCsv("System;;\nDate;Time;IPC\n1;2;3\n").error.find("no 'Energy (Joules)' column") !=
        std::string::npos);
  const EnergyReading header_only = ParsePcmCsv("System;Proc Energy (Joules)\nDate;SKT0\n");
  CHECK_FALSE(header_only.ok);
  CHECK(header_only.error.find("no sample row") != std::string::npos);
}

TEST_CASE("pcm: binary search on PATH and extra dirs") {
  const fs::path dir = test::TempDir("pcm_find");
  Put(dir / "bin" / "pcm", "#!/bin/sh\n", true);
  Put(dir / "noexec" / "pcm", "", false);
  PcmOptions o;
  o.path_env = (dir / "noexec").string() + ":" + (dir / "bin").string();
  o.extra_dirs = {};
  CHECK(FindPcmBinary(o) == (dir / "bin" / "pcm").string());
  o.path_env = (dir / "noexec").string();
  CHECK(FindPcmBinary(o).empty());
  o.extra_dirs = {(dir / "bin").string()};
  CHECK(FindPcmBinary(o) == (dir / "bin" / "pcm").string());
  o.binary = (dir / "bin" / "pcm").string();
  CHECK(FindPcmBinary(o) == o.binary);

  PcmOptions missing;
  missing.binary = "pcm-not-installed-anywhere";
  std::string reason;
  CHECK_FALSE(PcmEnergySource(missing).Available(&reason));
  CHECK(reason.find("no 'pcm-not-installed-anywhere' binary") != std::string::npos);
  PcmEnergySource src(missing);
  src.Start();
  const EnergyReading r = src.Stop();
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("binary") != std::string::npos);
}

TEST_CASE("pcm: a run against a stand-in pcm that writes a recorded CSV") {
  const fs::path dir = test::TempDir("pcm_run");
  const fs::path csv = dir / "recorded.csv";
  Put(csv, kGroupedCsv);
  Put(dir / "bin" / "pcm",
      "#!/bin/sh\n"
      "for a in \"$@\"; do case \"$a\" in -csv=*) out=\"${a#-csv=}\";; esac; done\n"
      "trap 'exit 0' INT TERM\n"
      "cp '" + csv.string() + "' \"$out\"\n"
      "while :; do sleep 0.02; done\n",
      true);
  PcmOptions o;
  o.binary = (dir / "bin" / "pcm").string();
  o.require_root = false;
  o.msr_device = "";
  o.csv_path = (dir / "out.csv").string();
  PcmEnergySource src(o);
  std::string reason;
  REQUIRE(src.Available(&reason));
  src.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const EnergyReading r = src.Stop();
  INFO(r.error);
  REQUIRE(r.ok);
  CHECK(r.PackageJoules() == Approx(4.75));
  CHECK(r.seconds > 0.04);

  o.msr_device = (dir / "no-msr").string();
  CHECK_FALSE(PcmEnergySource(o).Available(&reason));
  CHECK(reason.find("modprobe msr") != std::string::npos);
}

TEST_CASE("pcm: this host answers available or says why") {
  PcmEnergySource src;
  std::string reason;
  const bool ok = src.Available(&reason);
  CHECK((ok || !reason.empty()));
  WARN("pcm on this host: " << (ok ? "available (" + src.binary() + ")" : reason));
}

}  // namespace
}  // namespace bitnet::probes
