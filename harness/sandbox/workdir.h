#pragma once
// Internal to harness/sandbox: the per-run temporary tree.
//   <temp_root>/bitnet-sandbox-XXXXXX/     0711, owned by the caller
//     stdin                                0600, the program's stdin (opened before the clone)
//     work/                                0700, owned by the sandbox uid: cwd and HOME
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/sandbox/sandbox.h"

namespace bitnet::harness::sandbox::detail {

class Workdir {
 public:
  Workdir() = default;
  Workdir(const Workdir&) = delete;
  Workdir& operator=(const Workdir&) = delete;
  ~Workdir();  // removes the whole tree (the sandbox must be dead by then)

  // Creates the tree, the spec's files and the stdin file; chowns work/ to owner when owner >= 0
  // (root dropping to a sandbox uid). Returns "" or an error message.
  std::string Create(const SandboxSpec& spec, uid_t owner, gid_t group);

  const std::filesystem::path& work() const { return work_; }
  int stdin_fd() const { return stdin_fd_; }

 private:
  std::filesystem::path base_, work_;
  int stdin_fd_ = -1;
};

// Whether a spec file path stays inside the working directory (relative, no "..").
bool IsSafeRelativePath(const std::string& path);

}  // namespace bitnet::harness::sandbox::detail
