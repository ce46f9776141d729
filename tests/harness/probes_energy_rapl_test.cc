// RAPL through powercap on fake sysfs trees: zones and names (Intel, AMD, MMIO duplicates),
// counter deltas with wrap-around, unreadable and absent counters reported with a reason.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "harness/probes/energy.h"
#include "harness/probes/energy_rapl.h"
#include "tests/test_support.h"

namespace bitnet::probes {
namespace {
namespace fs = std::filesystem;

void Put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

void Zone(const fs::path& root, const std::string& id, const std::string& name, uint64_t uj,
          uint64_t max = 262143328850ull) {
  Put(root / id / "name", name + "\n");
  Put(root / id / "energy_uj", std::to_string(uj) + "\n");
  if (max) Put(root / id / "max_energy_range_uj", std::to_string(max) + "\n");
}

void SetUj(const fs::path& root, const std::string& id, uint64_t uj) {
  Put(root / id / "energy_uj", std::to_string(uj) + "\n");
}

const EnergyDomain* Find(const EnergyReading& r, const std::string& name) {
  for (const auto& d : r.domains)
    if (d.name == name) return &d;
  return nullptr;
}

fs::path IntelTree(const std::string& tag) {
  const fs::path root = test::TempDir(tag);
  Put(root / "intel-rapl" / "enabled", "1\n");  // the control type: no counter
  Zone(root, "intel-rapl:0", "package-0", 1000000);
  Zone(root, "intel-rapl:0:0", "core", 500000);
  Zone(root, "intel-rapl:0:1", "uncore", 10);
  Zone(root, "intel-rapl:0:2", "dram", 2000);
  Zone(root, "intel-rapl:1", "package-1", 7000000);
  Zone(root, "intel-rapl-mmio:0", "package-0", 123);  // the same package through MMIO
  return root;
}

TEST_CASE("rapl: scan names subzones after their package and drops the MMIO duplicate") {
  const RaplScan s = ScanRaplZones(IntelTree("rapl_scan").string());
  REQUIRE(s.error.empty());
  REQUIRE(s.zones.size() == 5);
  CHECK(s.zones[0].id == "intel-rapl:0");
  CHECK(s.zones[0].name == "package-0");
  CHECK(s.zones[0].kind == "package");
  CHECK(s.zones[1].name == "package-0/core");
  CHECK(s.zones[1].kind == "core");
  CHECK(s.zones[2].kind == "uncore");
  CHECK(s.zones[3].name == "package-0/dram");
  CHECK(s.zones[3].kind == "dram");
  CHECK(s.zones[4].name == "package-1");
  CHECK(s.zones[0].has_max);
  CHECK(s.zones[0].max_energy_range_uj == 262143328850ull);
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0].find("intel-rapl-mmio:0") != std::string::npos);
}

TEST_CASE("rapl: joules by domain between Start and Stop") {
  const fs::path root = IntelTree("rapl_delta");
  RaplEnergySource src({root.string()});
  std::string reason;
  REQUIRE(src.Available(&reason));
  CHECK(reason.empty());
  src.Start();
  SetUj(root, "intel-rapl:0", 3500000);    // +2.5 J
  SetUj(root, "intel-rapl:0:0", 1500000);  // +1 J
  SetUj(root, "intel-rapl:0:2", 252000);   // +0.25 J
  SetUj(root, "intel-rapl:1", 8000000);    // +1 J
  const EnergyReading r = src.Stop();
  REQUIRE(r.ok);
  CHECK(r.error.empty());
  CHECK(r.seconds >= 0);
  CHECK(Find(r, "package-0")->joules == Approx(2.5));
  CHECK(Find(r, "package-0/core")->joules == Approx(1.0));
  CHECK(Find(r, "package-0/uncore")->joules == 0.0);
  CHECK(Find(r, "package-0/dram")->joules == Approx(0.25));
  CHECK(r.PackageJoules() == Approx(3.5));  // both packages; core and dram are not added in
  CHECK(r.KindJoules("dram") == Approx(0.25));
}

