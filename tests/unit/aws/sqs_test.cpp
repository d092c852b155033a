#include "aws/sqs.hpp"

#include <gtest/gtest.h>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

struct Harness : testing::AwsLoopback<Sqs> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_SQS", "us-east-1", "2024-03-05T06:07:08Z"),
        sqs(&service),
        url(server.url() + "/123456789012/work.fifo") {}
  Sqs* sqs;
  std::string url;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

void expect_sqs_json_call(const testing::RecordedRequest& r, const std::string& action) {
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");  // JSON protocol: the endpoint root, the queue URL travels in the body
  EXPECT_EQ(r.header("X-Amz-Target"), "AmazonSQS." + action);
  EXPECT_EQ(r.header("Content-Type"), "application/x-amz-json-1.0");
  const auto auth = r.header("Authorization").value_or("");
  EXPECT_NE(auth.find("Credential=AKIDTEST/20240305/us-east-1/sqs/aws4_request"), std::string::npos) << auth;
}

// moto 5.2.1's exact reply to a JSON-protocol call on a missing queue.
Reply queue_does_not_exist() {
  return Reply::
      json(400,
           R"({"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist.", "Message": "The specified queue does not exist."})")
          .with_header("X-Amzn-Errortype", "com.amazonaws.sqs#QueueDoesNotExist")
          .with_header("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
}

TEST(Sqs, QueueUrlIsTheEndpointPlusAccountAndName) {
  LoopbackServer server;
  Harness h(server);
  auto url = h.sqs->queue_url("123456789012", "benchling-webhook-7060b1a38f95a5ac.fifo");
  ASSERT_TRUE(url) << url.error().to_text();
  EXPECT_EQ(*url, server.url() + "/123456789012/benchling-webhook-7060b1a38f95a5ac.fifo");
}

TEST(Sqs, QueueUrlOnAwsUsesTheRegionalHost) {
  http::Client http;
  testing::StaticCredentials creds;
  AwsClient client(http, creds, map_env({}), "eu-west-2");
  Sqs sqs(client);
  EXPECT_EQ(sqs.queue_url("123456789012", "q").value(), "https://sqs.eu-west-2.amazonaws.com/123456789012/q");
}

TEST(Sqs, QueueUrlRejectsBadAccountAndName) {
  LoopbackServer server;
  Harness h(server);
  for (auto [account, name] :
       std::vector<std::pair<std::string, std::string>>{{"12345678901", "q"},
                                                        {"12345678901x", "q"},
                                                        {"123456789012", ""},
                                                        {"123456789012", ".fifo"},
                                                        {"123456789012", "a/b"},
                                                        {"123456789012", "q?x=1"},
                                                        {"123456789012", std::string(81, 'a')}}) {
    auto url = h.sqs->queue_url(account, name);
    ASSERT_FALSE(url) << account << " " << name;
    EXPECT_EQ(url.error().code, core::ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(h.sqs->queue_url("123456789012", std::string(75, 'a') + ".fifo"));
}

TEST(Sqs, SendMessageSendsGroupAndDedupAndReturnsMessageId) {
  LoopbackServer server(testing::sequence({Reply::json(
      200,
      R"({"MD5OfMessageBody": "45dc86a5163de44d983f9b16b641a418", "MessageId": "32ab8ab1-2648-4d59-a4f4-3f9d1abc2b7a", "SequenceNumber": "44866619530347451055"})")}));
  Harness h(server);
  auto id = h.sqs->send_message(h.url, "{\"a\": \"\xC3\xA9 \\\" x\"}", "entry:etr_1", "wh_1");
  ASSERT_TRUE(id) << id.error().to_text();
  EXPECT_EQ(*id, "32ab8ab1-2648-4d59-a4f4-3f9d1abc2b7a");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  expect_sqs_json_call(reqs[0], "SendMessage");
  EXPECT_EQ(reqs[0].body,
            R"({"QueueUrl":")" + h.url +
                R"(","MessageBody":"{\"a\": \")"
                "\xC3\xA9"
                R"( \\\" x\"}","MessageGroupId":"entry:etr_1","MessageDeduplicationId":"wh_1"})");
}

TEST(Sqs, SendMessageWithoutGroupSendsOnlyUrlAndBody) {
  LoopbackServer server(testing::sequence({Reply::json(200, R"({"MessageId": "m-1"})")}));
  Harness h(server);
  ASSERT_TRUE(h.sqs->send_message(h.url, "hello"));
  EXPECT_EQ(server.requests().at(0).body, R"({"QueueUrl":")" + h.url + R"(","MessageBody":"hello"})");
}

TEST(Sqs, SendMessageRefusesOversizedBodyWithoutCallingSqs) {
  LoopbackServer server;
  Harness h(server);
  auto id = h.sqs->send_message(h.url, std::string(kSqsMaxMessageBytes + 1, 'x'), "g", "d");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(Sqs, SendMessageReplyWithoutMessageIdIsRemoteError) {
  LoopbackServer server(testing::sequence({Reply::json(200, R"({"MD5OfMessageBody": "x"})")}));
  Harness h(server);
  auto id = h.sqs->send_message(h.url, "x", "g", "d");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::ErrorCode::kRemote);
}

// moto's JSON-protocol reply, verbatim (the body's é arrives as a \u00e9 escape).
const char* kReceiveReply =
    R"({"Messages": [{"MessageId": "32ab8ab1-2648-4d59-a4f4-3f9d1abc2b7a", "ReceiptHandle": "ygrokqbigvqszrxknupjnxgzrisatvxtsufdapyjfeueusxryntdbjqxqsfuwsflxucjmyenwclapjlubdaavflrlnqnrgz", "MD5OfBody": "45dc86a5163de44d983f9b16b641a418", "Body": "{\"a\": \"\u00e9 \\\" x\"}", "Attributes": {"SenderId": "AIDAIT2UOQQY3AUEKVGXU", "SentTimestamp": "1795717363367", "ApproximateReceiveCount": "3", "ApproximateFirstReceiveTimestamp": "1795717363374", "MessageDeduplicationId": "wh_1", "MessageGroupId": "entry:etr_1", "SequenceNumber": "44866619530347451055"}}]})";

