// core/metrics.hpp
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bw::core::metrics {

//! Label name → value, in the order they are rendered. Values must come from a fixed set (a route, an
//! HTTP status, an enum): every distinct set is a series kept for the life of the process.
using Labels = std::vector<std::pair<std::string, std::string>>;

//! A count that only goes up. Lock-free.
class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

//! A value that goes up and down. Lock-free.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  void inc() { add(1); }
  void dec() { add(-1); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

//! Observations counted into fixed buckets (upper bounds, `le`), plus their sum. Lock-free: each bucket is
//! its own atomic, and the cumulative counts are computed when read.
class Histogram {
 public:
  //! `bounds`: finite, strictly increasing upper bounds; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> bounds);

  //! Counts `v` in the first bucket whose bound is >= v. NaN is ignored.
  void observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  //!< one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  //!< bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

//! Bucket bounds for durations in seconds, from a fast canvas click (50 ms) to a 30-minute export.
std::vector<double> duration_buckets();

//! The metrics of one process, rendered in the Prometheus text exposition format 0.0.4.
//! Registering takes a lock and returns a reference that stays valid for the registry's life; update the
//! returned series on hot paths (lock-free), not the registry. Registering the same name and labels again
//! returns the same series, so independent parts of the program can share one (e.g. a gauge).
//! Names and label names are the code's own: an invalid one is a programming error (asserted).
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  //! Every series of one histogram family shares the bounds of its first registration.
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       const Labels& labels = {});

  //! Families in registration order, each with `# HELP` and `# TYPE`, then its series in registration
  //! order; histograms as `_bucket{...,le="..."}` (cumulative, ending with le="+Inf"), `_sum`, `_count`.
  std::string render() const;

 private:
  struct Family;
  Family& family(std::string_view name, std::string_view help, int type);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
};

//! The HTTP Content-Type of render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

//! A label value escaped for the text format: backslash, double quote and newline as \\, \" and \n.
std::string escape_label_value(std::string_view value);
//! A HELP text escaped for the text format: backslash and newline as \\ and \n.
std::string escape_help(std::string_view help);
//! A sample value as the text format spells it: integers without a fraction, +Inf, -Inf, NaN, else the
//! shortest decimal that reads back as the same double.
std::string format_value(double v);

}  // namespace bw::core::metrics
