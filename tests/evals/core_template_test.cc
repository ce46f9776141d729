#include <catch2/catch.hpp>

#include "common/error.h"
#include "evals/core/template.h"

using bitnet::evals::PyStrip;
using bitnet::evals::Template;
using nlohmann::json;

namespace {
Template T(const std::string& s) { return Template::Parse(s, "t.json", "/doc_to_text"); }
std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const bitnet::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("Template: fields, paths, indices, filters", "[evals][template]") {
  json doc = json::parse(R"({"q": "  Why?\n", "n": 3, "choices": {"text": ["a", "b"], "label": ["A", "B"]},
                             "list": [{"t": "x"}, {"t": "y"}], "s": "MiXed"})");
  CHECK(T("Question: {{q|strip}}\nAnswer:").Render(doc) == "Question: Why?\nAnswer:");
  CHECK(T("{{ choices.text[1] }}|{{list[0].t}}|{{n}}").Render(doc) == "b|x|3");
  CHECK(T("{{choices.label|join(\", \")}}").Render(doc) == "A, B");
  CHECK(T("{{ s | lower }}{{s|upper}}").Render(doc) == "mixedMIXED");
  CHECK(T("[{{q|lstrip}}]").Render(doc) == "[Why?\n]");
  CHECK(T("[{{q|rstrip}}]").Render(doc) == "[  Why?]");
  CHECK(T("no fields {x}").Render(doc) == "no fields {x}");
  CHECK(T("{{choices.text}}").RenderValue(doc) == json::array({"a", "b"}));
  CHECK(T("{{n}}").RenderValue(doc) == json(3));
  CHECK(T("x{{n}}").RenderValue(doc) == json("x3"));
}

TEST_CASE("Template: errors name the file, the JSON path and the template", "[evals][template]") {
  json doc = json::parse(R"({"a": "x", "l": ["p"], "f": 1.5})");
  std::string e = ErrorOf([&] { T("{{a.b}}").Render(doc); });
  CHECK(e.find("t.json: /doc_to_text: template \"{{a.b}}\"") == 0);
  CHECK(e.find("'a' is not an object") != std::string::npos);
  CHECK(ErrorOf([&] { T("{{missing}}").Render(doc); }).find("no field 'missing'") != std::string::npos);
  CHECK(ErrorOf([&] { T("{{l[3]}}").Render(doc); }).find("out of range") != std::string::npos);
  CHECK(ErrorOf([&] { T("{{l}}").Render(doc); }).find("not a string") != std::string::npos);
  CHECK(ErrorOf([&] { T("{{f}}").Render(doc); }).find("not a string") != std::string::npos);
  // Anything outside the grammar is a parse error.
  CHECK(ErrorOf([] { T("{{ question.strip() }}"); }).find("unexpected '()") != std::string::npos);
  CHECK(ErrorOf([] { T("{{a|title}}"); }).find("unknown filter 'title'") != std::string::npos);
  CHECK(ErrorOf([] { T("{{a"); }).find("unclosed") != std::string::npos);
  CHECK(ErrorOf([] { T("a}}"); }).find("unmatched") != std::string::npos);
  CHECK(ErrorOf([] { T("{% if x %}"); }).find("hook") != std::string::npos);
  CHECK(ErrorOf([] { T("{{choices.label.index(answerKey)}}"); }).find("unexpected") != std::string::npos);
  CHECK(ErrorOf([] { T("{{a[x]}}"); }).find("integer index") != std::string::npos);
}

TEST_CASE("PyStrip: Python's whitespace set, UTF-8 aware", "[evals][template]") {
  CHECK(PyStrip(" \t\n\v\f\r x y \x1c") == "x y");
  CHECK(PyStrip("\xc2\xa0" "a" "\xe3\x80\x80") == "a");          // U+00A0, U+3000
  CHECK(PyStrip("\xe2\x80\x8b" "a") == "\xe2\x80\x8b" "a");       // U+200B is not whitespace
  CHECK(PyStrip("   ") == "");
  CHECK(PyStrip("é ") == "é");
}
