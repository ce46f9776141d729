// Untrusted documents: every leaf and every object of a fixture replaced, one at a time, by values
// of the wrong type or range. Each mutant is either refused by ValidateReport with an InputError,
// or rendered, compared and merged without any other exception (no crash, no type_error).
#include <catch2/catch.hpp>

#include "common/error.h"
#include "reports/reports.h"
#include "tests/reports/fixtures.h"

using namespace bitnet::reports;
using bitnet::test::Fixture;
using nlohmann::json;

namespace {

void CollectPointers(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (j.is_object())
    for (const auto& [k, v] : j.items()) CollectPointers(v, at / k, out);
  else if (j.is_array())
    for (size_t i = 0; i < j.size(); ++i) CollectPointers(j[i], at / i, out);
}

}  // namespace

TEST_CASE("mutated reports are refused cleanly or handled", "[reports][mutation]") {
  for (const char* name : {"complete.json", "skipped.json"}) {
    const json original = Fixture(name);
    std::vector<json::json_pointer> pointers;
    CollectPointers(original, json::json_pointer(), pointers);
    const std::vector<json> hostile = {nullptr, "</td><script>x</script>", -1, 1e308, json::array(), json::object(),
                                       true, 0};
    size_t refused = 0, accepted = 0;
    for (const auto& ptr : pointers) {
      if (ptr.empty()) continue;
      for (const auto& value : hostile) {
        json doc = original;
        doc[ptr] = value;
        try {
          ValidateReport(doc, "mutant.json");
        } catch (const bitnet::InputError& e) {
          CHECK_THAT(e.what(), Catch::StartsWith("mutant.json: "));
          ++refused;
          continue;
        }
        ++accepted;
        INFO(name << " " << ptr.to_string() << " = " << value.dump());
        try {
          const std::string h = RenderHtml(doc);
          CHECK(h.find("<script>") == std::string::npos);
          RenderMarkdown(doc);
          Compare(original, doc, {});
          Compare(doc, original, CompareOptions{{ParseMaxDrop("*=1")}, 5.0, true});
          RenderHtml(Merge({original, doc}));
        } catch (const std::exception& e) {
          FAIL("unexpected exception: " << e.what());
        }
      }
    }
    CHECK(refused > 100);
    CHECK(accepted > 100);
  }
}
