#include "config/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>

#include "support/manual_clock.hpp"

namespace bw::config {
namespace {
using namespace std::chrono_literals;

ResolvedConfig config_with_tenant(std::string tenant) {
  ResolvedConfig c;
  c.benchling.tenant = std::move(tenant);
  c.secret_version_id = "v-" + c.benchling.tenant;
  return c;
}

core::Error not_found() {
  return core::make_error(core::ErrorCode::kNotFound, "Secret not found: bw/creds", "create it");
}

Snapshot wait_until(const Store& store, const std::function<bool(const Snapshot&)>& done) {
  for (int i = 0; i < 500; ++i) {
    Snapshot s = store.snapshot();
    if (done(s)) return s;
    std::this_thread::sleep_for(5ms);
  }
  return store.snapshot();
}

TEST(Store, RetriesUntilResolvedAndReportsTheErrorMeanwhile) {
  std::atomic<int> calls{0};
  std::promise<void> first_checked;
  std::shared_future<void> checked = first_checked.get_future().share();
  Store store(
      [&]() -> core::Result<ResolvedConfig> {
        const int call = ++calls;
        if (call == 2) checked.wait();  // hold the retry until the test has seen the first failure
        if (call < 3) return not_found();
        return config_with_tenant("acme");
      },
      StoreOptions{1ms, 5ms, 1h});
  store.start();
  Snapshot first = store.wait_first_attempt(5s);
  ASSERT_FALSE(first.ready());
  ASSERT_TRUE(first.error);
  EXPECT_EQ(first.error->message, "Secret not found: bw/creds");
  EXPECT_EQ(first.failed_attempts, 1u);
  first_checked.set_value();

  Snapshot s = wait_until(store, [](const Snapshot& s) { return s.ready(); });
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(s.config->benchling.tenant, "acme");
  EXPECT_FALSE(s.error);
  EXPECT_EQ(s.failed_attempts, 0u);
  EXPECT_EQ(calls.load(), 3);
}

TEST(Store, FailedRefreshKeepsTheLastGoodConfiguration) {
  std::atomic<int> calls{0};
  Store store(
      [&]() -> core::Result<ResolvedConfig> {
        if (++calls == 1) return config_with_tenant("acme");
        return not_found();
      },
      StoreOptions{1ms, 5ms, 2ms});
  store.start();
  Snapshot s = wait_until(store, [](const Snapshot& s) { return s.error.has_value(); });
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(s.config->benchling.tenant, "acme");
  ASSERT_TRUE(s.error);
  EXPECT_EQ(s.error->code, core::ErrorCode::kNotFound);
}

TEST(Store, RefreshPicksUpARotatedSecret) {
  std::atomic<int> calls{0};
  std::vector<std::string> seen;
  std::mutex seen_mutex;
  Store store(
      [&]() -> core::Result<ResolvedConfig> { return config_with_tenant(++calls == 1 ? "old" : "new"); },
      StoreOptions{1ms, 5ms, 2ms},
      [&](const ResolvedConfig& c) {
        std::lock_guard lock(seen_mutex);
        seen.push_back(c.benchling.tenant);
      });
  store.start();
  Snapshot s =
      wait_until(store, [](const Snapshot& s) { return s.ready() && s.config->benchling.tenant == "new"; });
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(s.config->secret_version_id, "v-new");
  store.stop();
  std::lock_guard lock(seen_mutex);
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen[0], "old");
}

TEST(Store, StopReturnsPromptlyDuringALongWait) {
  Store store([]() -> core::Result<ResolvedConfig> { return not_found(); }, StoreOptions{1h, 1h, 1h});
  store.start();
  store.wait_first_attempt(5s);
  const auto t0 = std::chrono::steady_clock::now();
  store.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);  // a hang, not a timing claim: the wait is 1 h
}

//! Counts full resolutions and secret-only refreshes; the secret refresh renames the tenant to show it ran.
struct Counting {
  std::atomic<int> full{0};
  std::atomic<int> secret{0};
  std::atomic<bool> full_fails{false};
  std::mutex mutex;
  std::string last_seen_outputs;  //!< the stack outputs the latest secret refresh was handed

  Store::ResolveFn resolve() {
    return [this]() -> core::Result<ResolvedConfig> {
      ++full;
      if (full_fails) return not_found();
      ResolvedConfig c = config_with_tenant("full");
      c.quilt.athena_database = "db-" + std::to_string(full.load());
      return c;
    };
  }
  Store::RefreshSecretFn refresh_secret() {
    return [this](const ResolvedConfig& last) -> core::Result<ResolvedConfig> {
      ++secret;
      {
        std::lock_guard lock(mutex);
        last_seen_outputs = last.quilt.athena_database;
      }
      ResolvedConfig c = last;
      c.benchling.tenant = "secret-" + std::to_string(secret.load());
      return c;
    };
  }
};

StoreOptions fast_refresh(testing::ManualClock& clock, std::chrono::milliseconds stack_ttl) {
  StoreOptions o{1ms, 5ms, 2ms};
  o.stack_refresh_ttl = stack_ttl;
  o.now = clock.fn();
  return o;
}