TEST(Sqs, ReceiveMessagesAsksForAllAttributesAndParsesMessages) {
  LoopbackServer server(testing::sequence({Reply::json(200, kReceiveReply)}));
  Harness h(server);
  auto msgs = h.sqs->receive_messages(h.url, 10, 20, 300);
  ASSERT_TRUE(msgs) << msgs.error().to_text();
  ASSERT_EQ(msgs->size(), 1u);
  const SqsMessage& m = msgs->front();
  EXPECT_EQ(m.message_id, "32ab8ab1-2648-4d59-a4f4-3f9d1abc2b7a");
  EXPECT_EQ(m.receipt_handle.rfind("ygrokqbig", 0), 0u);
  EXPECT_EQ(m.body, "{\"a\": \"\xC3\xA9 \\\" x\"}");  // as sent, byte for byte
  EXPECT_EQ(m.md5_of_body, "45dc86a5163de44d983f9b16b641a418");
  EXPECT_EQ(m.receive_count(), 3);
  EXPECT_EQ(m.attribute("MessageGroupId"), "entry:etr_1");
  EXPECT_EQ(m.attribute("MessageDeduplicationId"), "wh_1");
  EXPECT_EQ(m.attribute("SentTimestamp"), "1795717363367");
  EXPECT_FALSE(m.attribute("Nope"));

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  expect_sqs_json_call(reqs[0], "ReceiveMessage");
  EXPECT_EQ(reqs[0].body, R"({"QueueUrl":")" + h.url +
                              R"(","MaxNumberOfMessages":10,"WaitTimeSeconds":20,"AttributeNames":["All"],)"
                              R"("MessageSystemAttributeNames":["All"],"MessageAttributeNames":["All"],)"
                              R"("VisibilityTimeout":300})");
}

TEST(Sqs, SendMessageSendsStringMessageAttributes) {
  LoopbackServer server(testing::sequence({Reply::json(200, R"({"MessageId": "m-1"})")}));
  Harness h(server);
  ASSERT_TRUE(h.sqs->send_message(h.url, "x", "g", "d", {{"bw-last-error", "boom \"quoted\""}}));
  EXPECT_EQ(
      server.requests().at(0).body,
      R"({"QueueUrl":")" + h.url +
          R"(","MessageBody":"x","MessageGroupId":"g","MessageDeduplicationId":"d",)"
          R"("MessageAttributes":{"bw-last-error":{"DataType":"String","StringValue":"boom \"quoted\""}}})");
}

