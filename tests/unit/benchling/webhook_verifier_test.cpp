#include "benchling/webhook_verifier.hpp"

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

using bw::testing::ManualClock;

struct Harness {
  Harness() : cache(http, [this] { return clock.now(); }), verifier(cache) {
    server.set_reply(Reply::json(200, vectors().jwks_text("primary")));
  }
  std::string url() const { return server.url("/api/v1/apps/appdef_8YhR/jwks"); }
  VerifyResult verify(const std::string& name) {
    const auto& d = vectors().delivery(name);
    return verifier.verify(d.headers, d.body, url(), vectors().now(d.now_offset));
  }

  LoopbackServer server;
  http::Client http;
  ManualClock clock;  // the cache's clock; deliveries are checked at their own signing time
  JwksCache cache;
  WebhookVerifier verifier;
};

TEST(WebhookVerifier, AcceptsAValidDeliveryWithoutFetchingAgain) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.clock.advance(seconds(3600));
  VerifyResult r = h.verify("valid");
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.kid, "key-1");
  EXPECT_FALSE(r.refetched);
  EXPECT_EQ(h.server.request_count(), 1u);
}

TEST(WebhookVerifier, HeaderFailuresNeverTriggerARefetch) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.clock.advance(seconds(120));
  for (const char* name : {"too_old", "too_new", "missing_signature", "invalid_timestamp_letters",
                           "only_non_der_elements", "element_without_comma"}) {
    VerifyResult r = h.verify(name);
    EXPECT_FALSE(r.ok) << name;
    EXPECT_FALSE(r.refetched) << name;
  }
  EXPECT_EQ(h.server.request_count(), 1u);
}

TEST(WebhookVerifier, UndecodableSignaturesNeverTriggerARefetch) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.clock.advance(seconds(120));
  VerifyResult r = h.verify("signature_base64_garbage");
  EXPECT_EQ(r.failure, VerifyFailure::kNoMatchingSignature);
  EXPECT_EQ(h.server.request_count(), 1u);
}

TEST(WebhookVerifier, FloodOfBadSignaturesCostsOneFetchPerMinute) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.clock.advance(seconds(61));
  for (int i = 0; i < 50; ++i) {
    VerifyResult r = h.verify("signed_by_unknown_key");
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.failure, VerifyFailure::kNoMatchingSignature);
    EXPECT_EQ(r.message, "No matching signature found");
    h.clock.advance(milliseconds(500));  // 25 s in all: still inside the minute
  }
  EXPECT_EQ(h.server.request_count(), 2u);  // the initial fetch + exactly one refetch
  h.clock.advance(seconds(36));
  EXPECT_FALSE(h.verify("signed_by_unknown_key").ok);
  EXPECT_EQ(h.server.request_count(), 3u);
}

TEST(WebhookVerifier, ConcurrentFloodSharesOneRefetch) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.clock.advance(seconds(61));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("primary")).with_delay(milliseconds(100)));
  std::atomic<int> rejected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (!h.verify("signed_by_unknown_key").ok) ++rejected;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(rejected.load(), 80);
  EXPECT_EQ(h.server.request_count(), 2u);
}

TEST(WebhookVerifier, RotatedKeyFailsUntilTheAllowedRefetchThenSucceeds) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")));

  // "signed_by_unknown_key" is signed by key-2, which only the rotated JWKS has. A miss refetches at
  // once, even right after the scheduled fetch.
  VerifyResult first = h.verify("signed_by_unknown_key");
  EXPECT_TRUE(first.ok) << first.message;
  EXPECT_TRUE(first.refetched);
  EXPECT_EQ(first.kid, "key-2");
  EXPECT_EQ(h.server.request_count(), 2u);

  // The old key is gone with the rotation; a miss within the minute fetches nothing more.
  VerifyResult old_key = h.verify("valid");
  EXPECT_EQ(old_key.failure, VerifyFailure::kNoMatchingSignature);
  EXPECT_FALSE(old_key.refetched);
  EXPECT_TRUE(h.verify("signed_by_unknown_key").ok);
  EXPECT_EQ(h.server.request_count(), 2u);

  h.clock.advance(seconds(60));
  EXPECT_EQ(h.verify("valid").failure, VerifyFailure::kNoMatchingSignature);  // allowed again: one more fetch
  EXPECT_EQ(h.server.request_count(), 3u);
}

