#include "core/metrics.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <functional>

namespace bw::core::metrics {
namespace {

enum Type { kCounter, kGauge, kHistogram };

const char* type_name(int type) {
  switch (type) {
    case kCounter:
      return "counter";
    case kGauge:
      return "gauge";
    default:
      return "histogram";
  }
}

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

//! [a-zA-Z_:][a-zA-Z0-9_:]*
[[maybe_unused]] bool valid_metric_name(std::string_view name) {
  if (name.empty() || !(is_name_start(name[0]) || name[0] == ':')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c) || c == ':'; });
}

//! [a-zA-Z_][a-zA-Z0-9_]*, and not the reserved "__" prefix.
[[maybe_unused]] bool valid_label_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0]) || name.starts_with("__")) return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

//! `a="x",b="y"`: the inside of a series' braces, built once at registration.
std::string render_labels(const Labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out.push_back(',');
    out.append(name).append("=\"").append(escape_label_value(value)).push_back('"');
  }
  return out;
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix, std::string_view labels,
                   std::string_view value) {
  out.append(name).append(suffix);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).push_back('\n');
}

}  // namespace

namespace {
// The exposition format's escapes: backslash and newline always, the double quote inside label values.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}
}  // namespace

std::string escape_label_value(std::string_view value) {
  return escape(value, true);
}

std::string escape_help(std::string_view help) {
  return escape(help, false);
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Whole numbers (counts, bytes, 0/1 flags) print without a fraction or exponent, as people expect.
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) {  // 2^53: exact in a double
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return std::string(buf, end);
}

std::vector<double> duration_buckets() {
  return {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  // Invariant of the code that registers it: bounds are finite and strictly increasing.
  assert(std::adjacent_find(bounds_.begin(), bounds_.end(), std::greater_equal<>()) == bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  if (std::isnan(v)) return;
  const auto i = std::size_t(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  s.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  // The count is the +Inf bucket by construction, so the two always agree in one scrape.
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

struct Registry::Family {
  struct Series {
    Labels labels;
    std::string rendered;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  std::string name, help;
  int type = kCounter;
  std::vector<double> bounds;
  std::vector<std::unique_ptr<Series>> series;

  Series& find_or_add(const Labels& labels) {
    for (auto& s : series)
      if (s->labels == labels) return *s;
    for ([[maybe_unused]] const auto& [label, _] : labels) {
      assert(valid_label_name(label));
      assert(!(type == kHistogram && label == "le"));  // reserved for the bucket bound
    }
    auto s = std::make_unique<Series>();
    s->labels = labels;
    s->rendered = render_labels(labels);
    series.push_back(std::move(s));
    return *series.back();
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family& Registry::family(std::string_view name, std::string_view help, int type) {
  assert(valid_metric_name(name));
  for (auto& f : families_) {
    if (f->name != name) continue;
    assert(f->type == type);  // one name, one type: the code registers both
    return *f;
  }
  auto f = std::make_unique<Family>();
  f->name = name;
  f->help = help;
  f->type = type;
  families_.push_back(std::move(f));
  return *families_.back();
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& s = family(name, help, kCounter).find_or_add(labels);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& s = family(name, help, kGauge).find_or_add(labels);
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                               const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& f = family(name, help, kHistogram);
  if (f.series.empty()) f.bounds = std::move(bounds);
  auto& s = f.find_or_add(labels);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(f.bounds);
  return *s.histogram;
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(families_.size() * 256);
  for (const auto& f : families_) {
    out.append("# HELP ").append(f->name).append(" ").append(escape_help(f->help)).push_back('\n');
    out.append("# TYPE ").append(f->name).append(" ").append(type_name(f->type)).push_back('\n');
    for (const auto& s : f->series) {
      if (s->counter) {
        append_sample(out, f->name, "", s->rendered, std::to_string(s->counter->value()));
      } else if (s->gauge) {
        append_sample(out, f->name, "", s->rendered, format_value(s->gauge->value()));
      } else if (s->histogram) {
        const Histogram::Snapshot snap = s->histogram->snapshot();
        const std::string prefix = s->rendered.empty() ? "" : s->rendered + ",";
        for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
          const std::string le = i < snap.bounds.size() ? format_value(snap.bounds[i]) : "+Inf";
          append_sample(out, f->name, "_bucket", prefix + "le=\"" + le + "\"",
                        std::to_string(snap.cumulative[i]));
        }
        append_sample(out, f->name, "_sum", s->rendered, format_value(snap.sum));
        append_sample(out, f->name, "_count", s->rendered, std::to_string(snap.count));
      }
    }
  }
  return out;
}

}  // namespace bw::core::metrics
