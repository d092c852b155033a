#include "aws/credentials_container.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

constexpr const char* kCreds =
    R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"CONTAINERSECRET","Token":"CONTAINERTOKEN",)"
    R"("Expiration":"2030-06-01T12:00:00Z","RoleArn":"arn:aws:iam::123456789012:role/task"})";

TEST(ContainerCredentials, RelativeUriGoesToEcsHostWithAuthToken) {
  LoopbackServer server([](const testing::RecordedRequest&) { return Reply::json(200, kCreds); });
  http::Client client;
  ContainerCredentialsProvider p(
      client,
      map_env({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc-123"},
               {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer tok"}}),
      server.url());
  auto c = p.get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(c->secret_access_key, "CONTAINERSECRET");
  EXPECT_EQ(c->session_token, "CONTAINERTOKEN");
  EXPECT_EQ(c->expiration, core::parse_iso8601("2030-06-01T12:00:00Z"));
  EXPECT_EQ(c->source, "container");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].target, "/v2/credentials/abc-123");
  EXPECT_EQ(reqs[0].header("Authorization"), "Bearer tok");
}

TEST(ContainerCredentials, FullUriWithTokenFileWhichBeatsTheTokenVariable) {
  LoopbackServer server([](const testing::RecordedRequest&) { return Reply::json(200, kCreds); });
  const auto token_file = std::filesystem::temp_directory_path() / "bw-aws-eks-token";
  std::ofstream(token_file) << "eks-pod-identity-token\n";
  http::Client client;
  ContainerCredentialsProvider p(client,
                                 map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/get-creds")},
                                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.string()},
                                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"}}));
  auto c = p.get();
  std::filesystem::remove(token_file);
  ASSERT_TRUE(c) << c.error().to_text();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/get-creds");
  EXPECT_EQ(reqs[0].header("Authorization"), "eks-pod-identity-token");
}

TEST(ContainerCredentials, MissingTokenFileIsAnError) {
  LoopbackServer server;
  http::Client client;
  ContainerCredentialsProvider p(client,
                                 map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/c")},
                                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/token"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), std::string::npos);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(ContainerCredentials, FullUriHostsAreRestrictedLikeTheSdks) {
  EXPECT_TRUE(is_allowed_full_uri("http://127.0.0.1:8080/creds"));
  EXPECT_TRUE(is_allowed_full_uri("http://127.1.2.3/creds"));
  EXPECT_TRUE(is_allowed_full_uri("http://localhost/creds"));
  EXPECT_TRUE(is_allowed_full_uri("http://[::1]:80/creds"));
  EXPECT_TRUE(is_allowed_full_uri("http://169.254.170.2/v2/credentials"));
  EXPECT_TRUE(is_allowed_full_uri("http://169.254.170.23/v1/credentials"));
  EXPECT_TRUE(is_allowed_full_uri("http://[fd00:ec2::23]/v1/credentials"));
  EXPECT_TRUE(is_allowed_full_uri("https://creds.example.com/x"));
  EXPECT_FALSE(is_allowed_full_uri("http://creds.example.com/x"));
  EXPECT_FALSE(is_allowed_full_uri("http://169.254.169.254/latest"));
  EXPECT_FALSE(is_allowed_full_uri("http://10.0.0.1/creds"));
  EXPECT_FALSE(is_allowed_full_uri("ftp://127.0.0.1/creds"));
  EXPECT_FALSE(is_allowed_full_uri("http://user@127.0.0.1/creds"));
  EXPECT_FALSE(is_allowed_full_uri("/relative"));
}

TEST(ContainerCredentials, DisallowedFullUriIsNeverContacted) {
  http::Client client;
  ContainerCredentialsProvider p(client,
                                 map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::ErrorCode::kCredentials);
  EXPECT_NE(c.error().message.find("AWS_CONTAINER_CREDENTIALS_FULL_URI"), std::string::npos);
}

TEST(ContainerCredentials, NotConfiguredSaysSo) {
  http::Client client;
  auto c = ContainerCredentialsProvider(client, map_env({})).get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), std::string::npos);
}

TEST(ContainerCredentials, ErrorStatusAndBadDocumentsNeverLeakTheBody) {
  LoopbackServer server(testing::sequence({
      Reply::json(403, R"({"code":"AccessDenied","message":"Task role not found"})"),
      Reply::json(200, R"({"AccessKeyId":"A","Token":"LEAKYTOKEN"})"),
      Reply::json(200, R"({"AccessKeyId":"A","SecretAccessKey":"LEAKYSECRET","Expiration":"soon"})"),
  }));
  http::Client client;
  ContainerCredentialsProvider p(client, map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/c")}}));
  auto denied = p.get();
  ASSERT_FALSE(denied);
  EXPECT_NE(denied.error().message.find("HTTP 403"), std::string::npos);
  EXPECT_NE(denied.error().to_text().find("Task role not found"), std::string::npos);
  auto no_secret = p.get();
  ASSERT_FALSE(no_secret);
  EXPECT_EQ(no_secret.error().to_text().find("LEAKYTOKEN"), std::string::npos);
  auto bad_expiry = p.get();
  ASSERT_FALSE(bad_expiry);
  EXPECT_NE(bad_expiry.error().message.find("Expiration"), std::string::npos);
  EXPECT_EQ(bad_expiry.error().to_text().find("LEAKYSECRET"), std::string::npos);
}

TEST(ContainerCredentials, ServerErrorIsRetriedOnce) {
  LoopbackServer server(testing::sequence({Reply::json(500, "{}"), Reply::json(200, kCreds)}));
  http::Client client;
  ContainerCredentialsProvider p(client, map_env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/c")}}));
  ASSERT_TRUE(p.get());
  EXPECT_EQ(server.request_count(), 2u);
}

}  // namespace
}  // namespace bw::aws
