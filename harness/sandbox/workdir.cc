#include "harness/sandbox/workdir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace bitnet::harness::sandbox::detail {

namespace fs = std::filesystem;

namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

bool WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Creates a file that must not exist yet and is not reached through a symlink in its last part.
std::string WriteNewFile(const fs::path& p, const std::string& data, mode_t mode, uid_t owner,
                         gid_t group) {
  int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return Errno("create " + p.string());
  bool ok = WriteAll(fd, data) && fchmod(fd, mode) == 0;
  if (ok && owner != static_cast<uid_t>(-1)) ok = fchown(fd, owner, group) == 0;
  std::string err = ok ? "" : Errno("write " + p.string());
  close(fd);
  return err;
}

// A sandbox may leave directories without write or search permission; the caller (non-root) then
// needs to restore its own access before it can remove them.
void MakeRemovable(const fs::path& dir) {
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add, ec);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) MakeRemovable(it->path());
  }
}

}  // namespace

bool IsSafeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string::npos) return false;
  for (const auto& part : fs::path(path)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

std::string Workdir::Create(const SandboxSpec& spec, uid_t owner, gid_t group) {
  std::error_code ec;
  fs::path root = spec.temp_root.empty() ? fs::temp_directory_path(ec) : spec.temp_root;
  if (ec) return "no temporary directory: " + ec.message();
  std::string tmpl = (root / "bitnet-sandbox-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return Errno("mkdtemp " + tmpl);
  base_ = tmpl;
  if (chmod(base_.c_str(), 0711) != 0) return Errno("chmod " + base_.string());
  work_ = base_ / "work";
  if (mkdir(work_.c_str(), 0700) != 0) return Errno("mkdir " + work_.string());

  std::string err = WriteNewFile(base_ / "stdin", spec.stdin_data, 0600, static_cast<uid_t>(-1), 0);
  if (!err.empty()) return err;
  stdin_fd_ = open((base_ / "stdin").c_str(), O_RDONLY | O_CLOEXEC);
  if (stdin_fd_ < 0) return Errno("open stdin file");

  for (const SandboxFile& f : spec.files) {
    if (!IsSafeRelativePath(f.path)) return "file path leaves the working directory: " + f.path;
    fs::path p = work_ / f.path;
    fs::path rel = fs::path(f.path).parent_path(), cur = work_;
    for (const auto& part : rel) {
      cur /= part;
      if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) return Errno("mkdir " + cur.string());
      if (owner != static_cast<uid_t>(-1) && chown(cur.c_str(), owner, group) != 0) {
        return Errno("chown " + cur.string());
      }
    }
    err = WriteNewFile(p, f.contents, f.executable ? 0755 : 0644, owner, group);
    if (!err.empty()) return err;
  }
  if (owner != static_cast<uid_t>(-1) && chown(work_.c_str(), owner, group) != 0) {
    return Errno("chown " + work_.string());
  }
  return "";
}

Workdir::~Workdir() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  if (base_.empty()) return;
  std::error_code ec;
  fs::remove_all(base_, ec);
  if (ec) {
    MakeRemovable(base_);
    fs::remove_all(base_, ec);
  }
}

}  // namespace bitnet::harness::sandbox::detail
