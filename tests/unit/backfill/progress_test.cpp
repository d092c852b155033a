#include "backfill/progress.hpp"

#include <gtest/gtest.h>

namespace bw::backfill {
namespace {

using std::chrono::milliseconds;

TEST(BackfillProgress, ABarWhenTheTotalIsKnown) {
  Progress p;
  p.expected = 100;
  p.listed = 35;
  p.queued = 33;
  p.skipped = 2;
  p.queued_this_run = 33;
  p.elapsed = milliseconds(2640);
  EXPECT_EQ(progress_bar(p, 20), "[#######.............]  35/100  queued 33  skipped 2  12.5/s");
}

TEST(BackfillProgress, CountsWhenOnlyTheListingKnows) {
  Progress p;
  p.pages = 12;
  p.listed = 1200;
  p.queued = 1190;
  p.skipped = 10;
  EXPECT_EQ(progress_bar(p), "page 12  listed 1200  queued 1190  skipped 10  0.0/s");
  EXPECT_EQ(progress_line(p), "backfill: page 12, listed 1200, queued 1190, skipped 10 (0.0/s)");
}

TEST(BackfillProgress, Summaries) {
  Progress p;
  p.listed = 1200;
  p.queued = 1190;
  p.queued_this_run = 1190;
  p.skipped = 10;
  p.elapsed = milliseconds(95200);
  EXPECT_EQ(summary(p, true, false),
            "Backfill complete: listed 1200 entries, queued 1190 jobs, skipped 10 in 95.2 s.");
  EXPECT_EQ(summary(p, false, false),
            "Backfill stopped: listed 1200 entries, queued 1190 jobs, skipped 10 so far.");
  EXPECT_EQ(summary(p, true, true),
            "Dry run: 1190 entries would be queued (10 skipped); nothing was queued.");
  p.queued_this_run = 190;
  EXPECT_EQ(
      summary(p, true, false),
      "Backfill complete: listed 1200 entries, queued 1190 jobs (190 in this run), skipped 10 in 95.2 s.");
}

}  // namespace
}  // namespace bw::backfill
