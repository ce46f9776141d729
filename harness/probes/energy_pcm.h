#pragma once
// Energy from Intel PCM's command-line tool (Debian/Ubuntu package `pcm`: /usr/sbin/pcm). The
// source finds the `pcm` binary on PATH (and in /usr/sbin, /usr/local/sbin, often not on a
// user's PATH), checks that it can work (root, the msr driver), and for a measured region runs
// `pcm <interval> -csv=<file>` in the background, stops it with SIGINT and sums the energy
// columns of its CSV ("Proc Energy (Joules)", "DRAM Energy (Joules)", per socket). PCM's
// energy metrics are those of Intel packages; the region's edges are counted to the sampling
// interval only.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "harness/probes/energy.h"

namespace bitnet::probes {

struct PcmOptions {
  std::string binary = "pcm";  // a name searched on PATH + extra_dirs, or a path
  std::vector<std::string> extra_dirs = {"/usr/sbin", "/usr/local/sbin"};
  std::string path_env;        // empty: the PATH environment variable
  std::string msr_device = "/dev/cpu/0/msr";  // empty: not checked
  bool require_root = true;
  double interval_seconds = 0.1;
  std::string csv_path;        // empty: a file under /tmp
};

// The binary's full path, or "" when not found.
std::string FindPcmBinary(const PcmOptions& opts);

// Energy by domain from PCM's CSV (two header rows: groups, then metrics; ';' or ',').
EnergyReading ParsePcmCsv(const std::string& text);

class PcmEnergySource : public EnergySource {
 public:
  explicit PcmEnergySource(PcmOptions opts = {});
  ~PcmEnergySource() override;
  std::string name() const override { return "pcm"; }
  bool Available(std::string* reason) const override;
  void Start() override;
  EnergyReading Stop() override;

  const std::string& binary() const { return binary_; }

 private:
  void StopChild();
  PcmOptions opts_;
  std::string binary_;
  std::string csv_path_;
  std::string start_error_;
  pid_t child_ = -1;
  std::chrono::steady_clock::time_point t0_;
  bool started_ = false;
};

}  // namespace bitnet::probes
