#include "evals/runner/report.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "common/error.h"
#include "evals/metrics/stats.h"

namespace bitnet::evals {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct GroupRow {
  std::string group;
  std::vector<std::string> tasks;
  std::vector<MetricRow> rows;
  size_t n = 0;
};

// lm-eval's group aggregation with weight_by_size: the size-weighted mean of the subtasks
// (= the micro-average over documents for mean metrics), pooled sample stderr.
std::vector<GroupRow> Groups(const std::vector<TaskRun>& runs) {
  std::vector<GroupRow> out;
  std::map<std::string, std::vector<const TaskRun*>> by_group;
  std::vector<std::string> order;
  for (const auto& r : runs) {
    if (r.group.empty()) continue;
    if (!by_group.count(r.group)) order.push_back(r.group);
    by_group[r.group].push_back(&r);
  }
  for (const std::string& g : order) {
    const auto& members = by_group[g];
    GroupRow row;
    row.group = g;
    for (const TaskRun* r : members) {
      row.tasks.push_back(r->task);
      row.n += r->n_effective;
    }
    for (const MetricRow& m : members.front()->rows) {
      double sum = 0, size = 0;
      std::vector<double> stderrs, sizes;
      bool all = true, have_stderr = true;
      for (const TaskRun* r : members) {
        const MetricRow* found = nullptr;
        for (const auto& x : r->rows)
          if (x.metric == m.metric && x.filter == m.filter) found = &x;
        if (!found) {
          all = false;
          break;
        }
        const double n = static_cast<double>(r->n_effective);
        sum += found->value.value * n;
        size += n;
        sizes.push_back(n);
        if (found->value.stderr_value) stderrs.push_back(*found->value.stderr_value);
        else have_stderr = false;
      }
      if (!all || size == 0) continue;
      MetricRow gr = m;
      gr.value.value = sum / size;
      gr.value.stderr_value = std::nullopt;
      if (have_stderr && sizes.size() > 1) gr.value.stderr_value = PooledSampleStderr(stderrs, sizes);
      else if (have_stderr && sizes.size() == 1) gr.value.stderr_value = stderrs[0];
      row.rows.push_back(gr);
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string Num(double v) { return std::isnan(v) ? "nan" : fmt::format("{:.4f}", v); }

std::string FormatVersion(double v) {
  if (v == std::floor(v)) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

json ResultsJson(const std::vector<TaskRun>& runs) {
  json j;
  j["results"] = json::object();
  j["configs"] = json::object();
  j["versions"] = json::object();
  j["n-shot"] = json::object();
  j["higher_is_better"] = json::object();
  j["n-samples"] = json::object();
  json tasks = json::object();
  json order = json::array();
  for (const TaskRun& r : runs) {
    j["results"][r.task] = r.results;
    j["configs"][r.task] = r.config;
    j["versions"][r.task] = r.version;
    j["n-shot"][r.task] = r.n_shot;
    json hib = json::object();
    for (const auto& m : r.rows) hib[m.metric] = m.higher_is_better;
    j["higher_is_better"][r.task] = hib;
    j["n-samples"][r.task] = {{"original", r.n_original}, {"effective", r.n_effective}};
    tasks[r.task] = {{"output_type", r.output_type},
                     {"chat", r.chat},
                     {"add_bos", r.chat ? json("from the chat template") : json(r.add_bos)},
                     {"chat_format", r.chat_format.empty() ? json() : json(r.chat_format)},
                     {"request_stream_sha256", r.request_hash},
                     {"requests", r.n_requests},
                     {"loglikelihood_tokens_evaluated", r.tokens_evaluated},
                     {"loglikelihood_tokens_naive", r.tokens_naive},
                     {"generation_prompt_tokens", r.prompt_tokens},
                     {"generated_tokens", r.generated_tokens},
                     {"truncated_prompts", r.truncated_prompts},
                     {"requests_from_cache", r.requests_from_cache},
                     {"seconds", r.seconds}};
    if (!r.request_hash_full.empty() && r.request_hash_full != r.request_hash)
      tasks[r.task]["request_stream_sha256_full"] = r.request_hash_full;
    order.push_back(r.task);
  }
  j["groups"] = json::object();
  j["group_subtasks"] = json::object();
  for (const GroupRow& g : Groups(runs)) {
    json res = {{"alias", g.group}};
    for (const auto& m : g.rows) PutResult(res, m.metric, m.filter, m.value);
    j["groups"][g.group] = res;
    j["results"][g.group] = res;
    j["group_subtasks"][g.group] = g.tasks;
  }
  j["bitnet_eval"] = {{"tasks", tasks}, {"task_order", order}};
  return j;
}

std::string FormatTable(const std::vector<TaskRun>& runs) {
  struct Line {
    std::string task, version, filter, nshot, metric, dir, value, pm, err;
  };
  std::vector<Line> lines;
  auto add_rows = [&](const std::string& name, const std::string& version, const std::string& nshot,
                      const std::vector<MetricRow>& rows) {
    bool first = true;
    for (const auto& m : rows) {
      Line l;
      if (first) {
        l.task = name;
        l.version = version;
        l.nshot = nshot;
      }
      l.filter = m.filter;
      l.metric = m.metric;
      l.dir = m.higher_is_better ? "↑" : "↓";
      l.value = Num(m.value.value);
      l.pm = "±";
      l.err = m.value.stderr_value ? Num(*m.value.stderr_value) : "N/A";
      lines.push_back(l);
      first = false;
    }
  };
  for (const TaskRun& r : runs) add_rows(r.task, FormatVersion(r.version), std::to_string(r.n_shot), r.rows);
  for (const GroupRow& g : Groups(runs)) add_rows(g.group + " (group)", "", "", g.rows);

  const std::vector<std::string> head = {"Tasks", "Version", "Filter", "n-shot", "Metric", "Value", "± Stderr"};
  const std::vector<bool> right = {false, true, false, true, false, true, true};
  std::vector<size_t> w(head.size());
  auto cells = [](const Line& l) {
    return std::vector<std::string>{l.task, l.version, l.filter, l.nshot, l.metric + " " + l.dir, l.value,
                                    l.pm + " " + l.err};
  };
  auto width = [](const std::string& s) {  // display width: count UTF-8 lead bytes
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (size_t i = 0; i < head.size(); ++i) w[i] = width(head[i]);
  for (const Line& l : lines) {
    auto c = cells(l);
    for (size_t i = 0; i < c.size(); ++i) w[i] = std::max(w[i], width(c[i]));
  }
  auto row = [&](const std::vector<std::string>& c) {
    std::string s = "|";
    for (size_t i = 0; i < c.size(); ++i) {
      const std::string pad(w[i] - width(c[i]), ' ');
      s += " " + (right[i] ? pad + c[i] : c[i] + pad) + " |";
    }
    return s + "\n";
  };
  std::string out = row(head);
  out += "|";
  for (size_t i = 0; i < w.size(); ++i) out += std::string(w[i] + (right[i] ? 1 : 2), '-') + (right[i] ? ":|" : "|");
  out += "\n";
  for (const Line& l : lines) out += row(cells(l));
  return out;
}

std::string SamplesJsonl(const TaskRun& run) {
  std::string out;
  for (const json& s : run.samples) out += s.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  return out;
}

void WriteFileAtomic(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + fmt::format(".tmp{}", static_cast<long>(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(tmp.string(), "open", "cannot write");
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    f.flush();
    if (!f) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw InputError(tmp.string(), "write", "write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(path.string(), "rename", ec.message());
  }
}

}  // namespace bitnet::evals
