// libFuzzer target: suite definition files (harness/suite/suite_definition.h) read with
// LoadSuiteFile: a suite is accepted with its checked fields, or refused with InputError naming
// the file and the JSON path (or line and column for a syntax error).
#include <cstdint>
#include <string_view>

#include "harness/suite/suite_definition.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto dir = fz::ScratchDir("suite");
  fz::WriteFile(dir / "suite.json", text);
  fz::ExpectOnlyProjectErrors([&] {
    const auto s = bitnet::suite::LoadSuiteFile(dir / "suite.json");
    fz::Require(!s.threads.empty());
    for (const auto& t : s.tasks) fz::Require(!t.task.empty());
  });
  return 0;
}
