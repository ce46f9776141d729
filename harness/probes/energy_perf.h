#pragma once
// Energy from the perf_event "power" PMU (RAPL as perf events): the PMU type is read from
// <root>/power/type, each event from <root>/power/events/energy-* ("event=0x02"), its scale
// (Joules per count, 2^-32 on Intel) from energy-*.scale, and the CPUs to open it on (one per
// package) from <root>/power/cpumask. The counters are system-wide (pid = -1), so a
// non-privileged process needs kernel.perf_event_paranoid <= 0 (or CAP_PERFMON); the kernel
// extends the hardware counter to 64 bits, so no wrap is handled here.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/probes/energy.h"

namespace bitnet::probes {

struct PerfPowerEvent {
  std::string name;      // "energy-pkg"
  uint64_t config = 0;   // attr.config
  double scale = 1.0;    // Joules per count (from .scale; 1 when absent)
  std::string unit;      // "Joules"
};

struct PerfPowerPmu {
  std::string error;     // empty when usable
  uint32_t type = 0;     // attr.type
  std::vector<int> cpus;
  std::vector<PerfPowerEvent> events;
};

PerfPowerPmu ScanPowerPmu(const std::string& event_source_root);
// "0", "0,18", "0-3,8-11" -> CPU numbers; false on malformed text.
bool ParseCpuList(const std::string& text, std::vector<int>* out);
// An event description ("event=0x02,umask=0x1") against the PMU's format files
// (format/event = "config:0-7"): the attr.config value.
bool ParseEventConfig(const std::string& pmu_dir, const std::string& text, uint64_t* config, std::string* error);

// The syscalls, replaceable by recorded counter sequences in tests.
class PerfCounterIo {
 public:
  virtual ~PerfCounterIo() = default;
  // A handle >= 0, or -1 with errno in *err.
  virtual int Open(uint32_t type, uint64_t config, int cpu, int* err) = 0;
  virtual bool Read(int handle, uint64_t* value, int* err) = 0;
  virtual void Close(int handle) = 0;
};
std::unique_ptr<PerfCounterIo> SyscallPerfCounterIo();

struct PerfOptions {
  std::string root = "/sys/bus/event_source/devices";
  std::string paranoid_path = "/proc/sys/kernel/perf_event_paranoid";
  std::shared_ptr<PerfCounterIo> io;  // null: the real perf_event_open
};

class PerfEnergySource : public EnergySource {
 public:
  explicit PerfEnergySource(PerfOptions opts = {});
  ~PerfEnergySource() override;
  std::string name() const override { return "perf"; }
  bool Available(std::string* reason) const override;
  void Start() override;
  EnergyReading Stop() override;

  const PerfPowerPmu& pmu() const { return pmu_; }

 private:
  struct Counter {
    size_t event;
    int cpu;
    int handle = -1;
    uint64_t start = 0;
  };
  std::string OpenError(const std::string& event, int err) const;
  void CloseAll();

  PerfOptions opts_;
  PerfPowerPmu pmu_;
  std::vector<Counter> counters_;
  std::vector<std::string> open_errors_;
  std::chrono::steady_clock::time_point t0_;
  bool started_ = false;
};

}  // namespace bitnet::probes
