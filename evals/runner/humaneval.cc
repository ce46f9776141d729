#include "evals/runner/humaneval.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace bitnet::evals {

using nlohmann::json;

namespace {

// spec.json: {"mode": "ground"|"check", "entry_point", "atol", "limits": [per-input seconds],
// "import_seconds"}; inputs.json: list of argument lists; expected.json (check): outputs.
// stdout (the solution's own prints go to stderr):
//   ground: {"status":"ok","times":[...]} then one line with the outputs as JSON.
//   check:  {"status":"pass","n":N}, or {"status":"fail"|"timeout"|"error","i":k,...}.
const char* kDriver = R"PY(import copy, json, math, os, signal, sys, time
_out = sys.stdout
sys.stdout = sys.stderr
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)
def _emit(obj, raw=None):
    _out.write(json.dumps(obj) + "\n")
    if raw is not None:
        _out.write(raw + "\n")
    _out.flush()
def _quit(code):
    try:
        _out.flush(); sys.stderr.flush()
    finally:
        os._exit(code)
class _Timeout(BaseException):
    pass
def _alarm(signum, frame):
    raise _Timeout()
signal.signal(signal.SIGALRM, _alarm)
with open("spec.json") as f:
    spec = json.load(f)
with open("inputs.json") as f:
    inputs = json.load(f)
expected = None
if spec["mode"] == "check":
    with open("expected.json") as f:
        expected = json.load(f)
with open("solution.py") as f:
    src = f.read()
def _default(o):
    if isinstance(o, (set, frozenset)):
        return sorted(o, key=repr)
    return repr(o)
def _norm(x):
    return json.loads(json.dumps(x, default=_default))
def _is_floats(x):
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)) and x:
        return all(isinstance(i, float) for i in x)
    return False
def _close(a, b, atol):
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(_close(x, y, atol) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return a == b
    if math.isnan(a) or math.isnan(b):
        return False
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + 1e-07 * abs(b)
def _poly(xs, x):
    return sum(coeff * math.pow(x, i) for i, coeff in enumerate(xs))
ns = {"__name__": "__solution__"}
signal.setitimer(signal.ITIMER_REAL, spec["import_seconds"])
try:
    exec(compile(src, "solution.py", "exec"), ns)
    fn = ns[spec["entry_point"]]
    signal.setitimer(signal.ITIMER_REAL, 0)
except _Timeout:
    _emit({"status": "timeout", "stage": "import"}); _quit(1)
except BaseException as e:
    signal.setitimer(signal.ITIMER_REAL, 0)
    _emit({"status": "error", "stage": "import", "error": repr(e)[:300]}); _quit(1)
atol = spec["atol"]
outs, times = [], []
for i, inp in enumerate(inputs):
    limit = spec["limits"][i] if spec["limits"] else spec["default_limit"]
    try:
        args = copy.deepcopy(inp)
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        out = fn(*args)
        signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t0)
        out = _norm(out)
    except _Timeout:
        _emit({"status": "timeout", "i": i}); _quit(1)
    except BaseException as e:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _emit({"status": "error", "i": i, "error": repr(e)[:300]}); _quit(1)
    if expected is None:
        outs.append(out)
        continue
    exp = expected[i]
    a = atol
    if a == 0 and _is_floats(exp):
        a = 1e-6
    ok = out == exp or (a != 0 and _close(out, exp, a))
    if not ok and spec["entry_point"] == "find_zero":
        try:
            ok = abs(_poly(*inp, out)) <= atol
        except BaseException:
            ok = False
    if not ok:
        _emit({"status": "fail", "i": i, "got": repr(out)[:200], "expected": repr(exp)[:200]}); _quit(1)
if expected is None:
    _emit({"status": "ok", "times": times}, json.dumps(outs))
else:
    _emit({"status": "pass", "n": len(inputs)})
_quit(0)
)PY";

std::string StripFences(const std::string& text) {
  std::string s = text;
  // A fenced block inside the generation: take the first ```python / ``` block's contents.
  const size_t open = s.find("```");
  if (open != std::string::npos) {
    // Text before the first fence is code (gen_prefix opened the block); keep it unless empty.
    std::string before = s.substr(0, open);
    if (before.find_first_not_of(" \t\r\n") != std::string::npos) return before;
    size_t nl = s.find('\n', open);
    if (nl == std::string::npos) return "";
    const size_t close = s.find("```", nl + 1);
    return s.substr(nl + 1, close == std::string::npos ? std::string::npos : close - nl - 1);
  }
  return s;
}

std::string LastLine(const std::string& s, size_t from_end = 0) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  if (lines.size() <= from_end) return "";
  return lines[lines.size() - 1 - from_end];
}

std::string Short(const std::string& s, size_t n = 300) { return s.size() > n ? s.substr(0, n) + "..." : s; }

}  // namespace

const std::string& HumanEvalDriverSource() {
  static const std::string s = kDriver;
  return s;
}

std::string BuildHumanEvalSolution(const json& doc, const std::string& generation) {
  const std::string code = StripFences(generation);
  const std::string entry = doc.at("entry_point").get<std::string>();
  if (code.find("def " + entry + "(") != std::string::npos) return code;
  return doc.at("prompt").get<std::string>() + code;
}

