#include "harness/probes/energy_pcm.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

namespace bitnet::probes {
namespace fs = std::filesystem;
namespace {

bool IsExecutable(const std::string& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::vector<std::string> SplitLine(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(Trim(cur));
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(Trim(cur));
  return out;
}

bool IsSocketLabel(const std::string& s) {
  return s.rfind("SKT", 0) == 0 || s.rfind("Socket", 0) == 0;
}

std::string EnergyKind(const std::string& metric) {
  if (metric.find("Proc Energy") != std::string::npos) return "package";
  if (metric.find("DRAM Energy") != std::string::npos) return "dram";
  if (metric.find("Power Plane 0") != std::string::npos) return "core";
  if (metric.find("Power Plane 1") != std::string::npos) return "uncore";
  return "other";
}

std::string StripJoules(std::string m) {
  const size_t p = m.find(" (Joules)");
  if (p != std::string::npos) m.erase(p);
  return m;
}

}  // namespace

std::string FindPcmBinary(const PcmOptions& o) {
  if (o.binary.find('/') != std::string::npos) return IsExecutable(o.binary) ? o.binary : "";
  std::string path = o.path_env;
  if (path.empty()) {
    const char* env = std::getenv("PATH");
    path = env ? env : "";
  }
  std::vector<std::string> dirs;
  std::stringstream ss(path);
  for (std::string d; std::getline(ss, d, ':');)
    if (!d.empty()) dirs.push_back(d);
  dirs.insert(dirs.end(), o.extra_dirs.begin(), o.extra_dirs.end());
  for (const auto& d : dirs)
    if (IsExecutable(d + "/" + o.binary)) return d + "/" + o.binary;
  return "";
}

EnergyReading ParsePcmCsv(const std::string& text) {
  EnergyReading r;
  std::vector<std::string> lines;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);)
    if (!Trim(l).empty()) lines.push_back(l);
  if (lines.size() < 2) {
    r.error = "pcm: CSV without its two header rows";
    return r;
  }
  const size_t semis = std::count(lines[0].begin(), lines[0].end(), ';');
  const size_t commas = std::count(lines[0].begin(), lines[0].end(), ',');
  const char sep = semis >= commas ? ';' : ',';
  std::vector<std::string> groups = SplitLine(lines[0], sep);
  const std::vector<std::string> metrics = SplitLine(lines[1], sep);
  groups.resize(metrics.size());
  for (size_t c = 1; c < groups.size(); ++c)  // a group spans the empty cells after it
    if (groups[c].empty()) groups[c] = groups[c - 1];
  struct Column {
    size_t index;
    std::string metric, qualifier;
  };
  std::vector<Column> cols;
  std::map<std::string, bool> metric_has_socket;
  for (size_t c = 0; c < metrics.size(); ++c) {
    Column col{c, "", ""};
    if (metrics[c].find("Energy (Joules)") != std::string::npos) col = {c, metrics[c], groups[c]};
    else if (groups[c].find("Energy (Joules)") != std::string::npos) col = {c, groups[c], metrics[c]};
    else continue;
    if (IsSocketLabel(col.qualifier)) metric_has_socket[col.metric] = true;
    cols.push_back(col);
  }
  if (cols.empty()) {
    r.error = "pcm: no 'Energy (Joules)' column in the CSV (energy metrics unsupported on this CPU?)";
    return r;
  }
  std::vector<double> sums(cols.size(), 0.0);
  int bad = 0;
  for (size_t row = 2; row < lines.size(); ++row) {
    const std::vector<std::string> cells = SplitLine(lines[row], sep);
    for (size_t k = 0; k < cols.size(); ++k) {
      if (cols[k].index >= cells.size() || cells[cols[k].index].empty() || cells[cols[k].index] == "N/A") continue;
      char* end = nullptr;
      const double v = std::strtod(cells[cols[k].index].c_str(), &end);
      if (*end != '\0') {
        ++bad;
        continue;
      }
      sums[k] += v;
    }
  }
  if (bad) r.notes.push_back("pcm: " + std::to_string(bad) + " non-numeric energy cell(s) skipped");
  if (lines.size() == 2) r.notes.push_back("pcm: no sample row (region shorter than the sampling interval?)");
  for (size_t k = 0; k < cols.size(); ++k) {
    if (metric_has_socket[cols[k].metric] && !IsSocketLabel(cols[k].qualifier)) continue;  // a total of the sockets
    const std::string name = (cols[k].qualifier.empty() ? "" : cols[k].qualifier + " ") + StripJoules(cols[k].metric);
    r.domains.push_back({name, EnergyKind(cols[k].metric), sums[k]});
  }
  r.ok = lines.size() > 2;
  if (!r.ok) r.error = "pcm: the CSV holds no sample row";
  return r;
}

