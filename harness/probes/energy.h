#pragma once
// Measured energy: one interface over the sources a Linux host may expose (powercap RAPL,
// the perf_event "power" PMU, Intel PCM). A source that cannot measure says why; it never
// reports a silent zero. Measured energy is its own row, never mixed with the estimate
// (energy_estimate.h).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bitnet::probes {

// One energy domain's consumption over a measured region.
struct EnergyDomain {
  std::string name;   // source-specific, e.g. "package-0", "package-0/core", "energy-pkg", "SKT0 Proc"
  std::string kind;   // "package", "core", "uncore", "dram", "psys" or "other"
  double joules = 0.0;
};

struct EnergyReading {
  bool ok = false;
  std::string error;                  // why !ok
  std::vector<std::string> notes;     // partial problems (one zone unreadable, a counter wrapped)
  double seconds = 0.0;               // wall time between Start and Stop
  std::vector<EnergyDomain> domains;

  // Sum over the "package" domains (the whole-socket figure; core/uncore are inside it, dram is
  // not); 0 with ok = false when there is none.
  double PackageJoules() const;
  bool HasKind(const std::string& kind) const;
  double KindJoules(const std::string& kind) const;
};

class EnergySource {
 public:
  virtual ~EnergySource() = default;
  virtual std::string name() const = 0;  // "rapl", "perf", "pcm"
  // True when Start/Stop can measure; otherwise `reason` (if given) says why not.
  virtual bool Available(std::string* reason) const = 0;
  virtual void Start() = 0;
  // Energy since Start, by domain. !ok with the reason when the source could not measure.
  virtual EnergyReading Stop() = 0;
};

// The default sources of this host, in order of preference: rapl, perf, pcm.
std::vector<std::unique_ptr<EnergySource>> DefaultEnergySources();

// Energy per token over one timed region: Start, region() (returns the tokens it produced),
// Stop. joules_per_token = package joules / tokens.
struct EnergyPerToken {
  std::string source;
  bool available = false;
  std::string reason;           // when !available, or the error of the reading
  int64_t tokens = 0;
  EnergyReading reading;
  double joules = 0.0;          // package joules of the region
  double joules_per_token = 0.0;
  double watts = 0.0;           // package joules / seconds
};

EnergyPerToken MeasureEnergyPerToken(EnergySource& source, const std::function<int64_t()>& region);

// ---- helpers shared by the sources (exposed for tests) ----

// Reads a whole small file (sysfs attributes). On failure returns false and sets `error` to
// "<path>: <strerror>" plus a hint for EACCES/EPERM; `err` gets the errno (0 on success).
bool ReadSmallFile(const std::string& path, std::string* out, std::string* error, int* err = nullptr);
// A sysfs decimal (or 0x-hex) integer, surrounding whitespace allowed.
bool ParseU64(const std::string& text, uint64_t* out);
std::string Trim(const std::string& s);
// The kind of a RAPL/PMU domain from its name ("package-0" -> "package", "energy-ram" -> "dram").
std::string DomainKind(const std::string& name);

}  // namespace bitnet::probes
