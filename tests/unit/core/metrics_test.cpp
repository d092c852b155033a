#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace bw::core::metrics {
namespace {

TEST(Metrics, RendersFamiliesInTheTextFormatWithHelpTypeAndLabels) {
  Registry r;
  r.counter("bw_requests_total", "Requests answered.", {{"route", "event"}, {"status", "200"}}).inc(3);
  r.counter("bw_requests_total", "Requests answered.", {{"route", "canvas"}, {"status", "401"}}).inc();
  r.gauge("bw_ready", "1 when ready.").set(1);
  r.gauge("bw_start_time_seconds", "Start.").set(1732615200.25);
  EXPECT_EQ(r.render(),
            "# HELP bw_requests_total Requests answered.\n"
            "# TYPE bw_requests_total counter\n"
            "bw_requests_total{route=\"event\",status=\"200\"} 3\n"
            "bw_requests_total{route=\"canvas\",status=\"401\"} 1\n"
            "# HELP bw_ready 1 when ready.\n"
            "# TYPE bw_ready gauge\n"
            "bw_ready 1\n"
            "# HELP bw_start_time_seconds Start.\n"
            "# TYPE bw_start_time_seconds gauge\n"
            "bw_start_time_seconds 1732615200.25\n");
}

TEST(Metrics, RegisteringTheSameNameAndLabelsAgainReturnsTheSameSeries) {
  Registry r;
  Counter& a = r.counter("bw_x_total", "X.", {{"kind", "package"}});
  Counter& b = r.counter("bw_x_total", "X.", {{"kind", "package"}});
  Counter& c = r.counter("bw_x_total", "X.", {{"kind", "canvas"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &c);
  Gauge& g1 = r.gauge("bw_running", "Running.");
  Gauge& g2 = r.gauge("bw_running", "Running.");
  EXPECT_EQ(&g1, &g2);
  a.inc();
  b.inc();
  EXPECT_EQ(a.value(), 2u);
  EXPECT_EQ(c.value(), 0u);
}

TEST(Metrics, EscapesLabelValuesAndHelpPerTheTextFormat) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_label_value("plain-1.0_x"), "plain-1.0_x");
  EXPECT_EQ(escape_help("back\\slash \"quotes\" stay\nnext"), "back\\\\slash \"quotes\" stay\\nnext");

  Registry r;
  r.gauge("bw_build_info", "Help with \\ and\nnewline.", {{"version", "1.0\"\\\n"}}).set(1);
  EXPECT_EQ(r.render(),
            "# HELP bw_build_info Help with \\\\ and\\nnewline.\n"
            "# TYPE bw_build_info gauge\n"
            "bw_build_info{version=\"1.0\\\"\\\\\\n\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeEndWithInfAndAgreeWithCount) {
  Registry r;
  Histogram& h =
      r.histogram("bw_job_duration_seconds", "Job durations.", {0.5, 1, 2.5}, {{"kind", "package"}});
  for (double v : {0.1, 0.5, 0.7, 1.0, 3.0, 100.0}) h.observe(v);  // 0.5 and 1.0 sit on their bound: le
  h.observe(std::numeric_limits<double>::quiet_NaN());             // ignored
  EXPECT_EQ(r.render(),
            "# HELP bw_job_duration_seconds Job durations.\n"
            "# TYPE bw_job_duration_seconds histogram\n"
            "bw_job_duration_seconds_bucket{kind=\"package\",le=\"0.5\"} 2\n"
            "bw_job_duration_seconds_bucket{kind=\"package\",le=\"1\"} 4\n"
            "bw_job_duration_seconds_bucket{kind=\"package\",le=\"2.5\"} 4\n"
            "bw_job_duration_seconds_bucket{kind=\"package\",le=\"+Inf\"} 6\n"
            "bw_job_duration_seconds_sum{kind=\"package\"} 105.3\n"
            "bw_job_duration_seconds_count{kind=\"package\"} 6\n");
  Histogram::Snapshot s = h.snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{2, 4, 4, 6}));
  EXPECT_EQ(s.count, 6u);
}

TEST(Metrics, HistogramWithoutLabelsPutsOnlyLeInBraces) {
  Registry r;
  r.histogram("bw_d_seconds", "D.", {1}).observe(2);
  EXPECT_EQ(r.render(),
            "# HELP bw_d_seconds D.\n"
            "# TYPE bw_d_seconds histogram\n"
            "bw_d_seconds_bucket{le=\"1\"} 0\n"
            "bw_d_seconds_bucket{le=\"+Inf\"} 1\n"
            "bw_d_seconds_sum 2\n"
            "bw_d_seconds_count 1\n");
}

TEST(Metrics, SeriesOfOneHistogramShareTheFirstRegistrationsBounds) {
  Registry r;
  r.histogram("bw_h_seconds", "H.", {1, 2}, {{"kind", "a"}});
  Histogram& b = r.histogram("bw_h_seconds", "H.", {5}, {{"kind", "b"}});
  EXPECT_EQ(b.bounds(), (std::vector<double>{1, 2}));
}

TEST(Metrics, DurationBucketsAreStrictlyIncreasingFromFiftyMillisecondsToHalfAnHour) {
  auto b = duration_buckets();
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b.front(), 0.05);
  EXPECT_EQ(b.back(), 1800);
  for (std::size_t i = 1; i < b.size(); ++i) EXPECT_LT(b[i - 1], b[i]);
}

TEST(Metrics, FormatsValuesAsTheTextFormatSpellsThem) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(12345678901.0), "12345678901");
  EXPECT_EQ(format_value(0.05), "0.05");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(1e300), "1e+300");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(Metrics, ConcurrentUpdatesFromManyThreadsAllCount) {
  Registry r;
  Counter& c = r.counter("bw_c_total", "C.", {{"kind", "package"}});
  Gauge& g = r.gauge("bw_g", "G.");
  Histogram& h = r.histogram("bw_h_seconds", "H.", {0.5});
  constexpr int kThreads = 8, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        c.inc();
        g.inc();
        g.dec();
        g.add(1);
        h.observe(t % 2 ? 0.25 : 1.0);
        // Lookups and renders racing the updates must neither block them nor lose any.
        if (i % 5000 == 0) {
          r.counter("bw_c_total", "C.", {{"kind", "package"}});
          (void)r.render();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), std::uint64_t(kThreads) * kEach);
  EXPECT_EQ(g.value(), double(kThreads) * kEach);
  Histogram::Snapshot s = h.snapshot();
  EXPECT_EQ(s.count, std::uint64_t(kThreads) * kEach);
  EXPECT_EQ(s.cumulative[0], std::uint64_t(kThreads / 2) * kEach);  // the 0.25s
  EXPECT_DOUBLE_EQ(s.sum, (kThreads / 2) * kEach * (0.25 + 1.0));
}

TEST(Metrics, EmptyRegistryRendersNothing) {
  Registry r;
  EXPECT_EQ(r.render(), "");
  EXPECT_EQ(kContentType, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace
}  // namespace bw::core::metrics
