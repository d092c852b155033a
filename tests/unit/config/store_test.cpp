#include "config/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

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

}  // namespace
}  // namespace bw::config
