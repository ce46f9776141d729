#include "harness/probes/energy_perf.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace bitnet::probes {
namespace fs = std::filesystem;
namespace {

class SyscallIo : public PerfCounterIo {
 public:
  int Open(uint32_t type, uint64_t config, int cpu, int* err) override {
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.type = type;
    attr.size = sizeof attr;
    attr.config = config;
    const long fd = ::syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
      *err = errno;
      return -1;
    }
    return static_cast<int>(fd);
  }
  bool Read(int fd, uint64_t* value, int* err) override {
    const ssize_t n = ::read(fd, value, sizeof *value);
    if (n != static_cast<ssize_t>(sizeof *value)) {
      *err = n < 0 ? errno : EIO;
      return false;
    }
    return true;
  }
  void Close(int fd) override { ::close(fd); }
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(Trim(part));
  return out;
}

}  // namespace

std::unique_ptr<PerfCounterIo> SyscallPerfCounterIo() { return std::make_unique<SyscallIo>(); }

bool ParseCpuList(const std::string& text, std::vector<int>* out) {
  out->clear();
  for (const std::string& part : Split(Trim(text), ',')) {
    if (part.empty()) return false;
    const size_t dash = part.find('-');
    uint64_t a = 0, b = 0;
    if (dash == std::string::npos) {
      if (!ParseU64(part, &a)) return false;
      b = a;
    } else if (!ParseU64(part.substr(0, dash), &a) || !ParseU64(part.substr(dash + 1), &b) || b < a) {
      return false;
    }
    if (b > 65535) return false;
    for (uint64_t c = a; c <= b; ++c) out->push_back(static_cast<int>(c));
  }
  return !out->empty();
}

bool ParseEventConfig(const std::string& pmu_dir, const std::string& text, uint64_t* config, std::string* error) {
  uint64_t cfg = 0;
  for (const std::string& term : Split(Trim(text), ',')) {
    const size_t eq = term.find('=');
    const std::string key = term.substr(0, eq);
    uint64_t value = 1;  // a bare term means 1
    if (eq != std::string::npos && !ParseU64(term.substr(eq + 1), &value)) {
      *error = "bad value in '" + term + "'";
      return false;
    }
    // format/<key> = "config:LO-HI" (or "config:BIT"); without the file assume config:0-63.
    int lo = 0, hi = 63;
    std::string fmt;
    if (ReadSmallFile(pmu_dir + "/format/" + key, &fmt, nullptr)) {
      fmt = Trim(fmt);
      if (fmt.rfind("config:", 0) != 0) {
        *error = "term '" + key + "' maps to '" + fmt + "', only config: is supported";
        return false;
      }
      const std::string bits = fmt.substr(7);
      const size_t dash = bits.find('-');
      uint64_t l = 0, h = 0;
      if (!ParseU64(bits.substr(0, dash), &l) ||
          (dash != std::string::npos ? !ParseU64(bits.substr(dash + 1), &h) : (h = l, false)) || h < l || h > 63) {
        *error = "bad format '" + fmt + "' for '" + key + "'";
        return false;
      }
      lo = static_cast<int>(l), hi = static_cast<int>(h);
    } else if (key != "event") {
      *error = "no format file for term '" + key + "'";
      return false;
    }
    const int width = hi - lo + 1;
    if (width < 64 && (value >> width) != 0) {
      *error = "value of '" + key + "' does not fit its " + std::to_string(width) + " bits";
      return false;
    }
    cfg |= value << lo;
  }
  *config = cfg;
  return true;
}

PerfPowerPmu ScanPowerPmu(const std::string& root) {
  PerfPowerPmu p;
  const std::string dir = root + "/power";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    p.error = "no 'power' PMU at " + dir +
              " (kernel without RAPL perf support for this CPU, or a VM that does not expose it)";
    return p;
  }
  std::string text, error;
  uint64_t type = 0;
  if (!ReadSmallFile(dir + "/type", &text, &error) || !ParseU64(text, &type) || type > UINT32_MAX) {
    p.error = error.empty() ? dir + "/type: not a number" : error;
    return p;
  }
  p.type = static_cast<uint32_t>(type);
  if (ReadSmallFile(dir + "/cpumask", &text, nullptr)) {
    if (!ParseCpuList(text, &p.cpus)) {
      p.error = dir + "/cpumask: malformed '" + Trim(text) + "'";
      return p;
    }
  } else {
    p.cpus = {0};
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir + "/events", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (n.rfind("energy-", 0) == 0 && n.find('.') == std::string::npos) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    PerfPowerEvent e;
    e.name = n;
    if (!ReadSmallFile(dir + "/events/" + n, &text, &error) || !ParseEventConfig(dir, text, &e.config, &error)) {
      p.error = dir + "/events/" + n + ": " + error;
      return p;
    }
    if (ReadSmallFile(dir + "/events/" + n + ".scale", &text, nullptr)) {
      char* end = nullptr;
      const std::string t = Trim(text);
      e.scale = std::strtod(t.c_str(), &end);
      if (t.empty() || *end != '\0' || !(e.scale > 0)) {
        p.error = dir + "/events/" + n + ".scale: bad value '" + t + "'";
        return p;
      }
    }
    if (ReadSmallFile(dir + "/events/" + n + ".unit", &text, nullptr)) e.unit = Trim(text);
    p.events.push_back(e);
  }
  if (p.events.empty()) p.error = "the power PMU at " + dir + " lists no energy-* event";
  return p;
}

