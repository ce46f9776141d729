// Renders a fixture to HTML and loads it in headless Chromium (Debian `chromium`, installed by
// scripts/install-deps.sh): the DOM must hold the paper's tables; a screenshot is kept at
// <build>/reports/report.png for people to look at. Skips with a WARN when chromium is absent.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "reports/reports.h"
#include "tests/reports/fixtures.h"

namespace fs = std::filesystem;
using bitnet::test::Count;
using bitnet::test::Fixture;

namespace {

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

struct Output {
  int code = -1;
  std::string out;
};

Output Run(const std::string& cmd) {
  Output r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("headless Chromium renders the report with the paper's tables", "[reports][chromium]") {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    WARN("chromium not installed (scripts/install-deps.sh installs it): headless rendering test skipped");
    return;
  }
  const fs::path dir = fs::path(BITNET_BUILD_DIR) / "reports";
  fs::create_directories(dir);
  const fs::path html = dir / "report.html";
  const fs::path png = dir / "report.png";
  fs::remove(png);
  bitnet::reports::WriteFileAtomic(html.string(), bitnet::reports::RenderHtml(Fixture("skipped.json")));
  const std::string common = "timeout 120 " + chromium +
                             " --headless --no-sandbox --disable-gpu --disable-background-networking "
                             "--disable-dev-shm-usage --no-first-run --user-data-dir='" +
                             (dir / "chromium-profile").string() + "'";

  const Output dom = Run(common + " --dump-dom 'file://" + html.string() + "' 2>/dev/null");
  REQUIRE(dom.code == 0);
  CHECK(Count(dom.out, "<table class=\"paper\" id=\"table1\">") == 1);
  for (const char* row : {"Memory (non-emb)", "Latency (CPU; TPOT)", "Energy (estimated)", "Training tokens",
                          "ARC-Challenge (0-shot; acc_norm)", "ARC-Easy (0-shot; acc_norm)", "OpenbookQA (0-shot; acc_norm)",
                          "BoolQ (0-shot; acc)", "HellaSwag (0-shot; acc_norm)", "PIQA (0-shot; acc_norm)",
                          "WinoGrande (0-shot; acc)", "CommonsenseQA (10-shot; acc)", "TruthfulQA (10-shot; MC2)",
                          "TriviaQA (5-shot; EM)", "MMLU (5-shot; acc)", "HumanEval+ (0-shot; pass@1)", "GSM8K (4-shot; EM)",
                          "MATH-500 (0-shot; EM)", "IFEval (0-shot; instruct-strict)", "MT-bench (0-shot; average)",
                          "Average"}) {
    INFO(row);
    CHECK(Count(dom.out, std::string("<td class=\"label\">") + row) == 1);
  }
  CHECK(Count(dom.out, "<svg class=\"chart\"") == 4);
  CHECK(Count(dom.out, "class=\"badge b-skipped\"") >= 2);

  // The built-in paper-table run: all six Table 1 columns measured, the baselines' latency bounded.
  const fs::path six = dir / "report-six-columns.html";
  bitnet::reports::WriteFileAtomic(six.string(),
                                   bitnet::reports::RenderHtml(bitnet::test::WithBaselineColumns(Fixture("complete.json"))));
  const Output dom6 = Run(common + " --dump-dom 'file://" + six.string() + "' 2>/dev/null");
  REQUIRE(dom6.code == 0);
  for (const char* column : {"LLaMA 3.2 1B", "Gemma-3 1B", "Qwen2.5 1.5B", "SmolLM2 1.7B", "MiniCPM 2B", "BitNet b1.58 2B"}) {
    INFO(column);
    CHECK(Count(dom6.out, std::string("<th colspan=\"5\">") + column + "</th>") == 1);
  }
  CHECK(Count(dom6.out, "<td class=\"label\">Latency (CPU; TPOT)") == 1);
  CHECK(Count(dom6.out, "<td class=\"label\">Average") == 1);
  CHECK(Count(dom6.out, "class=\"badge b-bounded\"") == 6);  // the legend and five latency cells
  CHECK(Count(dom6.out, "450.0ms") == 1);                       // MiniCPM's measured TPOT

  const Output shot = Run(common + " --hide-scrollbars --window-size=1280,2400 --screenshot='" + png.string() +
                          "' 'file://" + html.string() + "' 2>&1");
  INFO(shot.out);
  REQUIRE(shot.code == 0);
  REQUIRE(fs::exists(png));
  CHECK(fs::file_size(png) > 20000);  // a rendered page, not a blank image
}
