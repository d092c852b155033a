#include "benchling/jwks_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/loopback_server.hpp"
#include "support/manual_clock.hpp"
#include "webhook_vectors.hpp"

namespace bw::benchling {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::vectors;
using testing::LoopbackServer;
using testing::Reply;

//! A clock the test moves by hand; thread-safe.
using bw::testing::ManualClock;
using Refetch = JwksCache::Refetch;
//! Long enough for any loopback fetch here: these tests are about outcomes, not the wait.
constexpr milliseconds kWait{5000};

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

struct CacheHarness {
  CacheHarness() : cache(http, clock.fn()) {
    server.set_reply(Reply::json(200, vectors().jwks_text("primary")));
  }
  std::string url() const { return server.url("/api/v1/apps/appdef_8YhR/jwks"); }

  LoopbackServer server;
  http::Client http;
  ManualClock clock;
  JwksCache cache;
};

TEST(JwksCache, InitialRefreshLoadsKeysWithAge) {
  CacheHarness h;
  EXPECT_FALSE(h.cache.loaded());
  EXPECT_EQ(h.cache.age(), std::nullopt);
  EXPECT_TRUE(h.cache.keys(h.url())->empty());

  auto r = h.cache.refresh(h.url());
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_TRUE(h.cache.loaded());
  ASSERT_EQ(h.cache.keys(h.url())->size(), 1u);
  EXPECT_EQ(h.cache.keys(h.url())->at(0).kid(), "key-1");
  EXPECT_EQ(h.cache.age(), milliseconds(0));
  h.clock.advance(seconds(42));
  EXPECT_EQ(h.cache.age(), milliseconds(42000));

  ASSERT_EQ(h.server.request_count(), 1u);
  auto req = h.server.requests().at(0);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/api/v1/apps/appdef_8YhR/jwks");
}

TEST(JwksCache, FailedRefreshKeepsStaleKeysAndNamesTheUrl) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  auto before = h.cache.keys(h.url());

  h.server.set_reply(Reply::json(503, R"({"error":"down"})"));
  auto r = h.cache.refresh(h.url());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  EXPECT_TRUE(r.error().healable());
  EXPECT_EQ(detail(r.error(), "jwks_url"), h.url());
  EXPECT_EQ(detail(r.error(), "status"), "503");
  EXPECT_EQ(h.cache.keys(h.url()), before);
  ASSERT_TRUE(h.cache.last_error());
  EXPECT_EQ(h.cache.last_error()->message, r.error().message);

  h.server.set_reply(Reply::json(200, "{not json"));
  r = h.cache.refresh(h.url());
  ASSERT_FALSE(r);
  EXPECT_EQ(detail(r.error(), "jwks_url"), h.url());
  EXPECT_EQ(h.cache.keys(h.url()), before);

  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")));
  ASSERT_TRUE(h.cache.refresh(h.url()));
  EXPECT_EQ(h.cache.keys(h.url())->at(0).kid(), "key-2");
  EXPECT_FALSE(h.cache.last_error());
}

TEST(JwksCache, UnreachableServerIsATransportErrorWithTheUrl) {
  http::Client http;
  ManualClock clock;
  JwksCache cache(http, clock.fn());
  std::string url = "http://127.0.0.1:" + std::to_string(testing::closed_port()) + "/jwks";
  auto r = cache.refresh(url);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kTransport);
  EXPECT_TRUE(r.error().healable());
  EXPECT_EQ(detail(r.error(), "jwks_url"), url);
  EXPECT_FALSE(cache.loaded());
}

TEST(JwksCache, SlowServerTimesOutAndKeepsKeys) {
  LoopbackServer server(testing::sequence({Reply::json(200, vectors().jwks_text("primary"))}));
  http::Client http;
  ManualClock clock;
  JwksCacheOptions options;
  options.timeout = milliseconds(200);
  JwksCache cache(http, clock.fn(), options);
  ASSERT_TRUE(cache.refresh(server.url("/jwks")));
  server.set_reply(Reply::json(200, vectors().jwks_text("rotated")).with_delay(milliseconds(2000)));
  auto r = cache.refresh(server.url("/jwks"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kTransport);
  EXPECT_EQ(cache.keys()->at(0).kid(), "key-1");
}

TEST(JwksCache, OversizedJwksIsRejected) {
  CacheHarness h;
  h.server.set_reply(Reply::json(200, R"({"keys": [], "pad": ")" + std::string(kMaxJwksBytes, 'a') + "\"}"));
  auto r = h.cache.refresh(h.url());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  EXPECT_FALSE(h.cache.loaded());
}

TEST(JwksCache, RefetchAfterAMissIsAllowedOncePerInterval) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  // A scheduled fetch does not count: a key rotated just after it is still picked up.
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kFetched);
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kFresh);
  h.clock.advance(seconds(59));
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kFresh);
  h.clock.advance(seconds(1));
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kFetched);
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kFresh);
  EXPECT_EQ(h.server.request_count(), 3u);
  EXPECT_EQ(h.cache.fetch_count(), 3u);
}