PerfEnergySource::PerfEnergySource(PerfOptions opts) : opts_(std::move(opts)), pmu_(ScanPowerPmu(opts_.root)) {
  if (!opts_.io) opts_.io = SyscallPerfCounterIo();
}

PerfEnergySource::~PerfEnergySource() { CloseAll(); }

std::string PerfEnergySource::OpenError(const std::string& event, int err) const {
  std::string msg = "perf_event_open(power/" + event + "): " + std::strerror(err);
  if (err == EACCES || err == EPERM) {
    std::string text;
    const std::string level = ReadSmallFile(opts_.paranoid_path, &text, nullptr) ? Trim(text) : "unknown";
    msg += " (kernel.perf_event_paranoid = " + level +
           "; system-wide events need <= 0, CAP_PERFMON or root)";
  }
  return msg;
}

bool PerfEnergySource::Available(std::string* reason) const {
  auto fail = [&](const std::string& why) {
    if (reason) *reason = "perf: " + why;
    return false;
  };
  if (!pmu_.error.empty()) return fail(pmu_.error);
  const auto pkg = std::find_if(pmu_.events.begin(), pmu_.events.end(),
                                [](const PerfPowerEvent& e) { return e.name == "energy-pkg"; });
  if (pkg == pmu_.events.end()) return fail("the power PMU has no energy-pkg event");
  int err = 0;
  const int h = opts_.io->Open(pmu_.type, pkg->config, pmu_.cpus.front(), &err);
  if (h < 0) return fail(OpenError(pkg->name, err));
  opts_.io->Close(h);
  if (reason) reason->clear();
  return true;
}

void PerfEnergySource::CloseAll() {
  for (auto& c : counters_)
    if (c.handle >= 0) opts_.io->Close(c.handle);
  counters_.clear();
}

void PerfEnergySource::Start() {
  CloseAll();
  open_errors_.clear();
  if (pmu_.error.empty()) {
    for (size_t e = 0; e < pmu_.events.size(); ++e)
      for (int cpu : pmu_.cpus) {
        Counter c{e, cpu};
        int err = 0;
        c.handle = opts_.io->Open(pmu_.type, pmu_.events[e].config, cpu, &err);
        if (c.handle < 0) {
          open_errors_.push_back(OpenError(pmu_.events[e].name, err));
          continue;
        }
        if (!opts_.io->Read(c.handle, &c.start, &err)) {
          open_errors_.push_back("read(power/" + pmu_.events[e].name + "): " + std::strerror(err));
          opts_.io->Close(c.handle);
          continue;
        }
        counters_.push_back(c);
      }
  }
  started_ = true;
  t0_ = std::chrono::steady_clock::now();
}

EnergyReading PerfEnergySource::Stop() {
  EnergyReading r;
  if (!started_) {
    r.error = "perf: Stop() without Start()";
    return r;
  }
  started_ = false;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  r.notes = open_errors_;
  const bool per_cpu = pmu_.cpus.size() > 1;
  for (const Counter& c : counters_) {
    uint64_t now = 0;
    int err = 0;
    const PerfPowerEvent& e = pmu_.events[c.event];
    if (!opts_.io->Read(c.handle, &now, &err)) {
      r.notes.push_back("read(power/" + e.name + "): " + std::strerror(err));
      continue;
    }
    const std::string name = per_cpu ? e.name + "/cpu" + std::to_string(c.cpu) : e.name;
    r.domains.push_back({name, DomainKind(e.name), static_cast<double>(now - c.start) * e.scale});
  }
  CloseAll();
  r.ok = !r.domains.empty();
  if (!r.ok)
    r.error = "perf: " + (!pmu_.error.empty() ? pmu_.error
                          : r.notes.empty()   ? std::string("no counter could be read")
                                              : r.notes.front());
  return r;
}

}  // namespace bitnet::probes