// moto's reply shape for a message sent with attributes: String values kept, Binary ones left out.
TEST(Sqs, ReceiveParsesStringMessageAttributesAndSkipsBinary) {
  auto msgs = parse_receive_messages(
      R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": "b", "MessageAttributes": {)"
      R"("bw-last-error": {"DataType": "String", "StringValue": "kRemote: boom"},)"
      R"("n": {"DataType": "Number", "StringValue": "5"},)"
      R"("bin": {"DataType": "Binary", "BinaryValue": "AAE="}}}]})");
  ASSERT_TRUE(msgs) << msgs.error().to_text();
  const auto& attrs = msgs->at(0).message_attributes;
  EXPECT_EQ(attrs.size(), 2u);
  EXPECT_EQ(attrs.at("bw-last-error"), "kRemote: boom");
  EXPECT_EQ(attrs.at("n"), "5");
  EXPECT_FALSE(parse_receive_messages(
      R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": "b", "MessageAttributes": []}]})"));
}

TEST(Sqs, PurgeQueueSendsTheUrl) {
  LoopbackServer server(testing::sequence({Reply::json(200, "{}")}));
  Harness h(server);
  ASSERT_TRUE(h.sqs->purge_queue(h.url));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  expect_sqs_json_call(reqs[0], "PurgeQueue");
  EXPECT_EQ(reqs[0].body, R"({"QueueUrl":")" + h.url + R"("})");
}

TEST(Sqs, ReceiveMessagesClampsCountAndWaitAndOmitsVisibility) {
  LoopbackServer server(testing::sequence({Reply::json(200, "{}")}));
  Harness h(server);
  auto msgs = h.sqs->receive_messages(h.url, 50, 99);
  ASSERT_TRUE(msgs);
  EXPECT_TRUE(msgs->empty());
  ASSERT_TRUE(h.sqs->receive_messages(h.url, 0, -5));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(reqs[0].body.find(R"("MaxNumberOfMessages":10,"WaitTimeSeconds":20,)"), std::string::npos);
  EXPECT_EQ(reqs[0].body.find("VisibilityTimeout"), std::string::npos);
  EXPECT_NE(reqs[1].body.find(R"("MaxNumberOfMessages":1,"WaitTimeSeconds":0,)"), std::string::npos);
}

// The long poll is held open by the server: a reply after 1.2 s with wait_seconds=1 must still arrive.
TEST(Sqs, LongPollIsNotCutShortByTheHttpTimeout) {
  LoopbackServer server(testing::sequence(
      {Reply::json(200, R"({"Messages": []})").with_delay(std::chrono::milliseconds(1200))}));
  Harness h(server);
  auto msgs = h.sqs->receive_messages(h.url, 1, 1);
  ASSERT_TRUE(msgs) << msgs.error().to_text();
  EXPECT_TRUE(msgs->empty());
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(Sqs, ParseReceiveRejectsMalformedReplies) {
  for (const char* bad : {
           R"([])",
           R"({"Messages": {}})",
           R"({"Messages": [1]})",
           R"({"Messages": [{"ReceiptHandle": "r", "Body": "b"}]})",
           R"({"Messages": [{"MessageId": "m", "Body": "b"}]})",
           R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r"}]})",
           R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": 5}]})",
           R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": "b", "Attributes": []}]})",
           R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": "b", "Attributes": {"A": 1}}]})",
           R"({"Messages": [)",
       }) {
    auto r = parse_receive_messages(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote) << bad;
  }
}

TEST(Sqs, ParseReceiveBoundsMessageCountAndBodySize) {
  std::string eleven = R"({"Messages": [)";
  for (int i = 0; i < 11; ++i) {
    if (i) eleven += ",";
    eleven += R"({"MessageId": "m", "ReceiptHandle": "r", "Body": "b"})";
  }
  eleven += "]}";
  EXPECT_FALSE(parse_receive_messages(eleven));
  const std::string big = R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": ")" +
                          std::string(kSqsMaxMessageBytes + 1, 'x') + R"("}]})";
  EXPECT_FALSE(parse_receive_messages(big));
  const std::string max = R"({"Messages": [{"MessageId": "m", "ReceiptHandle": "r", "Body": ")" +
                          std::string(kSqsMaxMessageBytes, 'x') + R"("}]})";
  EXPECT_TRUE(parse_receive_messages(max));
}

