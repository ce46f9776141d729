#include "evals/filters/filters.h"

#include <stdexcept>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"

namespace bitnet::evals {

namespace {

class RegexFilter : public Filter {
 public:
  RegexFilter(const std::string& pattern, int group_select, std::string fallback)
      : re_(pattern), group_select_(group_select), fallback_(std::move(fallback)) {}

  std::vector<std::string> Apply(std::vector<std::string> resps) const override {
    for (std::string& r : resps) r = One(r);
    return resps;
  }

 private:
  std::string One(const std::string& resp) const {
    const auto matches = re_.FindAll(resp);
    if (matches.empty()) return fallback_;
    const long n = static_cast<long>(matches.size());
    const long idx = group_select_ < 0 ? n + group_select_ : group_select_;
    if (idx < 0 || idx >= n) return fallback_;
    const std::vector<std::string>& m = matches[idx];
    std::string picked;
    if (re_.group_count() <= 1) {
      picked = m[0];
    } else {  // a tuple: first non-empty group
      bool found = false;
      for (const std::string& g : m) {
        if (!g.empty()) {
          picked = g;
          found = true;
          break;
        }
      }
      if (!found) picked = fallback_;
    }
    return py::Strip(picked);
  }

  PyRegex re_;
  int group_select_;
  std::string fallback_;
};

class TakeFirstFilter : public Filter {
 public:
  std::vector<std::string> Apply(std::vector<std::string> resps) const override {
    if (resps.size() > 1) resps.resize(1);
    return resps;
  }
};

class WhitespaceFilter : public Filter {
 public:
  explicit WhitespaceFilter(bool lstrip_only) : lstrip_only_(lstrip_only) {}
  std::vector<std::string> Apply(std::vector<std::string> resps) const override {
    for (std::string& r : resps) r = lstrip_only_ ? py::LStrip(r) : py::Strip(r);
    return resps;
  }

 private:
  bool lstrip_only_;
};

class CaseFilter : public Filter {
 public:
  explicit CaseFilter(bool upper) : upper_(upper) {}
  std::vector<std::string> Apply(std::vector<std::string> resps) const override {
    for (std::string& r : resps) r = upper_ ? py::Upper(r) : py::Lower(r);
    return resps;
  }

 private:
  bool upper_;
};

}  // namespace

std::unique_ptr<Filter> MakeFilter(const std::string& function, const nlohmann::json& args) {
  const nlohmann::json a = args.is_object() ? args : nlohmann::json::object();
  if (function == "regex") {
    return std::make_unique<RegexFilter>(a.value("regex_pattern", std::string(kGsm8kStrictPattern)),
                                         a.value("group_select", 0),
                                         a.value("fallback", std::string("[invalid]")));
  }
  if (function == "take_first") return std::make_unique<TakeFirstFilter>();
  if (function == "remove_whitespace")
    return std::make_unique<WhitespaceFilter>(a.value("mode", std::string("strip")) == "lstrip");
  if (function == "lowercase") return std::make_unique<CaseFilter>(false);
  if (function == "uppercase") return std::make_unique<CaseFilter>(true);
  throw std::invalid_argument("unknown filter function '" + function + "'");
}

std::vector<std::string> RegisteredFilterNames() {
  return {"regex", "take_first", "remove_whitespace", "lowercase", "uppercase"};
}

FilterPipeline::FilterPipeline(std::string name, std::vector<std::unique_ptr<Filter>> steps)
    : name_(std::move(name)) {
  for (auto& s : steps) steps_.push_back(std::move(s));
}

FilterPipeline FilterPipeline::FromJson(const nlohmann::json& spec) {
  std::vector<std::unique_ptr<Filter>> steps;
  for (const auto& f : spec.at("filter")) {
    nlohmann::json args = f;
    args.erase("function");
    steps.push_back(MakeFilter(f.at("function").get<std::string>(), args));
  }
  return FilterPipeline(spec.at("name").get<std::string>(), std::move(steps));
}

std::vector<std::string> FilterPipeline::Apply(std::vector<std::string> resps) const {
  for (const auto& s : steps_) resps = s->Apply(std::move(resps));
  return resps;
}

std::string FilterPipeline::ApplyOne(const std::string& resp) const {
  auto out = Apply({resp});
  return out.empty() ? std::string() : out[0];
}

FilterPipeline NonePipeline() {
  std::vector<std::unique_ptr<Filter>> steps;
  steps.push_back(MakeFilter("take_first"));
  return FilterPipeline("none", std::move(steps));
}

std::vector<FilterPipeline> Gsm8kPipelines() {
  std::vector<FilterPipeline> out;
  out.push_back(FilterPipeline::FromJson(nlohmann::json::parse(R"J({"name": "strict-match", "filter": [
      {"function": "regex", "regex_pattern": "#### (\\-?[0-9\\.\\,]+)"},
      {"function": "take_first"}]})J")));
  out.push_back(FilterPipeline::FromJson(nlohmann::json::parse(R"J({"name": "flexible-extract", "filter": [
      {"function": "regex", "group_select": -1, "regex_pattern": "(-?[$0-9.,]{2,})|(-?[0-9]+)"},
      {"function": "take_first"}]})J")));
  return out;
}

}  // namespace bitnet::evals
