#pragma once
// HTML building blocks for the renderers: escaping (every string from a document is untrusted),
// badges with numbered footnotes, and horizontal bar charts as inline SVG.
#include <string>
#include <string_view>
#include <vector>

#include "reports/paper_table.h"

namespace bitnet::reports {

// Escapes & < > " ' so the text is inert in element content and in quoted attributes.
std::string Esc(std::string_view s);

// Footnotes numbered in order of first use; the same text gets the same number.
class Footnotes {
 public:
  int Add(const std::string& text);
  // <ol class="footnotes"> with an id per note (the badges link to them); empty if none.
  std::string Render() const;

 private:
  std::vector<std::string> notes_;
};

// <span class="badge b-synthetic">synthetic<sup><a href="#fn3">3</a></sup></span>
std::string BadgeHtml(const Mark& mark, Footnotes& notes);

struct Bar {
  std::string label;  // left of the bar
  double value = 0;
  std::string text;   // printed after the bar ("61.2 ms")
  std::string cls;    // CSS class: "measured" | "paper" | "loaded" | "resident" | "estimated"
};

// A horizontal bar chart (inline <svg> with a <title>); bars scaled to the largest value.
std::string BarChart(const std::string& title, const std::vector<Bar>& bars);

// The inline stylesheet of every page.
const char* PageCss();

}  // namespace bitnet::reports
