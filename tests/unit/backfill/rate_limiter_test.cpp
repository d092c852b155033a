#include "backfill/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/manual_steady_clock.hpp"

namespace bw::backfill {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, TheFirstGrantIsImmediateAndTheNextWaitsItsShare) {
  testing::ManualSteadyClock clock;
  RateLimiter limiter(5.0, clock);  // 5 jobs/s: a batch of 10 holds the next for 2 s
  core::StopSource stop;
  ASSERT_TRUE(limiter.acquire(10, stop.get_token()));
  EXPECT_EQ(clock.wakeups(), 0);
  bool granted = false;
  std::thread t([&] { granted = limiter.acquire(10, stop.get_token()); });
  ASSERT_TRUE(clock.wait_for_sleepers(1));
  clock.advance(1999ms);
  EXPECT_FALSE(granted);
  clock.advance(1ms);
  t.join();
  EXPECT_TRUE(granted);
}

TEST(RateLimiter, IdleTimeBuildsNoBurst) {
  testing::ManualSteadyClock clock;
  RateLimiter limiter(10.0, clock);
  core::StopSource stop;
  ASSERT_TRUE(limiter.acquire(10, stop.get_token()));
  clock.advance(60s);                                  // a long listing pause
  ASSERT_TRUE(limiter.acquire(10, stop.get_token()));  // due long ago: at once
  std::thread t([&] { limiter.acquire(10, stop.get_token()); });
  ASSERT_TRUE(clock.wait_for_sleepers(1));  // but the one after waits its full second
  clock.advance(1s);
  t.join();
}

TEST(RateLimiter, AStopEndsTheWaitWithoutAGrant) {
  testing::ManualSteadyClock clock;
  RateLimiter limiter(1.0, clock);
  core::StopSource stop;
  ASSERT_TRUE(limiter.acquire(10, stop.get_token()));
  bool granted = true;
  std::thread t([&] { granted = limiter.acquire(10, stop.get_token()); });
  ASSERT_TRUE(clock.wait_for_sleepers(1));
  stop.request_stop();
  t.join();
  EXPECT_FALSE(granted);
}

TEST(RateLimiter, ZeroMeansNoLimit) {
  testing::ManualSteadyClock clock;
  RateLimiter limiter(0, clock);
  core::StopSource stop;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.acquire(10, stop.get_token()));
  EXPECT_EQ(clock.wakeups(), 0);
  stop.request_stop();
  EXPECT_FALSE(limiter.acquire(1, stop.get_token()));
}

}  // namespace
}  // namespace bw::backfill
