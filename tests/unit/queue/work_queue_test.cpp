#include "queue/work_queue.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::queue {
namespace {

using testing::LoopbackServer;
using testing::Reply;

constexpr const char* kName = "benchling-webhook-7060b1a38f95a5ac.fifo";
// The names the caller gives (config::queue_names derives them in the service).
WorkQueueNames names() {
  return {kName, "benchling-webhook-7060b1a38f95a5ac-canvas.fifo",
          "benchling-webhook-7060b1a38f95a5ac-dlq.fifo"};
}

struct Harness : bw::testing::AwsLoopback<aws::Sqs> {
  explicit Harness(LoopbackServer& server, std::string account = "123456789012")
      : AwsLoopback(server, "AWS_ENDPOINT_URL", "us-east-1", "2024-03-05T06:07:08Z"),
        sqs(&service),
        queue(std::make_unique<WorkQueue>(service, std::move(account), names())),
        url(server.url() + "/123456789012/" + kName) {}
  aws::Sqs* sqs;
  std::unique_ptr<WorkQueue> queue;
  std::string url;
  std::string canvas_url() const {
    return url.substr(0, url.size() - std::string_view(".fifo").size()) + "-canvas.fifo";
  }
};

Job sample() {
  Job j;
  j.kind = JobKind::kPackage;
  j.route = "event";
  j.webhook_id = "msg_2Ks8fLq3";
  j.received_at = "2024-03-05T06:07:08Z";
  j.group_id = "entry:etr_abc123";
  j.envelope = "{\n  \"message\": {\"type\": \"v2.entry.created\", \"resourceId\": \"etr_abc123\"}\n}";
  return j;
}

Reply queue_does_not_exist() {
  return Reply::
      json(400,
           R"({"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist.", "Message": "The specified queue does not exist."})")
          .with_header("X-Amzn-Errortype", "com.amazonaws.sqs#QueueDoesNotExist")
          .with_header("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
}

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

// Expected hashes computed with Python: hashlib.sha256(b"...").hexdigest().
TEST(WorkQueue, DedupIdIsTheWebhookIdWhenSqsAcceptsIt) {
  Job j = sample();
  EXPECT_EQ(deduplication_id(j), "msg_2Ks8fLq3");
  j.webhook_id = std::string(128, '!');
  EXPECT_EQ(deduplication_id(j), std::string(128, '!'));
}

TEST(WorkQueue, DedupIdHashesWebhookIdsSqsRefuses) {
  Job j = sample();
  j.webhook_id = std::string(129, 'w');
  EXPECT_EQ(deduplication_id(j), "48e5dabd1113bafa39583ee79bf35c31689dfb0883c6c6c635c3276ab46e0cc9");
  j.webhook_id = "wh_\xC3\xA9";
  EXPECT_EQ(deduplication_id(j), "f68daa767e2f95f86d64c4b48fc5599eed6efcce0a89cc127b96e77322e58d35");
  j.webhook_id = "a b";
  EXPECT_EQ(deduplication_id(j).size(), 64u);
}

TEST(WorkQueue, DedupIdWithoutWebhookIdIsTheEnvelopeHash) {
  Job j = sample();
  j.webhook_id.clear();
  j.envelope = R"({"x":1})";
  EXPECT_EQ(deduplication_id(j), "5041bf1f713df204784353e82f6a4a535931cb64f1f4b4a5aeaffcb720918b22");
}

TEST(WorkQueue, UrlIsBuiltFromTheEndpoint) {
  LoopbackServer server;
  Harness h(server);
  EXPECT_EQ(h.queue->url().value(), h.url);
}

TEST(WorkQueue, InvalidAccountIsAConfigErrorNotABadRequest) {
  LoopbackServer server;
  Harness h(server, "not-an-account");
  auto id = h.queue->enqueue(sample());
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(WorkQueue, EnqueueSendsEncodedJobWithGroupAndDedupIds) {
  LoopbackServer server(testing::sequence({Reply::json(
      200,
      R"({"MD5OfMessageBody": "45dc86a5163de44d983f9b16b641a418", "MessageId": "32ab8ab1-2648-4d59-a4f4-3f9d1abc2b7a", "SequenceNumber": "44866619530347451055"})")}));
  Harness h(server);
  const Job job = sample();
  auto id = h.queue->enqueue(job);
  ASSERT_TRUE(id) << id.error().to_text();
  EXPECT_EQ(*id, "32ab8ab1-2648-4d59-a4f4-3f9d1abc2b7a");

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/");
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonSQS.SendMessage");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_NE(reqs[0].header("Authorization").value_or("").find("/20240305/us-east-1/sqs/aws4_request"),
            std::string::npos);
  const std::string message = encode_job(job).value();
  EXPECT_EQ(reqs[0].body,
            boost::json::serialize(boost::json::object{{"QueueUrl", h.url},
                                                       {"MessageBody", message},
                                                       {"MessageGroupId", "entry:etr_abc123"},
                                                       {"MessageDeduplicationId", "msg_2Ks8fLq3"}}));
  // What a consumer receives decodes to the same job.
  auto sent = boost::json::parse(reqs[0].body);
  EXPECT_EQ(decode_job(std::string(sent.at("MessageBody").as_string())).value(), job);
}

TEST(WorkQueue, OversizedJobIsRefusedWithoutCallingSqs) {
  LoopbackServer server;
  Harness h(server);
  Job j = sample();
  j.envelope = std::string(kMaxJobBytes, 'x');
  auto id = h.queue->enqueue(j);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::ErrorCode::kTooLarge);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(WorkQueue, MissingQueueOnEnqueueSaysToDeploy) {
  LoopbackServer server(testing::sequence({queue_does_not_exist()}));
  Harness h(server);
  auto id = h.queue->enqueue(sample());
  ASSERT_FALSE(id);
  const core::Error& e = id.error();
  EXPECT_EQ(e.code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(e.healable());
  EXPECT_EQ(e.message, std::string("Work queue not found: ") + kName);
  EXPECT_NE(e.suggestion.find("benchling-webhook deploy --image-uri"), std::string::npos) << e.suggestion;
  EXPECT_NE(e.suggestion.find("account 123456789012, region us-east-1"), std::string::npos);
  EXPECT_EQ(e.suggestion.find("create-queue"), std::string::npos);
  EXPECT_EQ(detail(e, "Work queue"), kName);
  EXPECT_EQ(detail(e, "Dead-letter queue"), "benchling-webhook-7060b1a38f95a5ac-dlq.fifo");
  EXPECT_EQ(detail(e, "queue URL"), h.url);
}

// The queue module derives no name: the canvas and dead-letter queues are whatever the caller says.
TEST(WorkQueue, UsesTheNamesItIsGiven) {
  LoopbackServer server(testing::sequence({queue_does_not_exist()}));
  Harness h(server);
  WorkQueue queue(h.service, "123456789012", {"jobs.fifo", "views.fifo", "failed.fifo"});
  EXPECT_EQ(queue.name(), "jobs.fifo");
  EXPECT_EQ(queue.canvas_name(), "views.fifo");
  EXPECT_EQ(queue.name_for(JobKind::kCanvas), "views.fifo");
  Job canvas = sample();
  canvas.kind = JobKind::kCanvas;
  auto id = queue.enqueue(canvas);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().message, "Canvas queue not found: views.fifo");
  EXPECT_EQ(detail(id.error(), "Dead-letter queue"), "failed.fifo");
}

TEST(WorkQueue, CheckAcceptsFifoQueueWithRedrivePolicy) {
  LoopbackServer server(testing::sequence({Reply::json(
      200,
      R"({"Attributes": {"FifoQueue": "true", "RedrivePolicy": "{\"deadLetterTargetArn\": \"arn:aws:sqs:us-east-1:123456789012:benchling-webhook-7060b1a38f95a5ac-dlq.fifo\", \"maxReceiveCount\": 5}"}})")}));
  Harness h(server);
  auto ok = h.queue->check();
  ASSERT_TRUE(ok) << ok.error().to_text();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);  // the work queue, then the canvas queue beside it
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonSQS.GetQueueAttributes");
  EXPECT_EQ(reqs[0].body,
            R"({"QueueUrl":")" + h.url + R"(","AttributeNames":["FifoQueue","RedrivePolicy"]})");
  EXPECT_EQ(reqs[1].body,
            R"({"QueueUrl":")" + h.canvas_url() + R"(","AttributeNames":["FifoQueue","RedrivePolicy"]})");
}

TEST(WorkQueue, CheckReportsAMissingCanvasQueueAndSaysToDeploy) {
  // A stack deployed before the canvas queue existed: the work queue is there, the canvas queue is not.
  LoopbackServer server(testing::sequence(
      {Reply::json(200, R"({"Attributes": {"FifoQueue": "true"}})"), queue_does_not_exist()}));
  Harness h(server);
  auto ok = h.queue->check();
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(ok.error().message, "Canvas queue not found: benchling-webhook-7060b1a38f95a5ac-canvas.fifo");
  EXPECT_NE(ok.error().suggestion.find("benchling-webhook deploy"), std::string::npos);
  EXPECT_EQ(detail(ok.error(), "Canvas queue"), "benchling-webhook-7060b1a38f95a5ac-canvas.fifo");
}

TEST(WorkQueue, CanvasJobsGoToTheCanvasQueueAndPackageJobsToTheWorkQueue) {
  LoopbackServer server(testing::sequence(
      {Reply::json(200, R"({"MessageId": "m-1"})"), Reply::json(200, R"({"MessageId": "m-2"})")}));
  Harness h(server);
  Job canvas = sample();
  canvas.kind = JobKind::kCanvas;
  canvas.route = "canvas";
  canvas.group_id = "canvas:cnvs_1";
  ASSERT_TRUE(h.queue->enqueue(canvas));
  ASSERT_TRUE(h.queue->enqueue(sample()));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(boost::json::parse(reqs[0].body).at("QueueUrl").as_string(), h.canvas_url());
  EXPECT_EQ(boost::json::parse(reqs[1].body).at("QueueUrl").as_string(), h.url);
  EXPECT_EQ(h.queue->name_for(JobKind::kCanvas), "benchling-webhook-7060b1a38f95a5ac-canvas.fifo");
}

TEST(WorkQueue, CheckAcceptsFifoQueueWithoutRedrivePolicy) {
  LoopbackServer server(testing::sequence({Reply::json(200, R"({"Attributes": {"FifoQueue": "true"}})")}));
  Harness h(server);
  EXPECT_TRUE(h.queue->check());
}

TEST(WorkQueue, CheckReportsAStandardQueue) {
  LoopbackServer server(
      testing::sequence({Reply::json(200, "{}")}));  // moto: a standard queue has no FifoQueue
  Harness h(server);
  auto ok = h.queue->check();
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(ok.error().message, std::string("Work queue ") + kName + " is not a FIFO queue");
  EXPECT_NE(ok.error().suggestion.find("deploy"), std::string::npos);
}

TEST(WorkQueue, CheckReportsAMissingQueueAndSaysToDeploy) {
  LoopbackServer server(testing::sequence({queue_does_not_exist()}));
  Harness h(server);
  auto ok = h.queue->check();
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(ok.error().message, std::string("Work queue not found: ") + kName);
  EXPECT_NE(ok.error().suggestion.find("benchling-webhook deploy"), std::string::npos);
}

TEST(WorkQueue, CheckPassesOtherErrorsThrough) {
  LoopbackServer server(testing::sequence({Reply::text(
      403,
      R"(<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>)"
      R"(<Message>not allowed</Message></Error><RequestId>x</RequestId></ErrorResponse>)")}));
  Harness h(server);
  auto ok = h.queue->check();
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(detail(ok.error(), "Work queue"), kName);
}

}  // namespace
}  // namespace bw::queue
