#include "aws/aws_client.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using testing::Reply;

class StaticCredentials : public CredentialsProvider {
 public:
  core::Result<Credentials> get() override {
    ++calls;
    if (fail) return core::make_error(core::ErrorCode::kCredentials, "No AWS credentials found");
    Credentials c;
    c.access_key_id = "AKIDTEST";
    c.secret_access_key = "SECRETTEST";
    c.session_token = "SESSIONTEST";
    c.source = "test";
    return c;
  }
  std::string name() const override { return "static"; }
  std::atomic<int> calls{0};
  bool fail = false;
};

struct Harness {
  explicit Harness(std::string endpoint, unsigned max_attempts = 4) {
    AwsClientOptions opts;
    opts.retry.max_attempts = max_attempts;
    opts.retry.base = 100ms;
    opts.retry.cap = 250ms;
    opts.retry.jitter_seed = 42;
    opts.sleep = [this](std::chrono::milliseconds d, const core::StopToken&) {
      sleeps.push_back(d);
      return true;
    };
    opts.now = [] { return core::parse_iso8601("2024-03-05T06:07:08Z").value(); };
    client = std::make_unique<AwsClient>(http, creds, map_env({{"AWS_ENDPOINT_URL", endpoint}}), "us-west-2",
                                         opts);
  }
  http::Client http;
  StaticCredentials creds;
  std::vector<std::chrono::milliseconds> sleeps;
  std::unique_ptr<AwsClient> client;
};

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(AwsClient, ServerErrorIsRetriedWithBoundedJitteredDelays) {
  LoopbackServer server(testing::sequence(
      {Reply::empty(503), Reply::json(500, "{}"), Reply::empty(503), Reply::json(200, R"({"ok":true})")}));
  Harness h(server.url());
  auto r = h.client->send("sqs", "sqs", json_protocol("AmazonSQS.ListQueues", "{}", "1.0"), "ListQueues");
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_EQ(server.request_count(), 4u);
  ASSERT_EQ(h.sleeps.size(), 3u);
  const std::chrono::milliseconds ceilings[] = {100ms, 200ms, 250ms};
  for (std::size_t i = 0; i < h.sleeps.size(); ++i) {
    EXPECT_GE(h.sleeps[i].count(), 0);
    EXPECT_LE(h.sleeps[i], ceilings[i]) << i;
  }
  EXPECT_EQ(h.creds.calls, 4);  // fetched per attempt so a refresh takes effect
}

TEST(AwsClient, ClientErrorIsNotRetried) {
  LoopbackServer server(
      testing::sequence({Reply::json(400, R"({"__type":"ValidationException","message":"bad input"})")}));
  Harness h(server.url());
  auto r = h.client->send("secretsmanager", "secretsmanager", json_protocol("secretsmanager.X", "{}"), "X");
  ASSERT_FALSE(r);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(h.sleeps.empty());
  EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(detail(r.error(), "code"), "ValidationException");
  EXPECT_EQ(detail(r.error(), "AWS said"), "bad input");
  EXPECT_EQ(detail(r.error(), "HTTP status"), "400");
}

TEST(AwsClient, CallReturnsParsedErrorReply) {
  LoopbackServer server(
      testing::sequence({Reply::json(404, R"({"__type":"ResourceNotFoundException","message":"gone"})")}));
  Harness h(server.url());
  auto r = h.client->call("secretsmanager", "secretsmanager", json_protocol("secretsmanager.X", "{}"), "X");
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->code, "ResourceNotFoundException");
  EXPECT_EQ(r->response.status, 404);
}

