// A Benchling rejection of the app's credentials re-reads the secret, at most once per interval: the
// Benchling client's on_unauthorized as the workers wire it (refresh_on_unauthorized) into a real Store.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "benchling/client.hpp"
#include "benchling/oauth.hpp"
#include "config/store.hpp"
#include "core/encoding.hpp"
#include "http/client.hpp"
#include "service/jobs.hpp"
#include "support/loopback_server.hpp"
#include "support/manual_clock.hpp"

namespace bw::service {
namespace {
using namespace std::chrono_literals;
using testing::RecordedRequest;
using testing::Reply;

constexpr char kClientId[] = "wqFfVOhbYe";
constexpr char kOldSecret[] = "cs-old-Zq81Us";
constexpr char kNewSecret[] = "cs-new-Pw93Kd";

config::ResolvedConfig with_secret(const std::string& client_secret) {
  config::ResolvedConfig c;
  c.benchling.client_id = kClientId;
  c.benchling.client_secret = client_secret;
  return c;
}

//! Benchling's token endpoint accepts only `accepted` (else `rejection`); the API answers `api_status`.
//! The store starts with the old secret; a secret refresh reads whatever `in_secrets_manager` holds.
struct Harness {
  Harness()
      : store(
            [this]() -> core::Result<config::ResolvedConfig> {
              ++full;
              return with_secret(kOldSecret);
            },
            options(), {},
            [this](const config::ResolvedConfig&) -> core::Result<config::ResolvedConfig> {
              ++secret_reads;
              std::lock_guard lock(mutex);
              return with_secret(in_secrets_manager);
            }),
        tokens(http, server.url(),
               [this] {
                 auto snap = store.snapshot();
                 if (!snap.config) return benchling::ClientCredentials{};
                 return benchling::ClientCredentials{snap.config->benchling.client_id,
                                                     snap.config->benchling.client_secret};
               }),
        client(http, tokens, server.url(), {.retry = {.max_attempts = 1}, .on_unauthorized = [this] {
                                              // What the workers wire, with its decision counted: an ignored
                                              // rejection asks for nothing.
                                              ++(refresh() ? asked : ignored);
                                            }}) {
    server.set_handler([this](const RecordedRequest& r) {
      std::lock_guard lock(mutex);
      if (r.path() == "/api/v2/token") {
        if (r.header("Authorization") !=
            "Basic " + core::base64_encode(std::string(kClientId) + ":" + accepted))
          return rejection;
        return Reply::json(200, R"({"access_token":"tok","token_type":"Bearer","expires_in":900})");
      }
      return Reply::json(api_status, R"({"entry":{"id":"etr_1"}})");
    });
    store.start();
    auto first = store.wait_first_attempt(5s);
    EXPECT_TRUE(first.ready());
  }

  config::StoreOptions options() {
    config::StoreOptions o{1ms, 5ms, 1h};  // no scheduled refresh during the test
    o.now = clock.fn();
    return o;
  }