HumanEvalChecker::Expected HumanEvalChecker::RunGround(const json& doc, const json& inputs) {
  json spec = {{"mode", "ground"},
               {"entry_point", doc.at("entry_point")},
               {"atol", doc.value("atol", 0.0)},
               {"limits", json::array()},
               {"default_limit", 60.0},
               {"import_seconds", 30.0}};
  const std::string solution = doc.at("prompt").get<std::string>() + doc.at("canonical_solution").get<std::string>();
  CodeLimits lim;
  lim.wall_seconds = 120 + 2.0 * static_cast<double>(inputs.size());
  lim.cpu_seconds = lim.wall_seconds;
  lim.max_output_bytes = 256u << 20;
  const CodeResult r = exec_.RunPython({{"driver.py", kDriver},
                                        {"spec.json", spec.dump()},
                                        {"inputs.json", inputs.dump()},
                                        {"solution.py", solution}},
                                       "driver.py", "", lim);
  const std::string task_id = doc.value("task_id", "?");
  if (!r.Succeeded())
    throw std::runtime_error(fmt::format("humaneval: canonical solution of {} failed in the executor (exit {}, "
                                         "signal {}, {}{}): {}",
                                         task_id, r.exit_code, r.term_signal, r.killed_reason,
                                         r.error.empty() ? "" : ", " + r.error,
                                         Short(LastLine(r.stdout_text) + " " + LastLine(r.stderr_text))));
  Expected e;
  json head;
  try {
    head = json::parse(LastLine(r.stdout_text, 1));
  } catch (const std::exception&) {
  }
  if (!head.is_object() || head.value("status", "") != "ok")
    throw std::runtime_error(fmt::format("humaneval: unreadable canonical output for {}: {}", task_id,
                                         Short(r.stdout_text)));
  e.times = head.at("times").get<std::vector<double>>();
  e.outputs_json = LastLine(r.stdout_text);
  if (e.times.size() != inputs.size())
    throw std::runtime_error(fmt::format("humaneval: canonical run of {} gave {} timings for {} inputs", task_id,
                                         e.times.size(), inputs.size()));
  return e;
}

const HumanEvalChecker::TaskCache& HumanEvalChecker::Ground(const json& doc) {
  const std::string id = doc.value("task_id", doc.at("entry_point").get<std::string>());
  auto it = cache_.find(id);
  if (it != cache_.end()) return it->second;
  TaskCache c;
  try {
    c.base = RunGround(doc, doc.value("base_input", json::array()));
    c.plus = RunGround(doc, doc.value("plus_input", json::array()));
  } catch (const std::runtime_error& e) {
    c.error = e.what();
  }
  return cache_.emplace(id, std::move(c)).first->second;
}

HumanEvalSetResult HumanEvalChecker::RunSet(const json& doc, const std::string& solution, const json& inputs,
                                            const Expected& exp) {
  std::vector<double> limits;
  for (double t : exp.times) limits.push_back(std::max(min_time_limit, gt_time_factor * t));
  const double import_seconds = 4.0;
  json spec = {{"mode", "check"},
               {"entry_point", doc.at("entry_point")},
               {"atol", doc.value("atol", 0.0)},
               {"limits", limits},
               {"default_limit", min_time_limit},
               {"import_seconds", import_seconds}};
  CodeLimits lim;
  lim.wall_seconds = std::accumulate(limits.begin(), limits.end(), 0.0) + import_seconds + 5.0;
  lim.cpu_seconds = lim.wall_seconds;
  lim.max_output_bytes = 4u << 20;
  const CodeResult r = exec_.RunPython({{"driver.py", kDriver},
                                        {"spec.json", spec.dump()},
                                        {"inputs.json", inputs.dump()},
                                        {"expected.json", exp.outputs_json},
                                        {"solution.py", solution}},
                                       "driver.py", "", lim);
  HumanEvalSetResult out;
  json last;
  try {
    last = json::parse(LastLine(r.stdout_text));
  } catch (const std::exception&) {
  }
  const std::string st = last.is_object() ? last.value("status", "") : "";
  if (r.Succeeded() && st == "pass" && last.value("n", -1) == static_cast<int>(inputs.size())) {
    out.passed = true;
    out.status = "pass";
    return out;
  }
  if (r.timed_out || r.killed_reason == "wall" || r.killed_reason == "cpu" || st == "timeout") out.status = "timeout";
  else if (st == "fail") out.status = "fail";
  else out.status = "error";
  std::string d = last.is_object() ? last.dump() : "";
  if (!r.error.empty()) d += " " + r.error;
  if (!r.Succeeded() && !(r.killed_reason.empty() || r.killed_reason == "none")) d += " killed: " + r.killed_reason;
  if (d.empty()) d = LastLine(r.stderr_text);
  out.detail = Short(d);
  return out;
}

HumanEvalResult HumanEvalChecker::Check(const json& doc, const std::string& generation) {
  const TaskCache& gt = Ground(doc);
  HumanEvalResult res;
  res.solution = BuildHumanEvalSolution(doc, generation);
  if (!gt.error.empty()) {
    res.canonical_error = Short(gt.error, 600);
    res.base = {false, "error", "canonical solution failed; no expected outputs"};
    res.plus = {false, "error", "canonical solution failed; no expected outputs"};
    return res;
  }
  res.base = RunSet(doc, res.solution, doc.value("base_input", json::array()), gt.base);
  if (res.base.passed) {
    res.plus = RunSet(doc, res.solution, doc.value("plus_input", json::array()), gt.plus);
  } else {
    res.plus.status = "skipped";
    res.plus.detail = "base failed";
  }
  return res;
}

}  // namespace bitnet::evals