TEST(Store, RefreshesReadOnlyTheSecretUntilTheStackTtlPasses) {
  testing::ManualClock clock;
  Counting counting;
  Store store(counting.resolve(), fast_refresh(clock, 1h), {}, counting.refresh_secret());
  store.start();
  Snapshot s = wait_until(store, [&](const Snapshot&) { return counting.secret >= 3; });
  EXPECT_EQ(counting.full.load(), 1);  // the clock has not moved: the stack outputs are still fresh
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(s.config->quilt.athena_database, "db-1");  // carried over from the full resolution
  EXPECT_EQ(s.config->benchling.tenant.rfind("secret-", 0), 0u);
  {
    std::lock_guard lock(counting.mutex);
    EXPECT_EQ(counting.last_seen_outputs, "db-1");
  }
  ASSERT_TRUE(s.last_stack_success);
  const core::SystemTime first_full = *s.last_stack_success;

  clock.advance(59min);  // not yet
  const int secret_before = counting.secret;
  wait_until(store, [&](const Snapshot&) { return counting.secret >= secret_before + 3; });
  EXPECT_EQ(counting.full.load(), 1);

  clock.advance(1min);  // exactly stack_refresh_ttl since the full resolution
  s = wait_until(store,
                 [](const Snapshot& s) { return s.config && s.config->quilt.athena_database == "db-2"; });
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(s.config->quilt.athena_database, "db-2");
  ASSERT_TRUE(s.last_stack_success);
  EXPECT_EQ(*s.last_stack_success - first_full, 1h);
  store.stop();
  EXPECT_EQ(counting.full.load(), 2);
}

TEST(Store, FailedFullResolutionIsRetriedInFullAndKeepsTheOutputsAge) {
  testing::ManualClock clock;
  Counting counting;
  Store store(counting.resolve(), fast_refresh(clock, 1h), {}, counting.refresh_secret());
  store.start();
  Snapshot s = wait_until(store, [](const Snapshot& s) { return s.ready(); });
  ASSERT_TRUE(s.last_stack_success);
  const core::SystemTime first_full = *s.last_stack_success;

  counting.full_fails = true;
  clock.advance(2h);
  s = wait_until(store, [&](const Snapshot& s) { return counting.full >= 4 && s.error.has_value(); });
  const int secret_refreshes = counting.secret;
  s = wait_until(store, [&](const Snapshot&) { return counting.full >= 6; });
  // Every refresh is a full one until one succeeds; the last good configuration stays in use.
  EXPECT_EQ(counting.secret.load(), secret_refreshes);
  ASSERT_TRUE(s.ready());
  ASSERT_TRUE(s.last_stack_success);
  EXPECT_EQ(*s.last_stack_success, first_full);
  ASSERT_TRUE(s.last_success);
  EXPECT_LT(*s.last_success, clock.now());  // the failures did not count as a refresh
}

TEST(Store, WithoutASecretRefreshEveryRefreshIsFull) {
  testing::ManualClock clock;
  Counting counting;
  Store store(counting.resolve(), fast_refresh(clock, 1h));
  store.start();
  Snapshot s = wait_until(store, [&](const Snapshot&) { return counting.full >= 3; });
  EXPECT_EQ(counting.secret.load(), 0);
  ASSERT_TRUE(s.ready());
  EXPECT_EQ(s.config->benchling.tenant, "full");
}

TEST(Store, RefreshNowRereadsTheSecretAtMostOncePerInterval) {
  testing::ManualClock clock;
  Counting counting;
  StoreOptions options{1ms, 5ms, 1h};
  options.now = clock.fn();
  Store store(counting.resolve(), options, {}, counting.refresh_secret());
  store.start();
  wait_until(store, [](const Snapshot& s) { return s.ready(); });
  ASSERT_EQ(counting.full.load(), 1);

  EXPECT_FALSE(store.refresh_now(10s));  // the configuration was read just now (by the clock): ignored

  clock.advance(11s);
  EXPECT_TRUE(store.refresh_now(10s));
  // Its result in the snapshot, so its attempt time too (the counter alone moves before that).
  Snapshot s = wait_until(store, [](const Snapshot& s) { return s.config->benchling.tenant == "secret-1"; });
  EXPECT_EQ(counting.secret.load(), 1);  // a secret refresh: the stack outputs are 11 s old
  EXPECT_EQ(counting.full.load(), 1);
  EXPECT_EQ(s.config->benchling.tenant, "secret-1");

  for (int i = 0; i < 20; ++i) EXPECT_FALSE(store.refresh_now(10s));  // a burst of 401s right after it
  EXPECT_EQ(counting.secret.load(), 1);
}

}  // namespace
}  // namespace bw::config

namespace bw::config {
namespace {

TEST(Store, RefreshesComeAtJitteredIntervalsNeverLaterThanTheTtl) {
  StoreOptions options{1ms, 5ms, 40ms};
  options.refresh_jitter = 0.5;
  std::mutex mutex;
  std::vector<std::chrono::milliseconds> waits;
  Store* self = nullptr;
  Store store([]() -> core::Result<ResolvedConfig> { return config_with_tenant("t"); }, options,
              [&](const ResolvedConfig&) {
                std::lock_guard lock(mutex);
                waits.push_back(self->snapshot().next_retry_in.value_or(0ms));
              });
  self = &store;
  store.start();
  wait_until(store, [&](const Snapshot&) {
    std::lock_guard lock(mutex);
    return waits.size() >= 12;
  });
  store.stop();
  std::lock_guard lock(mutex);
  ASSERT_GE(waits.size(), 12u);
  std::set<long> distinct;
  for (auto w : waits) {
    EXPECT_LE(w, 40ms);
    EXPECT_GE(w, 20ms);
    distinct.insert(static_cast<long>(w.count()));
  }
  EXPECT_GT(distinct.size(), 1u);  // not one fixed period
}

}  // namespace
}  // namespace bw::config
