// Read-only file mappings (mmap) and owned in-memory buffers for the GGUF reader.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/gguf/gguf.h"

namespace bitnet::gguf {
namespace {

// Closes a descriptor on every path out of Mapping::Open.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

std::string ErrnoText(int err) { return std::strerror(err); }

}  // namespace

std::shared_ptr<Mapping> Mapping::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, "open", "cannot open: " + ErrnoText(errno));
  FdCloser closer(fd);

  struct stat st {};
  if (::fstat(fd, &st) != 0) throw InputError(path, "stat", "cannot stat: " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) throw InputError(path, "open", "not a regular file");

  std::shared_ptr<Mapping> m(new Mapping());
  if (st.st_size <= 0) return m;  // empty: nothing to map; the parser reports it
  if (static_cast<uint64_t>(st.st_size) > std::numeric_limits<size_t>::max())
    throw InputError(path, "mmap", "file too large to map");

  const auto size = static_cast<size_t>(st.st_size);
  void* base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED) throw InputError(path, "mmap", "cannot map: " + ErrnoText(errno));
  m->mmap_base_ = base;
  m->data_ = static_cast<const uint8_t*>(base);
  m->size_ = size;
  return m;
}

std::shared_ptr<Mapping> Mapping::FromBytes(std::vector<uint8_t> bytes) {
  std::shared_ptr<Mapping> m(new Mapping());
  m->owned_ = std::move(bytes);
  m->data_ = m->owned_.empty() ? nullptr : m->owned_.data();
  m->size_ = m->owned_.size();
  return m;
}

Mapping::~Mapping() {
  if (mmap_base_ != nullptr) ::munmap(mmap_base_, static_cast<size_t>(size_));
}

}  // namespace bitnet::gguf
