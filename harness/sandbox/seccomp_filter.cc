// The seccomp filter of the sandbox, built once with libseccomp in the parent and exported as raw
// BPF, so the child only has to call prctl(PR_SET_SECCOMP) (no allocation after clone()).
//
// Default: allow. Denied:
//   socket(AF_INET | AF_INET6 | AF_PACKET)          -> EACCES (no network even without a netns)
//   io_uring_setup/enter/register                    -> EPERM  (io_uring can open sockets itself)
//   ptrace, process_vm_readv/writev, bpf, perf_event_open, keyctl, add_key, request_key,
//   userfaultfd                                      -> EPERM  (debugging/kernel attack surface)
// System calls of another architecture (i386 via int 0x80, x32) kill the process (libseccomp's
// default bad-arch action), so the socketcall() route around the socket() rule is closed too.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "harness/sandbox/child.h"

#ifdef BITNET_HAVE_SECCOMP
#include <seccomp.h>
#include <sys/mman.h>
#endif

namespace bitnet::harness::sandbox::detail {

namespace {

struct BuiltFilter {
  std::vector<sock_filter> program;
  std::string why_missing;
};

#ifdef BITNET_HAVE_SECCOMP
BuiltFilter Build() {
  BuiltFilter out;
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) {
    out.why_missing = "seccomp_init failed";
    return out;
  }
  int rc = 0;
  for (int domain : {AF_INET, AF_INET6, AF_PACKET}) {
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
                           SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(domain)));
  }
  const int denied[] = {
      SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter),    SCMP_SYS(io_uring_register),
      SCMP_SYS(ptrace),         SCMP_SYS(process_vm_readv),  SCMP_SYS(process_vm_writev),
      SCMP_SYS(bpf),            SCMP_SYS(perf_event_open),   SCMP_SYS(keyctl),
      SCMP_SYS(add_key),        SCMP_SYS(request_key),       SCMP_SYS(userfaultfd),
  };
  for (int sys : denied) rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), sys, 0);
  if (rc != 0) {
    seccomp_release(ctx);
    out.why_missing = "seccomp_rule_add failed";
    return out;
  }
  int fd = memfd_create("bitnet-sandbox-seccomp", MFD_CLOEXEC);
  if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
    if (fd >= 0) close(fd);
    seccomp_release(ctx);
    out.why_missing = "seccomp_export_bpf failed";
    return out;
  }
  seccomp_release(ctx);
  std::string bytes;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) bytes.append(buf, static_cast<size_t>(n));
  close(fd);
  if (bytes.empty() || bytes.size() % sizeof(sock_filter) != 0 ||
      bytes.size() / sizeof(sock_filter) > BPF_MAXINSNS) {
    out.why_missing = "exported seccomp program has a bad size";
    return out;
  }
  out.program.resize(bytes.size() / sizeof(sock_filter));
  std::memcpy(out.program.data(), bytes.data(), bytes.size());
  return out;
}
#else
BuiltFilter Build() {
  BuiltFilter out;
  out.why_missing = "built without libseccomp";
  return out;
}
#endif

}  // namespace

const std::vector<sock_filter>& SeccompFilter(std::string* why_missing) {
  static const BuiltFilter built = Build();  // thread-safe one-time init
  if (why_missing != nullptr) *why_missing = built.why_missing;
  return built.program;
}

}  // namespace bitnet::harness::sandbox::detail
