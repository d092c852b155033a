#include "core/stop.hpp"

#include <gtest/gtest.h>

#include <future>

#include "support/manual_steady_clock.hpp"

namespace bw::core {
namespace {
using namespace std::chrono_literals;

TEST(StopSleep, AStopEndsAnHourLongSleepAndSaysSo) {
  StopSource source;
  std::promise<void> about_to_sleep;
  auto slept = std::async(std::launch::async, [&] {
    about_to_sleep.set_value();
    return sleep_for(std::chrono::hours(1), source.get_token());
  });
  about_to_sleep.get_future().wait();
  source.request_stop();
  ASSERT_EQ(slept.wait_for(60s), std::future_status::ready);  // hang guard: an hour otherwise
  EXPECT_FALSE(slept.get());
}

TEST(StopSleep, AStopRequestedBeforeTheSleepReturnsFalse) {
  StopSource source;
  source.request_stop();
  EXPECT_FALSE(sleep_for(std::chrono::hours(1), source.get_token()));
}

TEST(StopSleep, ASleepWithoutAStopRunsItsCourse) {
  EXPECT_TRUE(sleep_for(1ms, StopToken{}));
  StopSource source;
  EXPECT_TRUE(sleep_for(1ms, source.get_token()));
}

TEST(ManualSteadyClock, SleepsEndWhenTheTestMovesTheClockOrStops) {
  bw::testing::ManualSteadyClock clock;
  StopSource source;
  auto timed = std::async(std::launch::async, [&] { return clock.sleep_for(60s, source.get_token()); });
  ASSERT_TRUE(clock.wait_for_sleepers(1));
  clock.advance(59s);
  clock.advance(1s);
  ASSERT_EQ(timed.wait_for(60s), std::future_status::ready);
  EXPECT_TRUE(timed.get());

  auto stopped = std::async(std::launch::async, [&] { return clock.sleep_for(60s, source.get_token()); });
  ASSERT_TRUE(clock.wait_for_sleepers(1));
  source.request_stop();
  ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready);
  EXPECT_FALSE(stopped.get());
}

}  // namespace
}  // namespace bw::core