TEST(Sqs, ReceiveCountIsZeroWhenUnreadable) {
  SqsMessage m;
  EXPECT_EQ(m.receive_count(), 0);
  m.attributes["ApproximateReceiveCount"] = "2x";
  EXPECT_EQ(m.receive_count(), 0);
  m.attributes["ApproximateReceiveCount"] = "99999999999999";
  EXPECT_EQ(m.receive_count(), 0);
  m.attributes["ApproximateReceiveCount"] = "5";
  EXPECT_EQ(m.receive_count(), 5);
}

TEST(Sqs, DeleteAndChangeVisibilitySendReceiptHandle) {
  LoopbackServer server(testing::sequence({Reply::json(200, "{}"), Reply::empty(200)}));
  Harness h(server);
  ASSERT_TRUE(h.sqs->delete_message(h.url, "rh-1"));
  ASSERT_TRUE(h.sqs->change_visibility(h.url, "rh-1", 99999));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  expect_sqs_json_call(reqs[0], "DeleteMessage");
  EXPECT_EQ(reqs[0].body, R"({"QueueUrl":")" + h.url + R"(","ReceiptHandle":"rh-1"})");
  expect_sqs_json_call(reqs[1], "ChangeMessageVisibility");
  EXPECT_EQ(reqs[1].body,
            R"({"QueueUrl":")" + h.url + R"(","ReceiptHandle":"rh-1","VisibilityTimeout":43200})");
}

TEST(Sqs, GetQueueAttributesParsesAttributesAndAbsence) {
  LoopbackServer server(testing::sequence(
      {Reply::json(
           200,
           R"({"Attributes": {"FifoQueue": "true", "RedrivePolicy": "{\"deadLetterTargetArn\": \"arn:aws:sqs:us-east-1:123456789012:p-dlq.fifo\", \"maxReceiveCount\": 5}"}})"),
       Reply::json(200, "{}")}));
  Harness h(server);
  auto attrs = h.sqs->get_queue_attributes(h.url, {"FifoQueue", "RedrivePolicy"});
  ASSERT_TRUE(attrs) << attrs.error().to_text();
  EXPECT_EQ(attrs->at("FifoQueue"), "true");
  EXPECT_EQ(
      attrs->at("RedrivePolicy"),
      R"({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:p-dlq.fifo", "maxReceiveCount": 5})");
  auto reqs = server.requests();
  expect_sqs_json_call(reqs[0], "GetQueueAttributes");
  EXPECT_EQ(reqs[0].body,
            R"({"QueueUrl":")" + h.url + R"(","AttributeNames":["FifoQueue","RedrivePolicy"]})");

  auto none = h.sqs->get_queue_attributes(h.url);  // a standard queue: moto answers {}
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(server.requests().at(1).body, R"({"QueueUrl":")" + h.url + R"(","AttributeNames":["All"]})");
}

