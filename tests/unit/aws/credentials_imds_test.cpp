#include "aws/credentials_imds.hpp"

#include <gtest/gtest.h>

#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::Reply;

constexpr const char* kRoleCreds =
    R"({"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS",)"
    R"("SecretAccessKey":"IMDSSECRET","Token":"IMDSTOKEN","Expiration":"2030-01-01T06:00:00Z"})";

Reply imds(const RecordedRequest& r, bool v2) {
  if (r.target == "/latest/api/token") {
    if (!v2) return Reply::empty(405);
    if (r.method != "PUT") return Reply::empty(405);
    return Reply::text(200, "SESSIONTOKEN");
  }
  if (v2 && r.header("x-aws-ec2-metadata-token") != "SESSIONTOKEN") return Reply::empty(401);
  if (r.target == "/latest/meta-data/iam/security-credentials/") return Reply::text(200, "app-role\n");
  if (r.target == "/latest/meta-data/iam/security-credentials/app-role") return Reply::json(200, kRoleCreds);
  return Reply::empty(404);
}

TEST(ImdsCredentials, V2TokenThenRoleThenCredentials) {
  LoopbackServer server([](const RecordedRequest& r) { return imds(r, true); });
  http::Client client;
  ImdsCredentialsProvider p(client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url() + "/"}}));
  auto c = p.get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->secret_access_key, "IMDSSECRET");
  EXPECT_EQ(c->session_token, "IMDSTOKEN");
  EXPECT_EQ(c->expiration, core::parse_iso8601("2030-01-01T06:00:00Z"));
  EXPECT_EQ(c->source, "imds");

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].target, "/latest/api/token");
  EXPECT_EQ(reqs[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(reqs[1].method, "GET");
  EXPECT_EQ(reqs[1].target, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(reqs[1].header("x-aws-ec2-metadata-token"), "SESSIONTOKEN");
  EXPECT_EQ(reqs[2].target, "/latest/meta-data/iam/security-credentials/app-role");
  EXPECT_EQ(reqs[2].header("x-aws-ec2-metadata-token"), "SESSIONTOKEN");
}

TEST(ImdsCredentials, FallsBackToV1WhenTokenIsNotSupported) {
  LoopbackServer server([](const RecordedRequest& r) { return imds(r, false); });
  http::Client client;
  ImdsCredentialsProvider p(client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()}}));
  auto c = p.get();
  ASSERT_TRUE(c) << c.error().to_text();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_FALSE(reqs[1].header("x-aws-ec2-metadata-token"));
}

TEST(ImdsCredentials, DisabledMeansNoRequest) {
  LoopbackServer server([](const RecordedRequest& r) { return imds(r, true); });
  http::Client client;
  ImdsCredentialsProvider p(client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()},
                                             {"AWS_EC2_METADATA_DISABLED", "true"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(ImdsCredentials, NoInstanceProfileIsExplained) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.target == "/latest/api/token") return Reply::text(200, "SESSIONTOKEN");
    return Reply::empty(404);
  });
  http::Client client;
  auto c =
      ImdsCredentialsProvider(client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()}})).get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("no IAM instance profile"), std::string::npos);
}

TEST(ImdsCredentials, UnreachableOrSlowImdsFailsFast) {
  http::Client client;
  auto refused = ImdsCredentialsProvider(
                     client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                       "http://127.0.0.1:" + std::to_string(testing::closed_port())}}))
                     .get();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not reachable"), std::string::npos);

  LoopbackServer slow([](const RecordedRequest&) { return Reply::text(200, "x").with_delay(3s); });
  auto timed_out =
      ImdsCredentialsProvider(client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", slow.url()}}), 300ms)
          .get();
  ASSERT_FALSE(timed_out);
  // Given up at its own timeout on the token request: waiting out the reply would have gone on to ask for
  // the role with the token "x" and failed on an unusable reply instead.
  EXPECT_NE(timed_out.error().message.find("not reachable"), std::string::npos) << timed_out.error().message;
}

TEST(ImdsCredentials, InvalidEndpointVariableIsRejected) {
  http::Client client;
  auto c =
      ImdsCredentialsProvider(client, map_env({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"}}))
          .get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("AWS_EC2_METADATA_SERVICE_ENDPOINT"), std::string::npos);
}

}  // namespace
}  // namespace bw::aws