PcmEnergySource::PcmEnergySource(PcmOptions opts) : opts_(std::move(opts)), binary_(FindPcmBinary(opts_)) {}

PcmEnergySource::~PcmEnergySource() { StopChild(); }

bool PcmEnergySource::Available(std::string* reason) const {
  auto fail = [&](const std::string& why) {
    if (reason) *reason = "pcm: " + why;
    return false;
  };
  if (binary_.empty())
    return fail("no '" + opts_.binary + "' binary on PATH or in /usr/sbin, /usr/local/sbin (Debian package: pcm)");
  if (opts_.require_root && ::geteuid() != 0) return fail(binary_ + " needs root (MSR and PCI config access)");
  std::error_code ec;
  if (!opts_.msr_device.empty() && !fs::exists(opts_.msr_device, ec))
    return fail("no " + opts_.msr_device + " (load the msr driver: modprobe msr)");
  if (reason) reason->clear();
  return true;
}

void PcmEnergySource::Start() {
  StopChild();
  start_error_.clear();
  csv_path_ = opts_.csv_path.empty() ? fs::temp_directory_path().string() + "/bitnet-pcm-" +
                                           std::to_string(::getpid()) + ".csv"
                                     : opts_.csv_path;
  std::error_code ec;
  fs::remove(csv_path_, ec);
  std::string reason;
  if (!Available(&reason)) {
    start_error_ = reason;
  } else {
    const std::string interval = std::to_string(opts_.interval_seconds);
    const std::string csv_arg = "-csv=" + csv_path_;
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int devnull = ::open("/dev/null", O_RDWR);
      if (devnull >= 0) {
        ::dup2(devnull, 0), ::dup2(devnull, 1), ::dup2(devnull, 2);
      }
      ::execl(binary_.c_str(), binary_.c_str(), interval.c_str(), csv_arg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (pid < 0) start_error_ = std::string("pcm: fork: ") + std::strerror(errno);
    child_ = pid;
    // Let pcm program the counters and write its header before the region starts.
    for (int i = 0; i < 50 && pid > 0 && !fs::exists(csv_path_, ec); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  started_ = true;
  t0_ = std::chrono::steady_clock::now();
}

void PcmEnergySource::StopChild() {
  if (child_ <= 0) return;
  ::kill(child_, SIGINT);
  int status = 0;
  for (int i = 0; i < 250; ++i) {  // up to 5 s, then SIGKILL
    if (::waitpid(child_, &status, WNOHANG) == child_) {
      child_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(child_, SIGKILL);
  ::waitpid(child_, &status, 0);
  child_ = -1;
}

EnergyReading PcmEnergySource::Stop() {
  EnergyReading r;
  if (!started_) {
    r.error = "pcm: Stop() without Start()";
    return r;
  }
  started_ = false;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  StopChild();
  if (!start_error_.empty()) {
    r.error = start_error_;
    return r;
  }
  std::string text, error;
  if (!ReadSmallFile(csv_path_, &text, &error)) {
    r.error = "pcm: no CSV written (" + error + ")";
    return r;
  }
  r = ParsePcmCsv(text);
  r.seconds = seconds;
  r.notes.push_back("pcm: sums whole sampling intervals of " + std::to_string(opts_.interval_seconds) + " s");
  if (opts_.csv_path.empty()) {
    std::error_code ec;
    fs::remove(csv_path_, ec);
  }
  return r;
}

}  // namespace bitnet::probes