TEST_CASE("rapl: counter wrap-around through max_energy_range_uj") {
  CHECK(CounterDelta(100, 250, 1000) == 150);
  CHECK(CounterDelta(999000, 500, 1000000) == 1501);  // 1000 to the top, 1 to 0, 500 after
  CHECK(CounterDelta(5, 5, 10) == 0);

  const fs::path root = test::TempDir("rapl_wrap");
  Zone(root, "intel-rapl:0", "package-0", 900000, 1000000);
  RaplEnergySource src({root.string()});
  REQUIRE(src.Available(nullptr));
  src.Start();
  // A recorded sequence polled during a long region: one wrap between the 2nd and 3rd read.
  for (uint64_t v : {990000ull, 10000ull, 50000ull}) {
    SetUj(root, "intel-rapl:0", v);
    src.Poll();
  }
  SetUj(root, "intel-rapl:0", 60000);
  const EnergyReading r = src.Stop();
  REQUIRE(r.ok);
  // 90000 + (1000000 - 990000 + 1 + 10000) + 40000 + 10000
  CHECK(r.PackageJoules() == Approx(160001e-6));
  bool wrapped_note = false;
  for (const auto& n : r.notes) wrapped_note = wrapped_note || n.find("wrapped 1 time") != std::string::npos;
  CHECK(wrapped_note);
}

TEST_CASE("rapl: a counter that goes backwards without max_energy_range_uj is an error, not a zero") {
  const fs::path root = test::TempDir("rapl_nomax");
  Zone(root, "intel-rapl:0", "package-0", 5000, 0);
  RaplEnergySource src({root.string()});
  REQUIRE(src.Available(nullptr));
  src.Start();
  SetUj(root, "intel-rapl:0", 10);
  const EnergyReading r = src.Stop();
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("max_energy_range_uj is unknown") != std::string::npos);
  CHECK(r.domains.empty());
}

TEST_CASE("rapl: AMD zones (amd-rapl control type, package-0 names)") {
  const fs::path root = test::TempDir("rapl_amd");
  Zone(root, "amd-rapl:0", "package-0", 42);
  Zone(root, "amd-rapl:0:0", "core", 7);
  RaplEnergySource src({root.string()});
  REQUIRE(src.Available(nullptr));
  REQUIRE(src.scan().zones.size() == 2);
  CHECK(src.scan().zones[1].name == "package-0/core");
  src.Start();
  SetUj(root, "amd-rapl:0", 1000042);
  SetUj(root, "amd-rapl:0:0", 500007);
  const EnergyReading r = src.Stop();
  REQUIRE(r.ok);
  CHECK(r.PackageJoules() == Approx(1.0));
  CHECK(r.KindJoules("core") == Approx(0.5));
}

TEST_CASE("rapl: absent powercap and empty trees are unavailable with the reason") {
  std::string reason;
  RaplEnergySource absent({(test::TempDir("rapl_absent") / "nope").string()});
  CHECK_FALSE(absent.Available(&reason));
  CHECK(reason.find("no powercap directory") != std::string::npos);
  absent.Start();
  const EnergyReading r = absent.Stop();
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("no powercap directory") != std::string::npos);

  RaplEnergySource empty({test::TempDir("rapl_empty").string()});
  CHECK_FALSE(empty.Available(&reason));
  CHECK(reason.find("no RAPL zone") != std::string::npos);
}

TEST_CASE("rapl: unreadable counters are reported with the reason") {
  // A directory where energy_uj should be: read() fails (EISDIR) even for root.
  const fs::path root = test::TempDir("rapl_unreadable");
  Put(root / "intel-rapl:0" / "name", "package-0\n");
  fs::create_directories(root / "intel-rapl:0" / "energy_uj");
  std::string reason;
  RaplEnergySource src({root.string()});
  CHECK_FALSE(src.Available(&reason));
  CHECK(reason.find("intel-rapl:0/energy_uj") != std::string::npos);
  src.Start();
  const EnergyReading r = src.Stop();
  CHECK_FALSE(r.ok);
  CHECK_FALSE(r.error.empty());

  // Partly readable: the package counts, the broken dram zone is a note.
  Zone(root, "intel-rapl:1", "package-1", 0);
  Put(root / "intel-rapl:1:0" / "name", "dram\n");
  Put(root / "intel-rapl:1:0" / "energy_uj", "garbage\n");
  RaplEnergySource partial({root.string()});
  REQUIRE(partial.Available(nullptr));
  partial.Start();
  SetUj(root, "intel-rapl:1", 2000000);
  const EnergyReading p = partial.Stop();
  REQUIRE(p.ok);
  CHECK(p.PackageJoules() == Approx(2.0));
  CHECK_FALSE(p.HasKind("dram"));
  bool dram_note = false;
  for (const auto& n : p.notes) dram_note = dram_note || n.find("package-1/dram") != std::string::npos;
  CHECK(dram_note);
}