TEST(AwsClient, ThrottlingIsRetried) {
  LoopbackServer server(
      testing::sequence({Reply::json(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"),
                         Reply::json(200, "{}")}));
  Harness h(server.url());
  auto r = h.client->send("logs", "logs", json_protocol("Logs_20140328.PutLogEvents", "{}"), "PutLogEvents");
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(h.sleeps.size(), 1u);
}

TEST(AwsClient, DroppedConnectionIsRetried) {
  LoopbackServer server(testing::sequence({Reply::dropped(), Reply::json(200, "{}")}));
  Harness h(server.url());
  auto r = h.client->send("sqs", "sqs", json_protocol("AmazonSQS.ListQueues", "{}", "1.0"), "ListQueues");
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(h.sleeps.size(), 1u);
}

TEST(AwsClient, AttemptsAreBounded) {
  LoopbackServer server(
      testing::sequence({Reply::json(500, R"({"__type":"InternalFailure","message":"boom"})")}));
  Harness h(server.url(), 3);
  auto r = h.client->send("sqs", "sqs", json_protocol("AmazonSQS.ListQueues", "{}", "1.0"), "ListQueues");
  ASSERT_FALSE(r);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(h.sleeps.size(), 2u);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(detail(r.error(), "HTTP status"), "500");
  EXPECT_TRUE(r.error().healable());
}

TEST(AwsClient, TransportErrorIsRetriedThenReported) {
  Harness h("http://127.0.0.1:" + std::to_string(testing::closed_port()), 3);
  auto r = h.client->send("sqs", "sqs", json_protocol("AmazonSQS.ListQueues", "{}", "1.0"), "ListQueues");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kTransport);
  EXPECT_EQ(h.sleeps.size(), 2u);
  EXPECT_EQ(detail(r.error(), "action"), "ListQueues");
}

TEST(AwsClient, CredentialsFailureStopsBeforeSending) {
  LoopbackServer server;
  Harness h(server.url());
  h.creds.fail = true;
  auto r = h.client->send("sqs", "sqs", json_protocol("AmazonSQS.ListQueues", "{}", "1.0"), "ListQueues");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kCredentials);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(AwsClient, SignsForRegionAndSigningName) {
  LoopbackServer server(testing::sequence({Reply::json(200, "{}")}));
  Harness h(server.url());
  ASSERT_TRUE(
      h.client->send("logs", "logs", json_protocol("Logs_20140328.DescribeLogGroups", "{}"), "Describe"));
  auto req = server.requests().at(0);
  auto auth = req.header("Authorization").value_or("");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST/20240305/us-west-2/logs/aws4_request", 0), 0u)
      << auth;
  EXPECT_EQ(req.header("X-Amz-Date"), "20240305T060708Z");
  EXPECT_EQ(req.header("X-Amz-Security-Token"), "SESSIONTEST");
  EXPECT_EQ(auth.find("SECRETTEST"), std::string::npos);
}

TEST(AwsClient, RelativePathsJoinTheEndpointAndAbsoluteUrlsStay) {
  LoopbackServer server(testing::sequence({Reply::json(200, "{}")}));
  Harness h(server.url() + "/prefix/");
  http::Request get;
  get.url = "/bucket/a%20b?list-type=2";
  ASSERT_TRUE(h.client->send("s3", "s3", get, "ListObjectsV2"));
  http::Request abs;
  abs.url = server.url("/123456789012/queue");
  ASSERT_TRUE(h.client->send("sqs", "sqs", abs, "X"));
  http::Request empty;
  empty.url = "";
  ASSERT_TRUE(h.client->send("sts", "sts", empty, "X"));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].target, "/prefix/bucket/a%20b?list-type=2");
  EXPECT_EQ(reqs[1].target, "/123456789012/queue");
  EXPECT_EQ(reqs[2].target, "/prefix/");
}

TEST(AwsClient, BadEndpointVariableIsReportedBeforeSending) {
  Harness h("ftp://nope");
  auto r = h.client->send("sqs", "sqs", json_protocol("A", "{}"), "A");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(h.creds.calls, 0);
}

TEST(Protocols, QueryProtocolFormEncodesParameters) {
  auto req = query_protocol("DescribeStacks", "2010-05-15",
                            {{"StackName", "arn:aws:cloudformation:us-east-1:1:stack/q/id"}, {"X", "a b&c"}});
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "/");
  EXPECT_EQ(http::find_header(req.headers, "content-type"),
            "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(
      req.body,
      "Action=DescribeStacks&Version=2010-05-15&StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%3A1%3Astack"
      "%2Fq%2Fid&X=a%20b%26c");
}

TEST(Protocols, JsonProtocolSetsTargetAndContentType) {
  auto req = json_protocol("AmazonSQS.SendMessage", R"({"QueueUrl":"u"})", "1.0");
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(http::find_header(req.headers, "X-Amz-Target"), "AmazonSQS.SendMessage");
  EXPECT_EQ(http::find_header(req.headers, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(req.body, R"({"QueueUrl":"u"})");
}

}  // namespace
}  // namespace bw::aws
