// detectable_content:number_placeholders, detectable_content:postscript,
// detectable_format:number_bullet_lists, constrained_response, number_highlighted_sections,
// multiple_sections, json_format, title.
#include <memory>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"
#include "evals/metrics/ifeval/instructions.h"

namespace bitnet::evals::ifeval {

namespace {

Checker Placeholders(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "num_placeholders");
  return [n](const std::string& v) {
    static const PyRegex re("\\[.*?\\]");
    return static_cast<int>(re.FindIter(v).size()) >= n;
  };
}

Checker Postscript(const nlohmann::json& kw, const std::string&) {
  const std::string marker = py::Strip(RequireString(kw, "postscript_marker"));
  std::string pattern;
  if (marker == "P.P.S") {
    pattern = "\\s*p\\.\\s?p\\.\\s?s.*$";
  } else if (marker == "P.S.") {
    pattern = "\\s*p\\.\\s?s\\..*$";
  } else {
    pattern = "\\s*" + py::Lower(marker) + ".*$";  // unescaped, as IFEval
  }
  auto re = std::make_shared<PyRegex>(pattern, PyRegex::kMultiline);
  return [re](const std::string& v) { return re->Contains(py::Lower(v)); };
}

Checker BulletLists(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "num_bullets");
  return [n](const std::string& v) {
    static const PyRegex star("^\\s*\\*[^\\*].*$", PyRegex::kMultiline);
    static const PyRegex dash("^\\s*-.*$", PyRegex::kMultiline);
    return static_cast<int>(star.FindIter(v).size() + dash.FindIter(v).size()) == n;
  };
}

Checker ConstrainedResponse(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    const std::string s = py::Strip(v);
    for (const char* opt : {"My answer is yes.", "My answer is no.", "My answer is maybe."})
      if (s.find(opt) != std::string::npos) return true;
    return false;
  };
}

Checker Highlights(const nlohmann::json& kw, const std::string&) {
  const int n = RequireInt(kw, "num_highlights");
  return [n](const std::string& v) {
    static const PyRegex single("\\*[^\\n\\*]*\\*");
    static const PyRegex dbl("\\*\\*[^\\n\\*]*\\*\\*");
    int count = 0;
    for (const PyMatch& m : single.FindIter(v))
      if (!py::Strip(py::Strip(*m.groups[0], "*")).empty()) ++count;
    for (const PyMatch& m : dbl.FindIter(v)) {
      const std::string& h = *m.groups[0];
      if (!py::Strip(h.substr(2, h.size() - 4)).empty()) ++count;
    }
    return count >= n;
  };
}

Checker Sections(const nlohmann::json& kw, const std::string&) {
  const std::string splitter = py::Strip(RequireString(kw, "section_spliter"));
  const int n = RequireInt(kw, "num_sections");
  auto re = std::make_shared<PyRegex>("\\s?" + splitter + "\\s?\\d+\\s?");
  return [re, n](const std::string& v) { return static_cast<int>(re->Split(v).size()) - 1 >= n; };
}

std::string RemovePrefix(const std::string& s, const std::string& p) {
  return py::StartsWith(s, p) ? s.substr(p.size()) : s;
}

Checker JsonFormat(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    std::string s = py::Strip(v);
    for (const char* p : {"```json", "```Json", "```JSON", "```"}) s = RemovePrefix(s, p);
    if (py::EndsWith(s, "```")) s.resize(s.size() - 3);
    s = py::Strip(s);
    // Python json.loads also accepts NaN/Infinity literals; nlohmann does not (rare in practice).
    return nlohmann::json::accept(s);
  };
}

Checker Title(const nlohmann::json&, const std::string&) {
  return [](const std::string& v) {
    static const PyRegex re("<<[^\\n]+>>");
    for (const PyMatch& m : re.FindIter(v)) {
      if (!py::Strip(py::RStrip(py::LStrip(*m.groups[0], "<"), ">")).empty()) return true;
    }
    return false;
  };
}

}  // namespace

void AddFormatInstructions(std::vector<InstructionDef>& out) {
  out.push_back({"detectable_content:number_placeholders", Placeholders, "exact"});
  out.push_back({"detectable_content:postscript", Postscript, "exact"});
  out.push_back({"detectable_format:number_bullet_lists", BulletLists, "exact"});
  out.push_back({"detectable_format:constrained_response", ConstrainedResponse, "exact"});
  out.push_back({"detectable_format:number_highlighted_sections", Highlights, "exact"});
  out.push_back({"detectable_format:multiple_sections", Sections, "exact"});
  out.push_back({"detectable_format:json_format", JsonFormat,
                 "exact except NaN/Infinity literals (accepted by Python json, not here)"});
  out.push_back({"detectable_format:title", Title, "exact"});
}

}  // namespace bitnet::evals::ifeval
