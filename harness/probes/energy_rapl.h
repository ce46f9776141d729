#pragma once
// Energy from the Linux powercap RAPL zones: <root>/<control>:<pkg>[:<sub>]/{name, energy_uj,
// max_energy_range_uj}, root /sys/class/powercap by default. Control types "intel-rapl" (also
// used by the kernel for AMD Zen packages), "intel-rapl-mmio" and "amd-rapl" are read alike;
// a subzone is named after its parent ("package-0/core", "package-0/dram"). energy_uj counts
// micro-joules and wraps to 0 after max_energy_range_uj: one wrap between two reads is undone
// (call Poll() more often than range / power, ~40 min at 100 W for a 2^38 µJ range, to be safe
// over longer regions). Since Linux 5.10 energy_uj is readable by root only: an unreadable
// counter makes the source unavailable with that reason, never a zero.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/probes/energy.h"

namespace bitnet::probes {

struct RaplZone {
  std::string id;          // directory name, "intel-rapl:0:1"
  std::string dir;         // full path
  std::string name;        // "package-0", "package-0/dram"
  std::string kind;        // DomainKind(name)
  bool has_max = false;
  uint64_t max_energy_range_uj = 0;
};

struct RaplScan {
  std::vector<RaplZone> zones;
  std::vector<std::string> notes;  // zones skipped (duplicates, no energy_uj)
  std::string error;               // root absent or no zones at all
};

// Lists the RAPL zones under `root` (sorted, MMIO duplicates of a package dropped).
RaplScan ScanRaplZones(const std::string& root);

// The energy consumed between two reads of a counter that wraps after max_range (inclusive).
uint64_t CounterDelta(uint64_t before, uint64_t after, uint64_t max_range);

struct RaplOptions {
  std::string root = "/sys/class/powercap";
};

class RaplEnergySource : public EnergySource {
 public:
  explicit RaplEnergySource(RaplOptions opts = {});
  std::string name() const override { return "rapl"; }
  bool Available(std::string* reason) const override;
  void Start() override;
  // Accumulates the energy since the last read (undoing one wrap per zone); optional.
  void Poll();
  EnergyReading Stop() override;

  const RaplScan& scan() const { return scan_; }

 private:
  struct ZoneState {
    bool ok = false;
    std::string error;
    uint64_t last = 0;
    uint64_t accumulated_uj = 0;
    int wraps = 0;
  };
  void Accumulate(size_t i);

  RaplOptions opts_;
  RaplScan scan_;
  std::vector<ZoneState> state_;
  std::chrono::steady_clock::time_point t0_;
  bool started_ = false;
};

}  // namespace bitnet::probes
