#include "aws/credentials_chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/credentials_container.hpp"
#include "aws/credentials_env.hpp"
#include "aws/credentials_profile.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using testing::Reply;

core::SystemTime at(const char* iso) {
  return core::parse_iso8601(iso).value();
}

//! A source scripted by the test: fails or answers with a fixed key, counting calls.
class FakeSource : public CredentialsProvider {
 public:
  FakeSource(std::string name, bool works, std::string key = "AKID")
      : name_(std::move(name)), works_(works), key_(std::move(key)) {}
  core::Result<Credentials> get() override {
    ++calls;
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (!works_) return core::make_error(core::ErrorCode::kCredentials, name_ + " has nothing");
    Credentials c;
    c.access_key_id = key_ + std::to_string(calls.load());
    c.secret_access_key = "secret";
    c.source = name_;
    c.expiration = expiration;
    return c;
  }
  std::string name() const override { return name_; }
  void set_works(bool w) { works_ = w; }

  std::atomic<int> calls{0};
  std::chrono::milliseconds delay{0};
  std::optional<core::SystemTime> expiration;

 private:
  std::string name_;
  std::atomic<bool> works_;
  std::string key_;
};

TEST(CredentialsChain, RemembersTheSourceThatWorked) {
  auto first = std::make_unique<FakeSource>("first", false);
  auto second = std::make_unique<FakeSource>("second", true);
  auto* first_ptr = first.get();
  auto* second_ptr = second.get();
  std::vector<std::unique_ptr<CredentialsProvider>> sources;
  sources.push_back(std::move(first));
  sources.push_back(std::move(second));
  CredentialsChain chain(std::move(sources));

  ASSERT_TRUE(chain.get());
  ASSERT_TRUE(chain.get());
  EXPECT_EQ(first_ptr->calls, 1);  // not asked again once "second" worked
  EXPECT_EQ(second_ptr->calls, 2);
}

TEST(CredentialsChain, WalksAgainWhenTheRememberedSourceStopsWorking) {
  auto first = std::make_unique<FakeSource>("first", true, "ONE");
  auto second = std::make_unique<FakeSource>("second", true, "TWO");
  auto* first_ptr = first.get();
  std::vector<std::unique_ptr<CredentialsProvider>> sources;
  sources.push_back(std::move(first));
  sources.push_back(std::move(second));
  CredentialsChain chain(std::move(sources));
  EXPECT_EQ(chain.get()->source, "first");
  first_ptr->set_works(false);
  EXPECT_EQ(chain.get()->source, "second");
}

TEST(CredentialsChain, NothingAnywhereListsWhatWasTriedAndHowToFix) {
  std::vector<std::unique_ptr<CredentialsProvider>> sources;
  sources.push_back(std::make_unique<FakeSource>("environment", false));
  sources.push_back(std::make_unique<FakeSource>("imds", false));
  CredentialsChain chain(std::move(sources));
  auto c = chain.get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::ErrorCode::kCredentials);
  EXPECT_EQ(c.error().message, "No AWS credentials found");
  EXPECT_NE(c.error().suggestion.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(c.error().suggestion.find("AWS_PROFILE"), std::string::npos);
  ASSERT_EQ(c.error().details.size(), 2u);
  EXPECT_EQ(c.error().details[0].first, "environment");
  EXPECT_EQ(c.error().details[1].first, "imds");
  EXPECT_EQ(c.error().details[1].second, "imds has nothing");
}