TEST(Sqs, CreateQueueSendsAttributesAndReturnsUrlAsGiven) {
  LoopbackServer server(
      testing::sequence({Reply::json(200, R"({"QueueUrl": "http://127.0.0.1:43197/123456789012/p.fifo"})")}));
  Harness h(server);
  auto url = h.sqs->create_queue("p.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "300"}});
  ASSERT_TRUE(url) << url.error().to_text();
  EXPECT_EQ(*url, "http://127.0.0.1:43197/123456789012/p.fifo");
  auto reqs = server.requests();
  expect_sqs_json_call(reqs[0], "CreateQueue");
  EXPECT_EQ(reqs[0].body,
            R"({"QueueName":"p.fifo","Attributes":{"FifoQueue":"true","VisibilityTimeout":"300"}})");
}

TEST(Sqs, QueueDoesNotExistIsNotFoundNamingTheQueue) {
  LoopbackServer server(testing::sequence({queue_does_not_exist()}));
  Harness h(server);
  const std::string url = server.url() + "/123456789012/nope.fifo";
  auto attrs = h.sqs->get_queue_attributes(url, {"FifoQueue"});
  ASSERT_FALSE(attrs);
  const core::Error& e = attrs.error();
  EXPECT_EQ(e.code, core::ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "SQS queue not found: nope.fifo");
  EXPECT_FALSE(e.suggestion.empty());
  EXPECT_TRUE(e.healable());
  EXPECT_EQ(detail(e, "queue"), "nope.fifo");
  EXPECT_EQ(detail(e, "queue URL"), url);
  EXPECT_EQ(detail(e, "Region"), "us-east-1");
  EXPECT_EQ(detail(e, "AWS said"), "The specified queue does not exist.");
  EXPECT_EQ(server.request_count(), 1u);  // a client error: not retried
}

// The query protocol (and SDKs that read x-amzn-query-error) name it AWS.SimpleQueueService.NonExistentQueue.
TEST(Sqs, QueryProtocolNonExistentQueueIsNotFound) {
  LoopbackServer server(testing::sequence(
      {Reply::text(400,
                   R"(<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type>)"
                   R"(<Code>AWS.SimpleQueueService.NonExistentQueue</Code>)"
                   R"(<Message>The specified queue does not exist for this wsdl version.</Message></Error>)"
                   R"(<RequestId>r-1</RequestId></ErrorResponse>)"),
       Reply::json(400, R"({"__type": "com.amazonaws.sqs#Other", "message": "x"})")
           .with_header("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")}));
  Harness h(server);
  for (int i = 0; i < 2; ++i) {
    auto id = h.sqs->send_message(h.url, "x", "g", "d");
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(id.error().message, "SQS queue not found: work.fifo");
  }
}

TEST(Sqs, OtherErrorsGoThroughToCoreErrorWithQueueDetail) {
  LoopbackServer server(testing::sequence(
      {Reply::json(
           400,
           R"({"__type": "com.amazon.coral.service#MissingRequiredParameterException", "Message": "The request must contain the parameter MessageGroupId."})")
           .with_header("x-amzn-query-error", "MissingParameter;Sender")}));
  Harness h(server);
  auto id = h.sqs->send_message(h.url, "x");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(id.error().message, "AWS sqs SendMessage failed: MissingRequiredParameterException");
  EXPECT_EQ(detail(id.error(), "queue"), "work.fifo");
  EXPECT_EQ(detail(id.error(), "AWS said"), "The request must contain the parameter MessageGroupId.");
}

TEST(Sqs, ThrottlingIsRetriedThenSucceeds) {
  LoopbackServer server(testing::sequence(
      {Reply::json(400, R"({"__type": "com.amazonaws.sqs#RequestThrottled", "message": "slow down"})")
           .with_header("x-amzn-query-error", "AWS.SimpleQueueService.RequestThrottled;Sender"),
       Reply::json(200, R"({"MessageId": "m-2"})")}));
  Harness h(server);
  auto id = h.sqs->send_message(h.url, "x", "g", "d");
  ASSERT_TRUE(id) << id.error().to_text();
  EXPECT_EQ(*id, "m-2");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(Sqs, QueueNameFromUrl) {
  EXPECT_EQ(queue_name_from_url("http://127.0.0.1:5000/123456789012/q.fifo"), "q.fifo");
  EXPECT_EQ(queue_name_from_url("https://sqs.us-east-1.amazonaws.com/123456789012/q/"), "q");
  EXPECT_EQ(queue_name_from_url("q"), "q");
}

}  // namespace
}  // namespace bw::aws

namespace bw::aws {
namespace {

// The intake path's Sqs: a hung SQS must fail the call (so the webhook gets 503) instead of holding
// it past Benchling's 3 s; the default keeps waiting for a slow but working SQS.
TEST(Sqs, RequestTimeoutOptionBoundsEveryCallButTheLongPoll) {
  const std::string ok = R"({"MessageId":"m-1","MD5OfMessageBody":"x"})";
  testing::LoopbackServer server([&](const testing::RecordedRequest&) {
    return Reply::json(200, ok).with_delay(std::chrono::milliseconds(600));
  });
  http::Client http;
  testing::StaticCredentials creds;
  AwsClientOptions one_try;
  one_try.retry.max_attempts = 1;
  AwsClient client(http, creds, map_env({{"AWS_ENDPOINT_URL_SQS", server.url()}}), "us-east-1", one_try);
  const std::string url = server.url() + "/123456789012/work.fifo";

  Sqs quick(client, SqsOptions{std::chrono::milliseconds(150), std::chrono::milliseconds(150)});
  auto failed = quick.send_message(url, "{}", "g", "d");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, core::ErrorCode::kTransport);
  EXPECT_TRUE(failed.error().healable());

  Sqs patient(client);
  auto sent = patient.send_message(url, "{}", "g", "d");
  ASSERT_TRUE(sent) << sent.error().to_text();
  EXPECT_EQ(*sent, "m-1");
}

}  // namespace
}  // namespace bw::aws
