// The perf_event power PMU on fake sysfs trees and recorded counter sequences.
#include <catch2/catch.hpp>

#include <cerrno>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "harness/probes/energy_perf.h"
#include "tests/test_support.h"

namespace bitnet::probes {
namespace {
namespace fs = std::filesystem;

void Put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

constexpr double kIntelScale = 2.3283064365386962890625e-10;  // 2^-32 J

fs::path PowerPmu(const std::string& tag, const std::string& cpumask = "0\n") {
  const fs::path root = test::TempDir(tag);
  const fs::path p = root / "power";
  Put(p / "type", "23\n");
  Put(p / "cpumask", cpumask);
  Put(p / "format" / "event", "config:0-7\n");
  Put(p / "events" / "energy-pkg", "event=0x02\n");
  Put(p / "events" / "energy-pkg.scale", "2.3283064365386962890625e-10\n");
  Put(p / "events" / "energy-pkg.unit", "Joules\n");
  Put(p / "events" / "energy-cores", "event=0x01\n");
  Put(p / "events" / "energy-cores.scale", "2.3283064365386962890625e-10\n");
  Put(p / "events" / "energy-cores.unit", "Joules\n");
  Put(root / "cpu" / "type", "4\n");  // another PMU, ignored
  return root;
}

// Recorded counter sequences per (config, cpu): each Read pops the next value.
class RecordedIo : public PerfCounterIo {
 public:
  std::map<std::pair<uint64_t, int>, std::deque<uint64_t>> seq;
  int open_errno = 0;
  int opened = 0, closed = 0;
  std::vector<std::pair<uint64_t, int>> handles;
  uint32_t last_type = 0;

