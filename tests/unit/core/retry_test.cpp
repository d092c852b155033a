#include "core/retry.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace bw::core {
namespace {
using namespace std::chrono_literals;
using std::chrono::milliseconds;

//! A Retry whose sleeps are recorded, not waited.
struct Recorded {
  explicit Recorded(RetryPolicy policy, StopToken stop = {})
      : retry(policy, std::move(stop), [this](milliseconds d, const StopToken&) {
          sleeps.push_back(d);
          return true;
        }) {}
  std::vector<milliseconds> sleeps;
  Retry retry;
};

RetryPolicy policy(unsigned attempts, milliseconds base = 100ms, milliseconds cap = 250ms) {
  RetryPolicy p;
  p.max_attempts = attempts;
  p.base = base;
  p.cap = cap;
  p.jitter_seed = 7;
  return p;
}

Error failure() {
  return make_error(ErrorCode::kTransport, "cannot reach example.com");
}

TEST(Retry, StopsAtTheFirstResult) {
  Recorded r(policy(4));
  int calls = 0;
  auto out = r.retry.run<int>("test call", {}, [&](unsigned, bool) -> Attempt<int> {
    ++calls;
    return 42;
  });
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, 42);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(r.sleeps.empty());
}

TEST(Retry, MakesAtMostMaxAttemptsAndTellsTheLastOne) {
  Recorded r(policy(3));
  std::vector<std::pair<unsigned, bool>> seen;
  auto out = r.retry.run<int>("test call", {}, [&](unsigned n, bool last) -> Attempt<int> {
    seen.emplace_back(n, last);
    if (last) return failure();
    return TryAgain{"HTTP 503"};
  });
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kTransport);
  EXPECT_EQ(seen, (std::vector<std::pair<unsigned, bool>>{{0, false}, {1, false}, {2, true}}));
  EXPECT_EQ(r.sleeps.size(), 2u);  // between attempts only
}

TEST(Retry, ZeroAttemptsMeansOne) {
  Recorded r(policy(0));
  int calls = 0;
  auto out = r.retry.run<int>("test call", {}, [&](unsigned, bool last) -> Attempt<int> {
    ++calls;
    EXPECT_TRUE(last);
    return failure();
  });
  EXPECT_FALSE(out);
  EXPECT_EQ(calls, 1);
}

TEST(Retry, DelaysAreFullJitterUnderACappedExponentialCeiling) {
  Recorded r(policy(8, 100ms, 250ms));
  auto out = r.retry.run<int>("test call", {}, [&](unsigned, bool last) -> Attempt<int> {
    if (last) return failure();
    return TryAgain{"HTTP 500"};
  });
  ASSERT_EQ(r.sleeps.size(), 7u);
  const milliseconds ceilings[] = {100ms, 200ms, 250ms, 250ms, 250ms, 250ms, 250ms};
  for (std::size_t i = 0; i < r.sleeps.size(); ++i) {
    EXPECT_GE(r.sleeps[i].count(), 0) << i;
    EXPECT_LE(r.sleeps[i], ceilings[i]) << i;
  }
}

TEST(Retry, AServerRequestedDelayIsUsedUpToItsBound) {
  RetryPolicy p = policy(3);
  p.max_requested_delay = 5000ms;
  Recorded r(p);
  auto out = r.retry.run<int>("test call", {}, [&](unsigned n, bool) -> Attempt<int> {
    if (n == 0) return TryAgain{"HTTP 429", 2000ms};
    if (n == 1) return TryAgain{"HTTP 429", 600000ms};
    return 1;
  });
  ASSERT_TRUE(out);
  EXPECT_EQ(r.sleeps, (std::vector<milliseconds>{2000ms, 5000ms}));
}

TEST(Retry, AFreeRetryNeitherSleepsNorUsesAnAttempt) {
  Recorded r(policy(2));
  std::vector<unsigned> seen;
  auto out = r.retry.run<int>("test call", {}, [&](unsigned n, bool) -> Attempt<int> {
    seen.push_back(n);
    if (seen.size() == 1) return TryAgain{"HTTP 401", std::nullopt, true};
    if (n == 0) return TryAgain{"HTTP 503"};
    return 7;
  });
  ASSERT_TRUE(out);
  EXPECT_EQ(seen, (std::vector<unsigned>{0, 0, 1}));
  EXPECT_EQ(r.sleeps.size(), 1u);
}

TEST(Retry, AStopBeforeTheSleepCancelsWithoutAnotherAttempt) {
  StopSource source;
  Recorded r(policy(5), source.get_token());
  int calls = 0;
  auto out = r.retry.run<int>("AWS call", {{"action", "SendMessage"}}, [&](unsigned, bool) -> Attempt<int> {
    ++calls;
    source.request_stop();
    return TryAgain{"HTTP 503"};
  });
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(out.error().healable());
  EXPECT_EQ(out.error().message, "stopped while waiting to retry AWS call");
  const auto& d = out.error().details;
  EXPECT_NE(std::find(d.begin(), d.end(), std::pair<std::string, std::string>{"action", "SendMessage"}),
            d.end());
  EXPECT_NE(std::find(d.begin(), d.end(), std::pair<std::string, std::string>{"last_failure", "HTTP 503"}),
            d.end());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(r.sleeps.empty());
}

TEST(Retry, AStopDuringAnHourLongSleepEndsItAtOnce) {
  // The real sleep: the retry waits an hour unless the stop wakes it. The test waits for the first attempt
  // (an event), then stops; the call must come back, cancelled, after that single attempt.
  StopSource source;
  Retry retry(policy(3, std::chrono::hours(1), std::chrono::hours(1)), source.get_token());
  std::promise<void> attempted;
  std::atomic<int> calls{0};
  auto result = std::async(std::launch::async, [&] {
    return retry.run<int>("test call", {}, [&](unsigned, bool) -> Attempt<int> {
      if (calls++ == 0) attempted.set_value();
      return TryAgain{"HTTP 503", std::chrono::hours(1)};
    });
  });
  attempted.get_future().wait();
  source.request_stop();
  // A hang guard, not a timing assertion: without the wake-up this would take an hour.
  ASSERT_EQ(result.wait_for(60s), std::future_status::ready);
  auto out = result.get();
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace bw::core
