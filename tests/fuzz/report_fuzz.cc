// libFuzzer target: report documents (reports/). The input is written as a file and read with
// LoadReport (parse + ValidateReport / ValidateMerged); what validates is rendered as HTML and
// Markdown, compared with itself and merged. Promises checked: only InputError/UsageError refuse
// a document; the HTML never carries a <script> element or an event handler from the document
// (every string is escaped); a merge of a valid report validates as a merged report.
#include <cstdint>
#include <string>
#include <string_view>

#include "reports/reports.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;
namespace rp = bitnet::reports;

namespace {

void CheckHtml(const std::string& html) {
  fz::Require(html.find("<script") == std::string::npos);
  fz::Require(html.find("<SCRIPT") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto dir = fz::ScratchDir("report");
  const auto path = (dir / "report.json").string();
  fz::WriteFile(path, text);
  fz::ExpectOnlyProjectErrors([&] {
    const rp::json doc = rp::LoadReport(path);
    CheckHtml(rp::RenderHtml(doc));
    (void)rp::RenderMarkdown(doc);
    if (doc.value("schema", "") != rp::kReportSchema) return;
    const rp::CompareResult same = rp::Compare(doc, doc, {});
    (void)rp::FormatCompare(same);
    (void)rp::CompareJson(same);
    const rp::json merged = rp::Merge({doc, doc}, {"a.json", "b.json"});
    rp::ValidateMerged(merged, "merged");
    CheckHtml(rp::RenderHtml(merged));
  });
  return 0;
}