  int Open(uint32_t type, uint64_t config, int cpu, int* err) override {
    last_type = type;
    if (open_errno) {
      *err = open_errno;
      return -1;
    }
    ++opened;
    handles.push_back({config, cpu});
    return static_cast<int>(handles.size() - 1);
  }
  bool Read(int h, uint64_t* v, int* err) override {
    auto& q = seq[handles[static_cast<size_t>(h)]];
    if (q.empty()) {
      *err = EIO;
      return false;
    }
    *v = q.front();
    q.pop_front();
    return true;
  }
  void Close(int) override { ++closed; }
};

TEST_CASE("perf: scan reads the PMU type, CPUs, events, scale and unit") {
  const PerfPowerPmu p = ScanPowerPmu(PowerPmu("perf_scan").string());
  REQUIRE(p.error.empty());
  CHECK(p.type == 23);
  CHECK(p.cpus == std::vector<int>{0});
  REQUIRE(p.events.size() == 2);
  CHECK(p.events[0].name == "energy-cores");
  CHECK(p.events[0].config == 1);
  CHECK(p.events[1].name == "energy-pkg");
  CHECK(p.events[1].config == 2);
  CHECK(p.events[1].scale == kIntelScale);
  CHECK(p.events[1].unit == "Joules");
}

TEST_CASE("perf: cpu lists and event configs") {
  std::vector<int> cpus;
  CHECK(ParseCpuList("0,18\n", &cpus));
  CHECK(cpus == std::vector<int>{0, 18});
  CHECK(ParseCpuList("0-2,8", &cpus));
  CHECK(cpus == std::vector<int>{0, 1, 2, 8});
  CHECK_FALSE(ParseCpuList("", &cpus));
  CHECK_FALSE(ParseCpuList("3-1", &cpus));
  CHECK_FALSE(ParseCpuList("a", &cpus));

  const fs::path dir = test::TempDir("perf_format");
  Put(dir / "format" / "event", "config:0-7\n");
  Put(dir / "format" / "umask", "config:8-15\n");
  uint64_t cfg = 0;
  std::string error;
  CHECK(ParseEventConfig(dir.string(), "event=0x02,umask=0x1", &cfg, &error));
  CHECK(cfg == 0x102);
  CHECK_FALSE(ParseEventConfig(dir.string(), "event=0x1ff", &cfg, &error));
  CHECK(error.find("8 bits") != std::string::npos);
  CHECK_FALSE(ParseEventConfig(dir.string(), "edge=1", &cfg, &error));
  CHECK(ParseEventConfig(test::TempDir("perf_noformat").string(), "event=0x03", &cfg, &error));
  CHECK(cfg == 3);
}

TEST_CASE("perf: joules from a recorded counter sequence, scale applied") {
  auto io = std::make_shared<RecordedIo>();
  io->seq[{2, 0}] = {0};  // Available's probe open reads nothing
  PerfOptions o;
  o.root = PowerPmu("perf_read").string();
  o.io = io;
  PerfEnergySource src(o);
  std::string reason;
  REQUIRE(src.Available(&reason));
  CHECK(io->last_type == 23);
  CHECK(io->closed == 1);
  io->seq[{2, 0}] = {1000, 1000 + (uint64_t{3} << 32)};  // pkg: +3 J
  io->seq[{1, 0}] = {5, 5 + (uint64_t{1} << 31)};        // cores: +0.5 J
  src.Start();
  const EnergyReading r = src.Stop();
  REQUIRE(r.ok);
  REQUIRE(r.domains.size() == 2);
  CHECK(r.domains[0].name == "energy-cores");
  CHECK(r.domains[0].kind == "core");
  CHECK(r.domains[0].joules == Approx(0.5));
  CHECK(r.domains[1].name == "energy-pkg");
  CHECK(r.PackageJoules() == Approx(3.0));
  CHECK(io->opened == io->closed);
}

TEST_CASE("perf: one counter per package CPU in cpumask, summed as packages") {
  auto io = std::make_shared<RecordedIo>();
  PerfOptions o;
  o.root = PowerPmu("perf_two", "0,18\n").string();
  o.io = io;
  PerfEnergySource src(o);
  io->seq[{2, 0}] = {0, uint64_t{1} << 32};
  io->seq[{2, 18}] = {0, uint64_t{2} << 32};
  io->seq[{1, 0}] = {0, 0};
  io->seq[{1, 18}] = {0, 0};
  src.Start();
  const EnergyReading r = src.Stop();
  REQUIRE(r.ok);
  CHECK(r.domains.size() == 4);
  CHECK(r.PackageJoules() == Approx(3.0));
  bool named = false;
  for (const auto& d : r.domains) named = named || d.name == "energy-pkg/cpu18";
  CHECK(named);
}

TEST_CASE("perf: permission denied names perf_event_paranoid") {
  auto io = std::make_shared<RecordedIo>();
  io->open_errno = EACCES;
  PerfOptions o;
  o.root = PowerPmu("perf_denied").string();
  const fs::path paranoid = test::TempDir("perf_paranoid") / "perf_event_paranoid";
  Put(paranoid, "2\n");
  o.paranoid_path = paranoid.string();
  o.io = io;
  PerfEnergySource src(o);
  std::string reason;
  CHECK_FALSE(src.Available(&reason));
  CHECK(reason.find("perf_event_paranoid = 2") != std::string::npos);
  CHECK(reason.find("Permission denied") != std::string::npos);
  src.Start();
  const EnergyReading r = src.Stop();
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("perf_event_paranoid = 2") != std::string::npos);
}

TEST_CASE("perf: no power PMU, no energy-pkg, bad scale") {
  std::string reason;
  PerfOptions o;
  o.root = test::TempDir("perf_none").string();
  o.io = std::make_shared<RecordedIo>();
  CHECK_FALSE(PerfEnergySource(o).Available(&reason));
  CHECK(reason.find("no 'power' PMU") != std::string::npos);

  const fs::path root = PowerPmu("perf_nopkg");
  fs::remove(root / "power" / "events" / "energy-pkg");
  o.root = root.string();
  CHECK_FALSE(PerfEnergySource(o).Available(&reason));
  CHECK(reason.find("no energy-pkg") != std::string::npos);

  const fs::path bad = PowerPmu("perf_badscale");
  Put(bad / "power" / "events" / "energy-pkg.scale", "lots\n");
  CHECK(ScanPowerPmu(bad.string()).error.find("bad value 'lots'") != std::string::npos);
}

TEST_CASE("perf: this host's power PMU answers available or says why") {
  PerfEnergySource src;
  std::string reason;
  const bool ok = src.Available(&reason);
  CHECK((ok || !reason.empty()));
  WARN("perf on this host: " << (ok ? std::string("available") : reason));
}

}  // namespace
}  // namespace bitnet::probes