TEST_CASE("rapl: permission denied names the root-only rule") {
  const fs::path root = test::TempDir("rapl_eacces");
  Zone(root, "intel-rapl:0", "package-0", 1);
  ::chmod((root / "intel-rapl:0" / "energy_uj").c_str(), 0);
  std::string reason;
  if (::access((root / "intel-rapl:0" / "energy_uj").c_str(), R_OK) != 0) {
    RaplEnergySource src({root.string()});
    CHECK_FALSE(src.Available(&reason));
  } else {
    // Root reads mode-000 files: ask from a child that drops to an unprivileged user, as a
    // normal user meets the root-only energy_uj of Linux >= 5.10.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      std::string why = "could not drop privileges";
      if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
        RaplEnergySource src({root.string()});
        why = src.Available(&why) ? "available" : why;
      }
      (void)!::write(fds[1], why.data(), why.size());
      ::_exit(0);
    }
    ::close(fds[1]);
    char buf[1024];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) reason.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  INFO(reason);
  CHECK(reason.find("permission denied") != std::string::npos);
  CHECK(reason.find("root only") != std::string::npos);
}

TEST_CASE("rapl: this host's powercap answers available or says why") {
  RaplEnergySource src;
  std::string reason;
  const bool ok = src.Available(&reason);
  INFO("rapl on this host: " << (ok ? "available" : reason));
  CHECK((ok || !reason.empty()));
  WARN("rapl on this host: " << (ok ? std::string("available") : reason));
}

// A source with a scripted counter, for the per-token helper.
class FakeSource : public EnergySource {
 public:
  bool available = true;
  double joules = 0.0;
  std::string name() const override { return "fake"; }
  bool Available(std::string* reason) const override {
    if (!available && reason) *reason = "fake: switched off";
    return available;
  }
  void Start() override {}
  EnergyReading Stop() override {
    EnergyReading r;
    r.ok = true;
    r.seconds = 2.0;
    r.domains = {{"package-0", "package", joules}, {"package-0/dram", "dram", 100.0}};
    return r;
  }
};

TEST_CASE("energy per token: package joules over the region's tokens") {
  FakeSource f;
  f.joules = 12.8;
  const EnergyPerToken e = MeasureEnergyPerToken(f, [] { return int64_t{128}; });
  REQUIRE(e.available);
  CHECK(e.source == "fake");
  CHECK(e.tokens == 128);
  CHECK(e.joules == Approx(12.8));
  CHECK(e.joules_per_token == Approx(0.1));
  CHECK(e.watts == Approx(6.4));

  f.available = false;
  int ran = 0;
  const EnergyPerToken off = MeasureEnergyPerToken(f, [&] { ++ran; return int64_t{5}; });
  CHECK_FALSE(off.available);
  CHECK(off.reason == "fake: switched off");
  CHECK(off.joules_per_token == 0.0);
  CHECK(ran == 1);  // the region still runs
  CHECK(off.tokens == 5);
}

TEST_CASE("energy per token over a RAPL tree the region advances") {
  const fs::path root = test::TempDir("rapl_per_token");
  Zone(root, "intel-rapl:0", "package-0", 0);
  RaplEnergySource src({root.string()});
  const EnergyPerToken e = MeasureEnergyPerToken(src, [&] {
    SetUj(root, "intel-rapl:0", 3200000);
    return int64_t{32};
  });
  REQUIRE(e.available);
  CHECK(e.joules == Approx(3.2));
  CHECK(e.joules_per_token == Approx(0.1));
}

TEST_CASE("sysfs helpers: numbers, trimming, domain kinds") {
  uint64_t v = 0;
  CHECK(ParseU64(" 123\n", &v));
  CHECK(v == 123);
  CHECK(ParseU64("0x1f", &v));
  CHECK(v == 31);
  CHECK_FALSE(ParseU64("", &v));
  CHECK_FALSE(ParseU64("12a", &v));
  CHECK_FALSE(ParseU64("99999999999999999999999", &v));
  CHECK(DomainKind("package-1") == "package");
  CHECK(DomainKind("package-0/dram") == "dram");
  CHECK(DomainKind("energy-pkg") == "package");
  CHECK(DomainKind("energy-cores") == "core");
  CHECK(DomainKind("energy-ram") == "dram");
  CHECK(DomainKind("energy-psys") == "psys");
  CHECK(DomainKind("mystery") == "other");
  std::string out, error;
  int err = 0;
  CHECK_FALSE(ReadSmallFile("/nonexistent/energy_uj", &out, &error, &err));
  CHECK(err == ENOENT);
  CHECK(error.find("/nonexistent/energy_uj") != std::string::npos);
}

}  // namespace
}  // namespace bitnet::probes