TEST(WebhookVerifier, TheCachedCheckDecidesWithoutFetchingOrDefersToTheRefetch) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")));
  auto check = [&h](const std::string& name) {
    const auto& d = vectors().delivery(name);
    return h.verifier.check_cached(d.headers, d.body, h.url(), vectors().now(d.now_offset));
  };
  // Decided against the cached keys: a good signature, a bad header, an undecodable signature.
  auto valid = check("valid");
  ASSERT_TRUE(valid.decided);
  EXPECT_TRUE(valid.decided->ok);
  ASSERT_TRUE(check("too_old").decided);
  EXPECT_EQ(check("too_old").decided->failure, VerifyFailure::kTooOld);
  ASSERT_TRUE(check("signature_base64_garbage").decided);
  // A key the cache does not hold: undecided, and nothing fetched yet (the fetch waits).
  auto unknown = check("signed_by_unknown_key");
  EXPECT_FALSE(unknown.decided);
  EXPECT_EQ(h.server.request_count(), 1u);
  // The second step refetches and verifies with the rotated key.
  VerifyResult r = h.verifier.check_refetched(unknown, h.url());
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.refetched);
  EXPECT_EQ(r.kid, "key-2");
  EXPECT_EQ(h.server.request_count(), 2u);
}

TEST(WebhookVerifier, RetriesWithKeysAnotherThreadFetchedMeanwhile) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")));
  h.clock.advance(seconds(60));
  // e.g. a background refresh just finished
  ASSERT_EQ(h.cache.refetch_if_allowed(h.url(), milliseconds(5000)), JwksCache::Refetch::kFetched);
  VerifyResult r = h.verify("signed_by_unknown_key");
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(h.server.request_count(), 2u);
}

TEST(WebhookVerifier, NothingLoadedFetchesOnTheFirstDelivery) {
  Harness h;
  VerifyResult r = h.verify("valid");
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.refetched);
  EXPECT_EQ(h.server.request_count(), 1u);
}

TEST(WebhookVerifier, KeysUnavailableWhenTheJwksCannotBeFetched) {
  Harness h;
  h.server.set_reply(Reply::json(500, "{}"));
  VerifyResult r = h.verify("valid");
  EXPECT_EQ(r.failure, VerifyFailure::kKeysUnavailable);  // cannot tell a forgery from a rotation
  EXPECT_EQ(r.reason, "keys_unavailable");
  EXPECT_FALSE(r.refetched);
  EXPECT_EQ(h.verify("valid").failure, VerifyFailure::kKeysUnavailable);
  EXPECT_EQ(h.server.request_count(), 1u);  // the failed attempt also starts the interval
}

TEST(WebhookVerifier, StaleKeysKeepVerifyingWhileTheJwksIsDown) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(503, "{}"));
  h.clock.advance(seconds(7200));
  EXPECT_FALSE(h.cache.refresh_if_stale(h.url()));
  EXPECT_TRUE(h.verify("valid").ok);
}

TEST(WebhookVerifier, KeysOfAnotherUrlAreNeverUsed) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(404, "{}"));
  const auto& d = vectors().delivery("valid");
  VerifyResult r =
      h.verifier.verify(d.headers, d.body, h.server.url("/api/v1/apps/other/jwks"), vectors().now());
  EXPECT_EQ(r.failure, VerifyFailure::kKeysUnavailable);  // never the keys of the other URL
}

TEST(WebhookVerifier, AHungJwksEndpointCostsADeliveryOnlyTheRefetchWait) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.clock.advance(seconds(61));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("rotated")).with_delay(milliseconds(2000)));
  WebhookVerifier quick(h.cache, milliseconds(100));
  const auto& d = vectors().delivery("signed_by_unknown_key");
  VerifyResult r = quick.verify(d.headers, d.body, h.url(), vectors().now(d.now_offset));
  EXPECT_EQ(r.failure, VerifyFailure::kKeysUnavailable);  // answered while the fetch still runs
  EXPECT_FALSE(r.refetched);
  // The fetch finished in the background: Benchling's retry of the same delivery now verifies.
  ASSERT_TRUE(h.cache.refresh(h.url()));  // joins the fetch in flight
  EXPECT_EQ(h.server.request_count(), 2u);
  VerifyResult retry = quick.verify(d.headers, d.body, h.url(), vectors().now(d.now_offset));
  EXPECT_TRUE(retry.ok) << retry.message;
  EXPECT_EQ(retry.kid, "key-2");
}

TEST(WebhookVerifier, AnUnknownKeyWithCurrentKeysIsStillRefused) {
  Harness h;
  ASSERT_TRUE(h.cache.refresh(h.url()));
  h.server.set_reply(Reply::json(200, vectors().jwks_text("primary")));
  // The refetch succeeded and the key is still unknown: a forgery, 401 (not a "try later").
  EXPECT_EQ(h.verify("signed_by_unknown_key").failure, VerifyFailure::kNoMatchingSignature);
  EXPECT_EQ(h.verify("signed_by_unknown_key").failure, VerifyFailure::kNoMatchingSignature);  // rate-limited
}

}  // namespace
}  // namespace bw::benchling
