#pragma once
// Facts about this build that go into every result. Defined in a file the build generates
// (cmake/write_build_info.cmake), refreshed at every build, not only at configure time.

namespace bitnet {

// The project's git hash (12 hex digits), or "unknown" outside a git checkout.
const char* BuildGitHash();

}  // namespace bitnet
