#pragma once
// The closed template grammar of task files (no host language, STYLE.md "things to avoid" 5).
//
//   template   := ( text | "{{" expr "}}" )*
//   expr       := path ( "|" filter )*
//   path       := name ( "." name | "[" integer "]" )*        e.g. question.choices[0].text
//   filter     := strip | lstrip | rstrip | lower | upper | join "(" string ")"
//   string     := '"' ... '"' | "'" ... "'"   (escapes \n \t \\ \" \')
//
// Whitespace is allowed inside the braces. Strings render as-is, integers in decimal; anything else
// (floats, booleans, null, lists, objects) is an error in a string context. A template that is one
// expression and nothing else can also be rendered as a value (RenderValue), which keeps lists:
// "{{choices}}" gives the list for doc_to_choice or a list of targets. Anything the grammar cannot
// say is a named C++ hook (evals/hooks/registry.h). Errors are InputErrors naming the task file,
// the JSON path of the template, the template text and what is wrong.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitnet::evals {

struct TemplateFilter {
  enum class Kind { kStrip, kLstrip, kRstrip, kLower, kUpper, kJoin };
  Kind kind;
  std::string arg;  // join separator
};

struct TemplatePart {
  bool is_expr = false;
  std::string text;                      // literal text, or the expression's source
  std::vector<std::string> path;         // names; an index is stored as "[N]"
  std::vector<TemplateFilter> filters;
};

class Template {
 public:
  Template() = default;
  // `file` and `where` (a JSON path such as "/doc_to_text") only label errors.
  static Template Parse(const std::string& source, const std::string& file, const std::string& where);

  std::string Render(const nlohmann::json& doc) const;
  // For single-expression templates, the value with its JSON type (after filters); otherwise the
  // rendered string.
  nlohmann::json RenderValue(const nlohmann::json& doc) const;

  bool single_expression() const { return parts_.size() == 1 && parts_[0].is_expr; }
  const std::string& source() const { return source_; }
  bool empty() const { return source_.empty(); }

 private:
  nlohmann::json Eval(const TemplatePart& part, const nlohmann::json& doc) const;
  [[noreturn]] void Fail(const std::string& what) const;

  std::string source_, file_, where_;
  std::vector<TemplatePart> parts_;
};

// Python's str.strip()/lstrip()/rstrip() without arguments: removes every code point for which
// str.isspace() is true (ASCII \t\n\v\f\r, U+001C..U+001F, space, U+0085, U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) from UTF-8 text. `lower`/`upper` in
// templates change ASCII letters only.
std::string PyStrip(const std::string& s, bool left = true, bool right = true);

}  // namespace bitnet::evals