TEST(JwksCache, FailedRefetchAlsoWaitsTheIntervalAndKeepsKeys) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(500, "{}"));
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kUnavailable);  // fetched, failed
  h.clock.advance(seconds(30));
  // Not fetched (within the interval), and the keys held are not known to be current.
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kUnavailable);
  EXPECT_EQ(h.server.request_count(), 2u);
  EXPECT_EQ(h.cache.keys(h.url())->size(), 1u);
}

TEST(JwksCache, MinIntervalIsConfigurable) {
  LoopbackServer server(testing::sequence({Reply::json(200, vectors().jwks_text("primary"))}));
  http::Client http;
  ManualClock clock;
  JwksCacheOptions options;
  options.min_refetch_interval = seconds(5);
  JwksCache cache(http, clock.fn(), options);
  ASSERT_TRUE(cache.refresh(server.url("/jwks")));
  clock.advance(seconds(5));
  EXPECT_EQ(cache.refetch_if_allowed(server.url("/jwks"), kWait), Refetch::kFetched);
}

TEST(JwksCache, ConcurrentRefetchesShareOneRequest) {
  CacheHarness h;
  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")).with_delay(milliseconds(300)));
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      if (h.cache.refetch_if_allowed(h.url(), kWait) == Refetch::kFetched) ++succeeded;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.server.request_count(), 1u);
  EXPECT_EQ(succeeded.load(), kThreads);  // the waiters share the one fetch's success
  EXPECT_EQ(h.cache.keys(h.url())->at(0).kid(), "key-2");
}

TEST(JwksCache, AHungEndpointHoldsAMissOnlyForTheWaitAndTheFetchGoesOn) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")).with_delay(milliseconds(1500)));
  // The fetch outlives the wait: the caller gets its answer, the fetch keeps running in the background.
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), milliseconds(100)), Refetch::kUnavailable);
  EXPECT_EQ(h.cache.keys(h.url())->at(0).kid(), "key-1");
  // Another miss meanwhile joins the same fetch (no second request) and is also told "unavailable".
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), milliseconds(50)), Refetch::kUnavailable);
  // A forced refresh joins the fetch in flight and shares its outcome: the rotated keys, one request.
  ASSERT_TRUE(h.cache.refresh(h.url()));
  EXPECT_EQ(h.cache.keys(h.url())->at(0).kid(), "key-2");
  EXPECT_EQ(h.server.request_count(), 2u);
  EXPECT_EQ(h.cache.refetch_if_allowed(h.url(), kWait), Refetch::kFresh);  // within the interval, current
}

TEST(JwksCache, DestroyingTheCacheWaitsForItsBackgroundFetch) {
  LoopbackServer server(testing::sequence({Reply::json(200, vectors().jwks_text("primary"))}));
  server.set_reply(Reply::json(200, vectors().jwks_text("rotated")).with_delay(milliseconds(300)));
  http::Client http;
  ManualClock clock;
  {
    JwksCache cache(http, clock.fn());
    EXPECT_EQ(cache.refetch_if_allowed(server.url("/jwks"), milliseconds(0)), Refetch::kUnavailable);
  }  // joins the fetch: nothing touches the destroyed cache (ASan would see it)
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(JwksCache, RefreshIfStaleFetchesOnlyAfterTheTtl) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh_if_stale(h.url()));  // nothing loaded: fetch
  ASSERT_TRUE(h.cache.refresh_if_stale(h.url()));
  h.clock.advance(seconds(3599));
  ASSERT_TRUE(h.cache.refresh_if_stale(h.url()));
  EXPECT_EQ(h.server.request_count(), 1u);
  h.clock.advance(seconds(1));
  ASSERT_TRUE(h.cache.refresh_if_stale(h.url()));
  EXPECT_EQ(h.server.request_count(), 2u);
  h.clock.advance(seconds(10));
  ASSERT_TRUE(h.cache.refresh_if_stale(h.url(), seconds(10)));
  EXPECT_EQ(h.server.request_count(), 3u);
}

TEST(JwksCache, UrlChangeDropsTheOldKeysEvenIfTheNewFetchFails) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  std::string other = h.server.url("/api/v1/apps/appdef_OTHER/jwks");
  EXPECT_TRUE(h.cache.keys(other)->empty());  // never another app definition's keys

  h.server.set_reply(Reply::json(404, R"({"error":"not found"})"));
  auto r = h.cache.refresh(other);
  ASSERT_FALSE(r);
  EXPECT_EQ(detail(r.error(), "jwks_url"), other);
  EXPECT_FALSE(h.cache.loaded());
  EXPECT_TRUE(h.cache.keys()->empty());
  EXPECT_TRUE(h.cache.keys(h.url())->empty());
}

TEST(JwksCache, UrlChangeIsNotRateLimited) {
  CacheHarness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  EXPECT_EQ(h.cache.refetch_if_allowed(h.server.url("/other/jwks"), kWait), Refetch::kFetched);
  EXPECT_EQ(h.server.request_count(), 2u);
}

}  // namespace
}  // namespace bw::benchling
