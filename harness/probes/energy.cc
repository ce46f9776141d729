#include "harness/probes/energy.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "harness/probes/energy_pcm.h"
#include "harness/probes/energy_perf.h"
#include "harness/probes/energy_rapl.h"

namespace bitnet::probes {

double EnergyReading::PackageJoules() const { return KindJoules("package"); }

bool EnergyReading::HasKind(const std::string& kind) const {
  for (const auto& d : domains)
    if (d.kind == kind) return true;
  return false;
}

double EnergyReading::KindJoules(const std::string& kind) const {
  double j = 0.0;
  for (const auto& d : domains)
    if (d.kind == kind) j += d.joules;
  return j;
}

std::vector<std::unique_ptr<EnergySource>> DefaultEnergySources() {
  std::vector<std::unique_ptr<EnergySource>> v;
  v.push_back(std::make_unique<RaplEnergySource>());
  v.push_back(std::make_unique<PerfEnergySource>());
  v.push_back(std::make_unique<PcmEnergySource>());
  return v;
}

EnergyPerToken MeasureEnergyPerToken(EnergySource& src, const std::function<int64_t()>& region) {
  EnergyPerToken r;
  r.source = src.name();
  r.available = src.Available(&r.reason);
  if (!r.available) {  // still run the region: the caller wants its tokens either way
    r.tokens = region();
    return r;
  }
  src.Start();
  r.tokens = region();
  r.reading = src.Stop();
  if (!r.reading.ok) {
    r.available = false;
    r.reason = r.reading.error;
    return r;
  }
  if (!r.reading.HasKind("package")) {
    r.available = false;
    r.reason = src.name() + ": no package domain in the reading";
    return r;
  }
  r.joules = r.reading.PackageJoules();
  if (r.tokens > 0) r.joules_per_token = r.joules / static_cast<double>(r.tokens);
  if (r.reading.seconds > 0) r.watts = r.joules / r.reading.seconds;
  return r;
}

bool ReadSmallFile(const std::string& path, std::string* out, std::string* error, int* err) {
  if (err) *err = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int e = 0;
  std::string text;
  if (fd < 0) {
    e = errno;
  } else {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        e = errno;
        break;
      }
      if (n == 0) break;
      text.append(buf, static_cast<size_t>(n));
      if (text.size() > (1u << 20)) break;  // sysfs attributes are one page at most
    }
    ::close(fd);
  }
  if (e != 0) {
    if (err) *err = e;
    if (error) {
      *error = path + ": " + std::strerror(e);
      if (e == EACCES || e == EPERM) *error += " (permission denied)";
    }
    return false;
  }
  *out = std::move(text);
  return true;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::strchr(" \t\r\n", s[b])) ++b;
  while (e > b && std::strchr(" \t\r\n", s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool ParseU64(const std::string& text, uint64_t* out) {
  const std::string t = Trim(text);
  if (t.empty()) return false;
  int base = 10;
  size_t i = 0;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, i = 2;
  uint64_t v = 0;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

std::string DomainKind(const std::string& name) {
  std::string n = name;
  const size_t slash = n.rfind('/');
  if (slash != std::string::npos) n = n.substr(slash + 1);
  if (n.rfind("energy-", 0) == 0) n = n.substr(7);
  if (n.rfind("package", 0) == 0 || n == "pkg") return "package";
  if (n == "core" || n == "cores") return "core";
  if (n == "uncore" || n == "gpu") return "uncore";
  if (n == "dram" || n == "ram") return "dram";
  if (n == "psys") return "psys";
  return "other";
}

}  // namespace bitnet::probes
