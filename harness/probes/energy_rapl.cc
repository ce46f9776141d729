#include "harness/probes/energy_rapl.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>

namespace bitnet::probes {
namespace fs = std::filesystem;
namespace {

bool IsMmio(const std::string& id) { return id.find("-mmio") != std::string::npos; }

std::string ParentId(const std::string& id) {
  const size_t first = id.find(':'), last = id.rfind(':');
  if (first == std::string::npos || first == last) return "";
  return id.substr(0, last);
}

std::string PermissionHint(int err) {
  return (err == EACCES || err == EPERM)
             ? "; energy_uj is readable by root only since Linux 5.10 (run as root, or grant read access to it)"
             : "";
}

}  // namespace

uint64_t CounterDelta(uint64_t before, uint64_t after, uint64_t max_range) {
  if (after >= before) return after - before;
  return (max_range - before) + after + 1;  // counted up to max_range, then 0, then to `after`
}

RaplScan ScanRaplZones(const std::string& root) {
  RaplScan s;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    s.error = "no powercap directory at " + root +
              " (kernel without CONFIG_POWERCAP/intel_rapl, or a VM or container that does not expose RAPL)";
    return s;
  }
  std::vector<std::string> ids;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string id = it->path().filename().string();
    if (id.find(':') == std::string::npos) continue;  // control types ("intel-rapl") hold no counter
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
    if (IsMmio(a) != IsMmio(b)) return !IsMmio(a);  // MSR zones first: they win duplicates
    return a < b;
  });
  std::map<std::string, std::string> plain_name;  // id -> its own name file
  for (const auto& id : ids) {
    std::string text;
    if (ReadSmallFile(root + "/" + id + "/name", &text, nullptr)) plain_name[id] = Trim(text);
  }
  std::map<std::string, std::string> taken;  // full name -> id
  for (const auto& id : ids) {
    const std::string dir = root + "/" + id;
    if (!fs::exists(dir + "/energy_uj", ec)) {
      s.notes.push_back(id + ": no energy_uj");
      continue;
    }
    RaplZone z;
    z.id = id;
    z.dir = dir;
    const auto own = plain_name.find(id);
    z.name = own != plain_name.end() ? own->second : id;
    const std::string parent = ParentId(id);
    if (!parent.empty()) {
      const auto p = plain_name.find(parent);
      z.name = (p != plain_name.end() ? p->second : parent) + "/" + z.name;
    }
    if (auto t = taken.find(z.name); t != taken.end()) {
      s.notes.push_back(id + ": same domain as " + t->second + " (" + z.name + "), not counted twice");
      continue;
    }
    taken[z.name] = id;
    z.kind = DomainKind(z.name);
    std::string text;
    uint64_t v = 0;
    if (ReadSmallFile(dir + "/max_energy_range_uj", &text, nullptr) && ParseU64(text, &v) && v > 0) {
      z.has_max = true;
      z.max_energy_range_uj = v;
    }
    s.zones.push_back(z);
  }
  if (s.zones.empty() && !ec)
    s.error = "no RAPL zone with an energy_uj counter under " + root;
  else if (ec && s.zones.empty())
    s.error = root + ": " + ec.message();
  return s;
}

RaplEnergySource::RaplEnergySource(RaplOptions opts) : opts_(std::move(opts)), scan_(ScanRaplZones(opts_.root)) {}

bool RaplEnergySource::Available(std::string* reason) const {
  auto fail = [&](const std::string& why) {
    if (reason) *reason = "rapl: " + why;
    return false;
  };
  if (!scan_.error.empty()) return fail(scan_.error);
  std::string first_error;
  bool any_package = false;
  for (const auto& z : scan_.zones) {
    std::string text, error;
    int err = 0;
    uint64_t v = 0;
    if (!ReadSmallFile(z.dir + "/energy_uj", &text, &error, &err)) {
      if (first_error.empty()) first_error = error + PermissionHint(err);
      continue;
    }
    if (!ParseU64(text, &v)) {
      if (first_error.empty()) first_error = z.dir + "/energy_uj: not a number: '" + Trim(text) + "'";
      continue;
    }
    any_package = any_package || z.kind == "package";
  }
  if (!any_package)
    return fail(first_error.empty() ? "no readable package zone under " + opts_.root : first_error);
  if (reason) reason->clear();
  return true;
}

void RaplEnergySource::Start() {
  state_.assign(scan_.zones.size(), ZoneState{});
  for (size_t i = 0; i < scan_.zones.size(); ++i) {
    std::string text, error;
    int err = 0;
    ZoneState& st = state_[i];
    if (!ReadSmallFile(scan_.zones[i].dir + "/energy_uj", &text, &error, &err)) {
      st.error = error + PermissionHint(err);
    } else if (!ParseU64(text, &st.last)) {
      st.error = scan_.zones[i].dir + "/energy_uj: not a number: '" + Trim(text) + "'";
    } else {
      st.ok = true;
    }
  }
  started_ = true;
  t0_ = std::chrono::steady_clock::now();
}

void RaplEnergySource::Accumulate(size_t i) {
  ZoneState& st = state_[i];
  if (!st.ok) return;
  const RaplZone& z = scan_.zones[i];
  std::string text, error;
  int err = 0;
  uint64_t now = 0;
  if (!ReadSmallFile(z.dir + "/energy_uj", &text, &error, &err)) {
    st.ok = false;
    st.error = error + PermissionHint(err);
    return;
  }
  if (!ParseU64(text, &now)) {
    st.ok = false;
    st.error = z.dir + "/energy_uj: not a number: '" + Trim(text) + "'";
    return;
  }
  if (now < st.last) {
    if (!z.has_max) {
      st.ok = false;
      st.error = z.dir + ": counter went backwards and max_energy_range_uj is unknown";
      return;
    }
    ++st.wraps;
  }
  st.accumulated_uj += CounterDelta(st.last, now, z.max_energy_range_uj);
  st.last = now;
}

void RaplEnergySource::Poll() {
  if (!started_) return;
  for (size_t i = 0; i < state_.size(); ++i) Accumulate(i);
}

EnergyReading RaplEnergySource::Stop() {
  EnergyReading r;
  if (!started_) {
    r.error = "rapl: Stop() without Start()";
    return r;
  }
  Poll();
  started_ = false;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  r.notes = scan_.notes;
  std::string first_error;
  for (size_t i = 0; i < state_.size(); ++i) {
    const ZoneState& st = state_[i];
    const RaplZone& z = scan_.zones[i];
    if (!st.ok) {
      r.notes.push_back(z.name + ": " + st.error);
      if (first_error.empty()) first_error = st.error;
      continue;
    }
    if (st.wraps > 0) r.notes.push_back(z.name + ": counter wrapped " + std::to_string(st.wraps) + " time(s)");
    r.domains.push_back({z.name, z.kind, static_cast<double>(st.accumulated_uj) * 1e-6});
  }
  r.ok = !r.domains.empty();
  if (!r.ok) r.error = "rapl: " + (first_error.empty() ? scan_.error : first_error);
  return r;
}

}  // namespace bitnet::probes