  //! Waits (bounded) until the store holds `client_secret`.
  bool wait_for_secret(const std::string& client_secret) {
    for (int i = 0; i < 500; ++i) {
      auto snap = store.snapshot();
      if (snap.config && snap.config->benchling.client_secret == client_secret) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  std::mutex mutex;
  std::string accepted = kNewSecret;  //!< the secret Benchling accepts (rotated)
  std::string in_secrets_manager = kNewSecret;
  Reply rejection = Reply::json(400, R"({"error":"invalid_client","error_description":"bad client"})");
  int api_status = 200;
  std::atomic<int> full{0};
  std::atomic<int> secret_reads{0};
  std::atomic<int> asked{0}, ignored{0};  //!< rejections that asked the store for a re-read / were ignored

  testing::ManualClock clock;
  testing::LoopbackServer server;
  http::Client http;
  config::Store store;
  std::function<bool()> refresh = refresh_on_unauthorized(store, 10s);
  benchling::TokenSource tokens;
  benchling::Client client;
};

TEST(UnauthorizedRefresh, OAuthInvalidClientRereadsTheSecretOnce) {
  Harness h;
  h.clock.advance(11s);  // past the interval since the store's first resolution
  // The client retries once at once; whether that retry already sees the new secret depends on the store's
  // thread, so only what follows is pinned.
  (void)h.client.get_entry("etr_1");
  ASSERT_TRUE(h.wait_for_secret(kNewSecret));
  EXPECT_EQ(h.secret_reads.load(), 1);
  EXPECT_EQ(h.full.load(), 1);  // the stack outputs were not re-read for it

  auto again = h.client.get_entry("etr_1");  // the next job uses the rotated secret
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(h.secret_reads.load(), 1);
}

TEST(UnauthorizedRefresh, TokenEndpoint401RereadsTheSecretToo) {
  Harness h;
  h.rejection = Reply::json(401, R"({"error":{"type":"invalid_request_error","message":"unauthorized"}})");
  h.clock.advance(11s);
  (void)h.client.get_entry("etr_1");
  ASSERT_TRUE(h.wait_for_secret(kNewSecret));
  EXPECT_EQ(h.secret_reads.load(), 1);
}

TEST(UnauthorizedRefresh, BenchlingsDocumentedInvalidClientRereadsTheSecret) {
  Harness h;  // the token endpoint's 401 as Benchling's OpenAPI document gives it (OAuthUnauthorizedError)
  h.rejection = Reply::json(
      401,
      R"({"error":{"type":"invalid_client","message":"Client authentication failed","userMessage":"x"}})");
  h.clock.advance(11s);
  (void)h.client.get_entry("etr_1");
  ASSERT_TRUE(h.wait_for_secret(kNewSecret));
  EXPECT_EQ(h.secret_reads.load(), 1);
  auto again = h.client.get_entry("etr_1");
  ASSERT_TRUE(again) << again.error().message;
}

TEST(UnauthorizedRefresh, ApiRejectingTheTokenRereadsTheSecret) {
  Harness h;
  {
    std::lock_guard lock(h.mutex);
    h.accepted = kOldSecret;  // the token is issued, then the API refuses it
    h.api_status = 401;
  }
  h.clock.advance(11s);
  ASSERT_FALSE(h.client.get_entry("etr_1"));
  for (int i = 0; i < 500 && h.secret_reads.load() == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(h.secret_reads.load(), 1);
}

TEST(UnauthorizedRefresh, ABurstOfRejectionsCostsOneSecretReadPerInterval) {
  Harness h;
  {
    std::lock_guard lock(h.mutex);
    h.accepted = "neither";  // nothing the secret holds works
  }
  h.clock.advance(11s);
  ASSERT_FALSE(h.client.get_entry("etr_1"));
  ASSERT_TRUE(h.wait_for_secret(kNewSecret));
  const int asked = h.asked.load();
  for (int i = 0; i < 20; ++i) ASSERT_FALSE(h.client.get_entry("etr_1"));
  EXPECT_EQ(h.asked.load(), asked);  // the clock has not moved since that read: each one ignored
  EXPECT_GE(h.ignored.load(), 20);
  EXPECT_EQ(h.secret_reads.load(), 1);

  h.clock.advance(11s);
  ASSERT_FALSE(h.client.get_entry("etr_1"));
  for (int i = 0; i < 500 && h.secret_reads.load() < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(h.secret_reads.load(), 2);
}

TEST(UnauthorizedRefresh, ARejectionRightAfterTheLastReadIsIgnored) {
  Harness h;  // the store resolved at the clock's current time
  ASSERT_FALSE(h.client.get_entry("etr_1"));
  EXPECT_EQ(h.asked.load(), 0);  // the store was asked nothing, so it reads nothing
  EXPECT_GE(h.ignored.load(), 1);
  EXPECT_EQ(h.secret_reads.load(), 0);
  EXPECT_EQ(h.full.load(), 1);
}

}  // namespace
}  // namespace bw::service
