#include "reports/html_util.h"

#include <fmt/format.h>

#include <algorithm>

namespace bitnet::reports {

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

int Footnotes::Add(const std::string& text) {
  auto it = std::find(notes_.begin(), notes_.end(), text);
  if (it == notes_.end()) it = notes_.insert(notes_.end(), text);
  return static_cast<int>(it - notes_.begin()) + 1;
}

std::string Footnotes::Render() const {
  if (notes_.empty()) return "";
  std::string out = "<h2>Notes</h2>\n<ol class=\"footnotes\">\n";
  for (size_t i = 0; i < notes_.size(); ++i) out += fmt::format("<li id=\"fn{}\">{}</li>\n", i + 1, Esc(notes_[i]));
  return out + "</ol>\n";
}

std::string BadgeHtml(const Mark& mark, Footnotes& notes) {
  std::string cls = mark.badge;
  std::replace(cls.begin(), cls.end(), ' ', '-');
  const int n = notes.Add(mark.badge + ": " + mark.note);
  return fmt::format("<span class=\"badge b-{}\" title=\"{}\">{}<sup><a href=\"#fn{}\">{}</a></sup></span>", Esc(cls),
                     Esc(mark.note), Esc(mark.badge), n, n);
}

std::string BarChart(const std::string& title, const std::vector<Bar>& bars) {
  const int label_w = 300, bar_w = 360, text_w = 160, row_h = 24, top = 28;
  const int width = label_w + bar_w + text_w, height = top + row_h * static_cast<int>(bars.size()) + 8;
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  std::string svg = fmt::format(
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "role=\"img\"><title>{}</title>\n<text x=\"0\" y=\"18\" class=\"ctitle\">{}</text>\n",
      width, height, width, height, Esc(title), Esc(title));
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    // Keep labels inside the label column (~7 px per character at 12 px); cut on a UTF-8 boundary.
    std::string label = b.label;
    if (label.size() > 44) {
      size_t cut = 42;
      while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
      label = label.substr(0, cut) + "…";
    }
    const int y = top + static_cast<int>(i) * row_h;
    const double w = max > 0 && b.value > 0 ? b.value / max * bar_w : 0;
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"clabel\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" class=\"bar {}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" class=\"cvalue\">{}</text>\n",
        label_w - 8, y + 15, Esc(label), label_w, y + 3, w, row_h - 6, Esc(b.cls), label_w + w + 6, y + 15,
        Esc(b.text));
  }
  return svg + "</svg>\n";
}

const char* PageCss() {
  return R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px 32px; color: #1d2330; max-width: 1400px; }
h1 { font-size: 1.6em; margin-bottom: 4px; }
h2 { font-size: 1.25em; margin-top: 32px; border-bottom: 1px solid #d0d5de; padding-bottom: 4px; }
h3 { font-size: 1.05em; margin-top: 20px; }
.sub { color: #5a6475; margin-top: 0; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 0.88em; }
th, td { border: 1px solid #d0d5de; padding: 3px 6px; vertical-align: top; }
th { background: #eef1f6; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.label { white-space: nowrap; }
td.small { max-width: 32em; }
td.meas { background: #f3f8ff; }
tr.sep td { border-top: 2px solid #8a94a6; }
tr.avg td { font-weight: 600; border-top: 2px solid #8a94a6; }
.pos { color: #1b7a34; } .neg { color: #b3261e; }
.small { font-size: 0.85em; color: #5a6475; }
.badge { display: inline-block; border-radius: 4px; padding: 0 5px; margin: 1px 2px; font-size: 0.78em; font-weight: 600; white-space: nowrap; }
.badge sup a { color: inherit; text-decoration: none; margin-left: 2px; }
.b-synthetic { background: #fde2e1; color: #8c1d18; }
.b-estimated { background: #fff1c2; color: #6b4e00; }
.b-skipped, .b-failed { background: #e8e0f5; color: #4a2a7a; }
.b-not-run, .b-incomplete, .b-unavailable { background: #e6e8ec; color: #3c4350; }
.b-subset, .b-bounded { background: #d9f0f2; color: #0b5560; }
.banner { background: #b3261e; color: white; padding: 10px 14px; border-radius: 6px; font-weight: 600; margin: 12px 0; }
.legend { font-size: 0.88em; color: #3c4350; }
.charts { display: flex; flex-direction: column; gap: 18px; }
svg.chart { background: #fafbfc; border: 1px solid #d0d5de; border-radius: 4px; }
svg .ctitle { font-weight: 600; font-size: 14px; fill: #1d2330; }
svg .clabel, svg .cvalue { font-size: 12px; fill: #1d2330; }
svg .bar.measured { fill: #2f6fd6; } svg .bar.paper { fill: #9aa4b5; } svg .bar.loaded { fill: #4f9d69; }
svg .bar.resident { fill: #c77c1e; } svg .bar.estimated { fill: #d6a82f; }
dl.env { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; font-size: 0.9em; }
dl.env dt { font-weight: 600; } dl.env dd { margin: 0; word-break: break-all; }
code { font-size: 0.9em; }
ol.footnotes { font-size: 0.88em; }
)css";
}

}  // namespace bitnet::reports
