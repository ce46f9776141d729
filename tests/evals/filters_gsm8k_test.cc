// Filters and the Python-re semantics of the PCRE2 wrapper.
#include <catch2/catch.hpp>

#include "evals/filters/filters.h"
#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"

using namespace bitnet::evals;

TEST_CASE("gsm8k strict-match and flexible-extract on real-looking outputs", "[filters][gsm8k]") {
  const auto pipes = Gsm8kPipelines();
  REQUIRE(pipes.size() == 2);
  const FilterPipeline& strict = pipes[0];
  const FilterPipeline& flex = pipes[1];
  CHECK(strict.name() == "strict-match");
  CHECK(flex.name() == "flexible-extract");

  const std::string a = "Janet has 16 eggs. She eats 3.\nThe answer is 42.\n#### 42";
  CHECK(strict.ApplyOne(a) == "42");
  CHECK(flex.ApplyOne(a) == "42");

  const std::string b = "The total cost is $1,234.50";
  CHECK(strict.ApplyOne(b) == "[invalid]");
  CHECK(flex.ApplyOne(b) == "$1,234.50");

  const std::string c = "I have 3 apples and 5 pears";  // single digits: the second alternative
  CHECK(flex.ApplyOne(c) == "5");
  CHECK(strict.ApplyOne("no numbers at all") == "[invalid]");
  CHECK(flex.ApplyOne("no numbers at all") == "[invalid]");
  CHECK(strict.ApplyOne("#### -7\n#### 8") == "-7");  // first match
  CHECK(flex.ApplyOne("#### 1,000.") == "1,000.");

  // take_first keeps the first response only
  CHECK(strict.Apply({"#### 1", "#### 2"}) == std::vector<std::string>{"1"});
}

TEST_CASE("filter functions from JSON specs", "[filters]") {
  const auto p = FilterPipeline::FromJson(
      {{"name", "t"}, {"filter", {{{"function", "remove_whitespace"}}, {{"function", "lowercase"}},
                                  {{"function", "take_first"}}}}});
  CHECK(p.ApplyOne("  Paris \n") == "paris");
  const auto l = FilterPipeline::FromJson(
      {{"name", "l"}, {"filter", {{{"function", "remove_whitespace"}, {"mode", "lstrip"}}}}});
  CHECK(l.ApplyOne("  Paris ") == "Paris ");
  CHECK(NonePipeline().name() == "none");
  CHECK_THROWS(MakeFilter("no_such_filter"));
  const auto sel = MakeFilter("regex", {{"regex_pattern", "(\\d)"}, {"group_select", 5}});
  CHECK(sel->Apply({"1 2"}) == std::vector<std::string>{"[invalid]"});  // index out of range
  const auto upper = MakeFilter("uppercase");
  CHECK(upper->Apply({"abc"}) == std::vector<std::string>{"ABC"});
}

TEST_CASE("PyRegex follows Python re semantics", "[filters][regex]") {
  CHECK(PyRegex("x*").Sub("abxd", "-") == "-a-b--d-");  // Python 3.7+ empty-match rule
  CHECK(PyRegex("(a)|(b)").FindAll("ab") ==
        std::vector<std::vector<std::string>>{{"a", ""}, {"", "b"}});
  CHECK(PyRegex("\\w+").FindAll("h\xC3\xA9llo w").size() == 2);  // Unicode \w
  CHECK(PyRegex("a\\Z").Contains("a\n") == false);             // \Z = absolute end
  CHECK(PyRegex("a$").Contains("a\n"));                         // $ before a final newline
  CHECK(PyRegex("(\\d+)-(\\d+)").Sub("1-2", "\\2+\\g<1>") == "2+1");
  CHECK(PyRegex(",").Split("a,b,,c") == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(PyRegex("(,)").Split("a,b") == std::vector<std::string>{"a", ",", "b"});
  CHECK(PyRegex("ABC", PyRegex::kIgnoreCase).Contains("xabcx"));
  CHECK_THROWS_AS(PyRegex("("), std::invalid_argument);
  CHECK(PyRegex("(?s).*#### ").Sub("a\nb #### 5", "") == "5");
}

TEST_CASE("Python str helpers", "[filters][py]") {
  CHECK(py::Len("\xC3\xA9t\xC3\xA9") == 3);
  CHECK(py::Strip("\xC2\xA0 x \n") == "x");  // NBSP is whitespace in Python
  CHECK(py::Lower("\xC3\x89T\xC3\x89") == "\xC3\xA9t\xC3\xA9");
  CHECK(py::IsUpper("HELLO, WORLD 1"));
  CHECK_FALSE(py::IsUpper("123"));
  CHECK(py::IsLower("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"));  // привет
  CHECK(py::Strip("**x**", "*") == "x");
}
