// Suite files are untrusted input (harness/suite/suite_definition.h).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "harness/suite/suite_definition.h"
#include "tests/test_support.h"

namespace bitnet::suite {
namespace {

std::string LoadError(const std::filesystem::path& p) {
  try {
    LoadSuiteFile(p);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Found by tests/fuzz/suite_fuzz (input kept in tests/fuzz/seeds/suite): a value nested 30000
// deep overflowed the stack when the document was copied into SuiteDefinition::document.
TEST_CASE("suite files: JSON nested too deep is an InputError", "[suite]") {
  const auto dir = test::TempDir("suite_definition");
  const auto p = dir / "deep.json";
  std::ofstream(p) << R"({"name": "x", "zz": )" << std::string(30000, '[') << std::string(30000, ']') << "}";
  CHECK_THAT(LoadError(p), Catch::Contains("deep.json: JSON: nested deeper than 64 levels"));
  std::ofstream(p) << R"({"name": "x", "zz": )" << std::string(40, '[') << std::string(40, ']') << "}";
  CHECK_THAT(LoadError(p), !Catch::Contains("nested deeper"));
  CHECK_NOTHROW(LoadSuiteFile(BuiltInSuitesDir() / "quick.json"));
}

}  // namespace
}  // namespace bitnet::suite