TEST(CredentialsChain, DefaultChainPrefersEnvironmentOverProfile) {
  LoopbackServer server;  // must not be called: the environment comes first
  http::Client client;
  auto env = map_env({{"AWS_ACCESS_KEY_ID", "FROMENV"},
                      {"AWS_SECRET_ACCESS_KEY", "S"},
                      {"AWS_SHARED_CREDENTIALS_FILE", std::string(BW_FIXTURES_DIR) + "/does-not-matter"},
                      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")},
                      {"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()}});
  auto chain = make_default_credentials(client, env);
  auto c = chain->get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "FROMENV");
  EXPECT_EQ(c->source, "environment");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(CredentialsChain, DefaultChainFallsThroughToContainer) {
  LoopbackServer server([](const testing::RecordedRequest&) {
    return Reply::json(200, R"({"AccessKeyId":"CONTAINERKEY","SecretAccessKey":"S","Token":"T",)"
                            R"("Expiration":"2099-01-01T00:00:00Z"})");
  });
  http::Client client;
  auto env = map_env({{"HOME", "/nonexistent-home"},
                      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds")},
                      {"AWS_EC2_METADATA_DISABLED", "true"}});
  auto chain = make_default_credentials(client, env);
  auto c = chain->get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "CONTAINERKEY");
  EXPECT_EQ(c->source, "container");
}

TEST(CredentialsChain, DefaultChainWithNothingConfiguredFailsFastWithoutSecrets) {
  http::Client client;
  auto env = map_env({{"HOME", "/nonexistent-home"}, {"AWS_EC2_METADATA_DISABLED", "TRUE"}});
  auto c = make_default_credentials(client, env)->get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().details.size(), 4u);
  const std::string text = c.error().to_text();
  EXPECT_NE(text.find("environment"), std::string::npos) << text;
  EXPECT_NE(text.find("shared config files"), std::string::npos);
  EXPECT_NE(text.find("container"), std::string::npos);
  EXPECT_NE(text.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
}

TEST(CachedCredentials, LongTermCredentialsAreFetchedOnce) {
  auto source = std::make_unique<FakeSource>("static", true);
  auto* src = source.get();
  CachedCredentialsProvider cache(std::move(source), [] { return at("2030-01-01T00:00:00Z"); });
  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  EXPECT_EQ(src->calls, 1);
}

TEST(CachedCredentials, RefreshesWhenLessThanFiveMinutesRemain) {
  auto now = at("2030-01-01T00:00:00Z");
  auto source = std::make_unique<FakeSource>("temp", true);
  source->expiration = at("2030-01-01T01:00:00Z");
  auto* src = source.get();
  CachedCredentialsProvider cache(std::move(source), [&now] { return now; });

  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  now = at("2030-01-01T00:54:59Z");  // 5 min 1 s left: still fresh
  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  EXPECT_EQ(src->calls, 1);
  now = at("2030-01-01T00:55:01Z");  // under 5 min: refresh
  EXPECT_EQ(cache.get()->access_key_id, "AKID2");
  EXPECT_EQ(src->calls, 2);
}

TEST(CachedCredentials, FailedRefreshServesStillValidCredentialsThenFails) {
  auto now = at("2030-01-01T00:00:00Z");
  auto source = std::make_unique<FakeSource>("temp", true);
  source->expiration = at("2030-01-01T01:00:00Z");
  auto* src = source.get();
  CachedCredentialsProvider cache(std::move(source), [&now] { return now; });
  ASSERT_TRUE(cache.get());
  src->set_works(false);
  now = at("2030-01-01T00:58:00Z");
  auto stale = cache.get();
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->access_key_id, "AKID1");
  EXPECT_EQ(src->calls, 2);
  now = at("2030-01-01T00:58:05Z");  // within the retry pause: no new attempt
  ASSERT_TRUE(cache.get());
  EXPECT_EQ(src->calls, 2);
  now = at("2030-01-01T01:00:01Z");  // expired and the source still fails
  auto expired = cache.get();
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::ErrorCode::kCredentials);
}

TEST(CachedCredentials, ShortLivedCredentialsAreNotRefetchedOnEveryCall) {
  auto now = at("2030-01-01T00:00:00Z");
  auto source = std::make_unique<FakeSource>("short", true);
  source->expiration = at("2030-01-01T00:03:00Z");  // already inside the 5-minute window
  auto* src = source.get();
  CachedCredentialsProvider cache(std::move(source), [&now] { return now; });
  ASSERT_TRUE(cache.get());
  ASSERT_TRUE(cache.get());
  EXPECT_EQ(src->calls, 1);
  now = at("2030-01-01T00:00:11Z");
  EXPECT_EQ(cache.get()->access_key_id, "AKID2");
  EXPECT_EQ(src->calls, 2);
}

TEST(CachedCredentials, ConcurrentCallersShareOneFetch) {
  auto source = std::make_unique<FakeSource>("slow", true);
  source->delay = 100ms;
  auto* src = source.get();
  CachedCredentialsProvider cache(std::move(source));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (auto c = cache.get(); c && c->access_key_id == "AKID1") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(src->calls, 1);
}

// Expiry -> refresh through the real container source and an injected clock.
TEST(CachedCredentials, ContainerCredentialsRefreshedBeforeExpiry) {
  LoopbackServer server(testing::sequence({
      Reply::json(
          200,
          R"({"AccessKeyId":"KEY1","SecretAccessKey":"S1","Token":"T1","Expiration":"2030-01-01T01:00:00Z"})"),
      Reply::json(
          200,
          R"({"AccessKeyId":"KEY2","SecretAccessKey":"S2","Token":"T2","Expiration":"2030-01-01T02:00:00Z"})"),
  }));
  http::Client client;
  auto now = at("2030-01-01T00:00:00Z");
  CachedCredentialsProvider cache(
      std::make_unique<ContainerCredentialsProvider>(
          client, map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/v1/credentials")}})),
      [&now] { return now; });
  auto first = cache.get();
  ASSERT_TRUE(first) << first.error().to_text();
  EXPECT_EQ(first->access_key_id, "KEY1");
  EXPECT_EQ(first->expiration, at("2030-01-01T01:00:00Z"));
  now = at("2030-01-01T00:30:00Z");
  EXPECT_EQ(cache.get()->access_key_id, "KEY1");
  EXPECT_EQ(server.request_count(), 1u);
  now = at("2030-01-01T00:57:00Z");
  EXPECT_EQ(cache.get()->access_key_id, "KEY2");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(MaskedKeyId, ShowsOnlyLastFour) {
  EXPECT_EQ(masked_key_id("AKIAIOSFODNN7EXAMPLE"), "...MPLE");
  EXPECT_EQ(masked_key_id("ABC"), "****");
}

}  // namespace
}  // namespace bw::aws
