#include "benchling/oauth.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "core/encoding.hpp"
#include "core/json.hpp"
#include "support/loopback_server.hpp"
#include "support/manual_clock.hpp"

namespace bw::benchling {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::LoopbackServer;
using testing::Reply;

constexpr char kSecret[] = "cs-Zq81UsecretValue";

//! A clock the test moves by hand; thread-safe.
using bw::testing::ManualClock;

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

std::string token_json(const std::string& token, int expires_in = 900, const std::string& type = "Bearer") {
  return R"({"access_token":")" + token + R"(","token_type":")" + type + R"(","expires_in":)" +
         std::to_string(expires_in) + "}";
}

//! A token endpoint that hands out tok-1, tok-2, ... with the given lifetime.
struct TokenHarness {
  explicit TokenHarness(int expires_in = 900)
      : tokens(http, server.url(), [this] { return creds(); }, {.now = clock.fn()}) {
    server.set_handler([this, expires_in](const testing::RecordedRequest&) {
      return Reply::json(200, token_json("tok-" + std::to_string(++issued), expires_in));
    });
  }
  ClientCredentials creds() {
    std::lock_guard lock(mutex);
    return current;
  }
  void set_secret(std::string secret) {
    std::lock_guard lock(mutex);
    current.client_secret = std::move(secret);
  }

  std::mutex mutex;
  ClientCredentials current{"wqFfVOhbYe", kSecret};
  std::atomic<int> issued{0};
  LoopbackServer server;
  http::Client http;
  ManualClock clock;
  TokenSource tokens;
};

TEST(TokenRefreshMargin, IsTenPercentClampedToOneAndSixtySeconds) {
  EXPECT_EQ(token_refresh_margin(seconds(900)), seconds(60));
  EXPECT_EQ(token_refresh_margin(seconds(3600)), seconds(60));
  EXPECT_EQ(token_refresh_margin(seconds(300)), seconds(30));
  EXPECT_EQ(token_refresh_margin(seconds(15)), milliseconds(1500));
  EXPECT_EQ(token_refresh_margin(seconds(5)), seconds(1));
}

TEST(TokenSource, RequestUsesBasicAuthFormBodyAndContentType) {
  TokenHarness h;
  auto token = h.tokens.token();
  ASSERT_TRUE(token) << token.error().to_text();
  EXPECT_EQ(*token, "tok-1");

  auto reqs = h.server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/api/v2/token");
  EXPECT_EQ(reqs[0].header("Authorization"),
            "Basic " + core::base64_encode(std::string("wqFfVOhbYe:") + kSecret));
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(reqs[0].body, "grant_type=client_credentials");
}

TEST(TokenSource, TrailingSlashOfApiUrlIsIgnored) {
  LoopbackServer server([](const testing::RecordedRequest&) { return Reply::json(200, token_json("tok")); });
  http::Client http;
  TokenSource tokens(http, server.url() + "/", [] { return ClientCredentials{"id", "secret"}; });
  ASSERT_TRUE(tokens.token());
  EXPECT_EQ(server.requests().at(0).target, "/api/v2/token");
}

TEST(TokenSource, CachesUntilExpiryMinusSixtySeconds) {
  TokenHarness h(900);
  ASSERT_EQ(*h.tokens.token(), "tok-1");
  h.clock.advance(seconds(839));
  EXPECT_EQ(*h.tokens.token(), "tok-1");
  EXPECT_EQ(h.server.request_count(), 1u);
  h.clock.advance(seconds(1));  // 840 = 900 - 60: due
  EXPECT_EQ(*h.tokens.token(), "tok-2");
  EXPECT_EQ(h.server.request_count(), 2u);
  EXPECT_EQ(h.tokens.fetch_count(), 2u);
}

TEST(TokenSource, ShortLifetimeRefreshesTenPercentEarly) {
  TokenHarness h(20);  // margin 2 s
  ASSERT_EQ(*h.tokens.token(), "tok-1");
  h.clock.advance(milliseconds(17999));
  EXPECT_EQ(*h.tokens.token(), "tok-1");
  h.clock.advance(milliseconds(1));
  EXPECT_EQ(*h.tokens.token(), "tok-2");
}

TEST(TokenSource, MissingExpiresInAssumesFifteenMinutes) {
  LoopbackServer server([](const testing::RecordedRequest&) {
    return Reply::json(200, R"({"access_token":"tok","token_type":"Bearer"})");
  });
  http::Client http;
  ManualClock clock;
  TokenSource tokens(http, server.url(),
                     [] {
                       return ClientCredentials{"id", "secret"};
                     },
                     {.now = clock.fn()});
  ASSERT_TRUE(tokens.token());
  clock.advance(seconds(839));
  ASSERT_TRUE(tokens.token());
  EXPECT_EQ(server.request_count(), 1u);
  clock.advance(seconds(1));
  ASSERT_TRUE(tokens.token());
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(TokenSource, EightThreadsShareOneTokenRequest) {
  LoopbackServer server([](const testing::RecordedRequest&) {
    return Reply::json(200, token_json("tok-shared")).with_delay(milliseconds(300));
  });
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", "secret"}; });
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto t = tokens.token();
      got[i] = t ? *t : t.error().message;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(tokens.fetch_count(), 1u);
  for (const auto& g : got) EXPECT_EQ(g, "tok-shared");
}

TEST(TokenSource, InvalidateForcesTheNextCallToFetch) {
  TokenHarness h;
  ASSERT_EQ(*h.tokens.token(), "tok-1");
  h.tokens.invalidate();
  EXPECT_EQ(*h.tokens.token(), "tok-2");
  EXPECT_EQ(h.server.request_count(), 2u);
}

TEST(TokenSource, InvalidatingAnOlderTokenKeepsTheNewerOne) {
  TokenHarness h;
  ASSERT_EQ(*h.tokens.token(), "tok-1");
  h.tokens.invalidate("tok-1");  // first request to see the 401
  ASSERT_EQ(*h.tokens.token(), "tok-2");
  h.tokens.invalidate("tok-1");  // a late one, about the same old token
  EXPECT_EQ(*h.tokens.token(), "tok-2");
  EXPECT_EQ(h.server.request_count(), 2u);
}

TEST(TokenSource, RotatedSecretIsUsedOnTheNextFetch) {
  TokenHarness h;
  ASSERT_TRUE(h.tokens.token());
  h.set_secret("cs-rotated");
  h.tokens.invalidate();
  ASSERT_TRUE(h.tokens.token());
  auto reqs = h.server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].header("Authorization"), "Basic " + core::base64_encode("wqFfVOhbYe:cs-rotated"));
}

