// CloudWatch Logs FilterLogEvents. Replies marked "moto" were captured from moto 5.2.1.
#include "aws/logs.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

struct Harness : testing::AwsLoopback<Logs> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "us-east-2"), logs(&service) {}
  Logs* logs;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

// moto: three events in one stream, last page ("nextToken": null).
const std::string kMotoPage =
    R"({"events": [{"eventId": "0", "ingestionTime": 1795725628289, "message": "hello \u00e9 \"q\"", "timestamp": 1795725626287, "logStreamName": "bw/app/1"},)"
    R"( {"eventId": "1", "ingestionTime": 1795725628289, "message": "GET /health 200", "timestamp": 1795725627287, "logStreamName": "bw/app/1"},)"
    R"( {"eventId": "2", "ingestionTime": 1795725628289, "message": "error: boom", "timestamp": 1795725628287, "logStreamName": "bw/app/1"}],)"
    R"( "nextToken": null, "searchedLogStreams": [{"logStreamName": "bw/app/1", "searchedCompletely": true}]})";

TEST(Logs, FilterLogEventsSendsEveryFieldAndReadsMotoPage) {
  LoopbackServer server(testing::sequence({Reply::json(200, kMotoPage)}));
  Harness h(server);
  FilterRequest r;
  r.group = "/ecs/benchling-webhook";
  r.start_ms = 1795725600000;
  r.end_ms = 1795725700000;
  r.filter_pattern = "?ERROR ?error";
  r.stream_prefix = "benchling-webhook";
  r.limit = 500;
  r.next_token = "tok/1";
  auto page = h.logs->filter_log_events(r);
  ASSERT_TRUE(page) << page.error().to_text();
  ASSERT_EQ(page->events.size(), 3u);
  EXPECT_EQ(page->next_token, "");
  EXPECT_EQ(page->events[0].event_id, "0");
  EXPECT_EQ(page->events[0].stream, "bw/app/1");
  EXPECT_EQ(page->events[0].timestamp_ms, 1795725626287);
  EXPECT_EQ(page->events[0].message, "hello \xC3\xA9 \"q\"");
  EXPECT_EQ(page->events[2].message, "error: boom");

  const auto req = server.requests().at(0);
  EXPECT_EQ(req.header("X-Amz-Target"), "Logs_20140328.FilterLogEvents");
  EXPECT_EQ(req.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_NE(req.header("Authorization").value_or("").find("/us-east-2/logs/aws4_request"), std::string::npos);
  const auto body = boost::json::parse(req.body).as_object();
  EXPECT_EQ(body.at("logGroupName").as_string(), "/ecs/benchling-webhook");
  EXPECT_EQ(body.at("startTime").as_int64(), 1795725600000);
  EXPECT_EQ(body.at("endTime").as_int64(), 1795725700000);
  EXPECT_EQ(body.at("filterPattern").as_string(), "?ERROR ?error");
  EXPECT_EQ(body.at("logStreamNamePrefix").as_string(), "benchling-webhook");
  EXPECT_EQ(body.at("limit").as_int64(), 500);
  EXPECT_EQ(body.at("nextToken").as_string(), "tok/1");
}

TEST(Logs, OptionalFieldsAreOmittedAndLimitIsClamped) {
  LoopbackServer server(testing::sequence({Reply::json(200, R"({"events": [], "nextToken": "n2"})")}));
  Harness h(server);
  FilterRequest r;
  r.group = "/ecs/bw";
  r.start_ms = 5;
  r.filter_pattern = "";
  r.next_token = "";  // "no token yet" as an empty string is not sent: AWS wants 1+ characters
  auto page = h.logs->filter_log_events(r);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->next_token, "n2");
  EXPECT_EQ(server.requests()[0].body, R"({"logGroupName":"/ecs/bw","startTime":5})");

  r.limit = 20000;
  ASSERT_TRUE(h.logs->filter_log_events(r));
  EXPECT_EQ(boost::json::parse(server.requests()[1].body).as_object().at("limit").as_int64(), 10000);
}

TEST(Logs, MissingGroupIsNotFound) {
  // moto: 400, X-Amzn-ErrorType ResourceNotFoundException.
  LoopbackServer server(testing::sequence(
      {Reply::json(
           400,
           R"({"__type": "ResourceNotFoundException", "message": "The specified log group does not exist."})")
           .with_header("X-Amzn-ErrorType", "ResourceNotFoundException")}));
  Harness h(server);
  FilterRequest r;
  r.group = "/ecs/missing";
  auto page = h.logs->filter_log_events(r);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(page.error().message, "Log group not found: /ecs/missing");
  EXPECT_EQ(detail(page.error(), "LogGroup"), "/ecs/missing");
  EXPECT_EQ(detail(page.error(), "Region"), "us-east-2");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(Logs, ThrottlingIsRetriedThenReported) {
  LoopbackServer server(testing::sequence(
      {Reply::json(400, R"({"__type": "ThrottlingException", "message": "Rate exceeded"})")}));
  Harness h(server);
  FilterRequest r;
  r.group = "/ecs/bw";
  auto page = h.logs->filter_log_events(r);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kThrottled);
  EXPECT_EQ(server.request_count(), 4u);
}

TEST(Logs, EmptyGroupIsRejectedWithoutCalling) {
  LoopbackServer server;
  Harness h(server);
  auto page = h.logs->filter_log_events(FilterRequest{});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(Logs, LongMessagesAreCutOnACharacterBoundary) {
  // 'a' then 2-byte characters, so byte 256 KiB falls in the middle of one.
  std::string message = "a";
  while (message.size() < kLogsMaxMessageBytes + 100) message += "\xC3\xA9";
  boost::json::object ev{{"eventId", "9"}, {"timestamp", 1}, {"logStreamName", "s"}, {"message", message}};
  boost::json::object root{{"events", boost::json::array{ev}}};
  auto page = parse_filter_log_events(boost::json::serialize(root));
  ASSERT_TRUE(page) << page.error().to_text();
  const std::string& got = page->events[0].message;
  EXPECT_EQ(got.size(), kLogsMaxMessageBytes - 1);
  EXPECT_EQ(got, message.substr(0, kLogsMaxMessageBytes - 1));
}

TEST(Logs, BadPagesAreRemote) {
  EXPECT_EQ(parse_filter_log_events("[]").error().code, core::ErrorCode::kRemote);
  EXPECT_FALSE(parse_filter_log_events(R"({"events": {}})"));
  EXPECT_FALSE(parse_filter_log_events(R"({"events": [{"eventId": "1", "message": "no time"}]})"));
  EXPECT_FALSE(parse_filter_log_events(R"({"nextToken": 5})"));
  EXPECT_FALSE(parse_filter_log_events(R"({"nextToken": ")" + std::string(5000, 't') + R"("})"));

  std::string many = R"({"events": [)";
  for (int i = 0; i <= kLogsMaxLimit; ++i) many += std::string(i ? "," : "") + R"({"timestamp": 1})";
  many += "]}";
  auto too_many = parse_filter_log_events(many);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, core::ErrorCode::kRemote);

  auto empty = parse_filter_log_events(R"({"searchedLogStreams": []})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->events.empty());
  EXPECT_EQ(empty->next_token, "");
}

}  // namespace
}  // namespace bw::aws