TEST(TokenSource, RejectedCredentialsNameTheFieldsButNeverTheSecret) {
  LoopbackServer server([](const testing::RecordedRequest&) {
    return Reply::json(401, std::string(R"({"error":"invalid_client","error_description":"bad secret )") +
                                kSecret + R"("})");
  });
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"wqFfVOhbYe", kSecret}; });
  auto token = tokens.token();
  ASSERT_FALSE(token);
  const core::Error& e = token.error();
  EXPECT_EQ(e.code, core::ErrorCode::kCredentials);
  EXPECT_EQ(e.message, "Benchling rejected the app's client credentials");
  EXPECT_NE(e.suggestion.find("client_id"), std::string::npos);
  EXPECT_NE(e.suggestion.find("client_secret"), std::string::npos);
  EXPECT_TRUE(e.healable());  // fixing the secret in AWS fixes it
  EXPECT_EQ(detail(e, "status"), "401");
  EXPECT_EQ(detail(e, "oauth_error"), "invalid_client");
  const std::string text = e.to_text() + core::to_json_text(e.to_json());
  EXPECT_EQ(text.find(kSecret), std::string::npos);
  EXPECT_EQ(text.find(core::base64_encode(std::string("wqFfVOhbYe:") + kSecret)), std::string::npos);
}

TEST(TokenSource, InvalidClientOn400IsACredentialsError) {
  LoopbackServer server(
      [](const testing::RecordedRequest&) { return Reply::json(400, R"({"error":"invalid_client"})"); });
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", "secret"}; });
  auto token = tokens.token();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, core::ErrorCode::kCredentials);
}

TEST(TokenSource, FailuresAreNotCached) {
  LoopbackServer server(testing::sequence({Reply::json(401, "{}"), Reply::json(200, token_json("tok-ok"))}));
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", "secret"}; });
  EXPECT_FALSE(tokens.token());
  auto token = tokens.token();
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, "tok-ok");
}

TEST(TokenSource, ServerErrorsAndTransportErrorsAreHealable) {
  LoopbackServer server([](const testing::RecordedRequest&) { return Reply::json(503, "{}"); });
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", "secret"}; });
  auto token = tokens.token();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, core::ErrorCode::kRemote);
  EXPECT_TRUE(token.error().healable());

  TokenSource unreachable(http, "http://127.0.0.1:" + std::to_string(testing::closed_port()), [] {
    return ClientCredentials{"id", "secret"};
  });
  auto down = unreachable.token();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::ErrorCode::kTransport);
  EXPECT_TRUE(down.error().healable());
  EXPECT_NE(down.error().message.find("access token"), std::string::npos);
}

TEST(TokenSource, TokenTypeMustBeBearerInAnyCase) {
  LoopbackServer server(testing::sequence({Reply::json(200, token_json("tok-mac", 900, "mac")),
                                           Reply::json(200, token_json("tok-lower", 900, "bearer"))}));
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", "secret"}; });
  auto mac = tokens.token();
  ASSERT_FALSE(mac);
  EXPECT_EQ(mac.error().code, core::ErrorCode::kRejected);
  auto lower = tokens.token();
  ASSERT_TRUE(lower) << lower.error().to_text();
  EXPECT_EQ(*lower, "tok-lower");
}

TEST(TokenSource, RejectsRepliesWithoutAUsableToken) {
  for (const char* body : {"not json", "[]", R"({"token_type":"Bearer"})",
                           R"({"access_token":"a b\r\nX-Injected: 1","token_type":"Bearer"})"}) {
    LoopbackServer server([body](const testing::RecordedRequest&) { return Reply::json(200, body); });
    http::Client http;
    TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", "secret"}; });
    auto token = tokens.token();
    ASSERT_FALSE(token) << body;
    EXPECT_EQ(token.error().code, core::ErrorCode::kRejected) << body;
  }
}

TEST(TokenSource, EmptyCredentialsFailWithoutARequest) {
  LoopbackServer server;
  http::Client http;
  TokenSource tokens(http, server.url(), [] { return ClientCredentials{"id", ""}; });
  auto token = tokens.token();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, core::ErrorCode::kCredentials);
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
}  // namespace bw::benchling
