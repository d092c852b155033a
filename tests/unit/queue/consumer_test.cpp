#include "queue/consumer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/aws_client.hpp"
#include "aws/credentials_provider.hpp"
#include "aws/sqs.hpp"
#include "core/metrics.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"
#include "support/manual_steady_clock.hpp"

namespace bw::queue {
namespace {
using namespace std::chrono_literals;
using bw::testing::LoopbackServer;
using bw::testing::RecordedRequest;
using bw::testing::Reply;

Job sample_job() {
  Job job;
  job.kind = JobKind::kPackage;
  job.route = "event";
  job.webhook_id = "msg_1";
  job.received_at = "2024-03-05T06:07:08Z";
  job.group_id = "entry:etr_1";
  job.envelope = R"({"message":{"type":"v2.entry.created","resourceId":"etr_1"}})";
  return job;
}

//! A scripted SQS: hands out one message (once), then nothing; records every other action.
struct FakeSqs {
  explicit FakeSqs(std::string body) : body_(std::move(body)) {
    server.set_handler([this](const RecordedRequest& r) { return answer(r); });
  }
  Reply answer(const RecordedRequest& r) {
    const std::string action = r.header("X-Amz-Target").value_or("");
    std::lock_guard lock(mutex);
    if (action == "AmazonSQS.ReceiveMessage") {
      if (handed_out) {
        return Reply::json(200, "{}").with_delay(50ms);  // an empty long poll, shortened
      }
      handed_out = true;
      boost::json::object msg{{"MessageId", "m-1"},
                              {"ReceiptHandle", "rh-1"},
                              {"Body", body_},
                              {"MD5OfBody", "x"},
                              {"Attributes", boost::json::object{{"ApproximateReceiveCount", receive_count},
                                                                 {"SentTimestamp", "1795717363367"},
                                                                 {"MessageGroupId", "entry:etr_1"}}}};
      return Reply::json(200,
                         boost::json::serialize(boost::json::object{{"Messages", boost::json::array{msg}}}));
    }
    actions.push_back(action.substr(action.find('.') + 1) + " " + r.body);
    if (action == "AmazonSQS.SendMessage") {
      if (fail_sends) return Reply::json(500, R"({"__type":"InternalError","message":"down"})");
      return Reply::json(200, R"({"MessageId":"dlq-1","MD5OfMessageBody":"x"})");
    }
    return Reply::json(200, "{}");
  }
  std::vector<std::string> recorded() {
    std::lock_guard lock(mutex);
    return actions;
  }
  bool wait_for(const std::string& prefix, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      for (const auto& a : recorded())
        if (a.rfind(prefix, 0) == 0) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  LoopbackServer server;
  std::string body_;
  std::mutex mutex;
  bool handed_out = false;
  bool fail_sends = false;  //!< SendMessage answers 500
  std::string receive_count = "2";
  std::vector<std::string> actions;
};

struct Harness : bw::testing::AwsLoopback<aws::Sqs> {
  explicit Harness(FakeSqs& fake)
      : AwsLoopback(fake.server, "AWS_ENDPOINT_URL_SQS", "us-east-1"),
        sqs(&service),
        url(fake.server.url() + "/123456789012/work.fifo") {}
  ConsumerOptions options() const {
    ConsumerOptions o;
    o.workers = 1;
    o.wait_seconds = 0;
    return o;
  }
  aws::Sqs* sqs;
  std::string url;
};

TEST(Consumer, DeletesTheMessageOnlyAfterTheJobSucceeded) {
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  std::atomic<int> runs{0};
  Job seen;
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job& job, const JobContext& ctx) -> core::Result<void> {
        EXPECT_TRUE(fake.recorded().empty());  // nothing deleted while the job runs
        EXPECT_EQ(ctx.receive_count(), 2);
        seen = job;
        ++runs;
        return {};
      },
      h.options());
  consumer.start();
  ASSERT_TRUE(fake.wait_for("DeleteMessage", 5s));
  EXPECT_EQ(consumer.stop(1s), 0u);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(seen, sample_job());
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find(R"("ReceiptHandle":"rh-1")"), std::string::npos);
  EXPECT_EQ(consumer.stats().succeeded, 1u);
}

TEST(Consumer, AFailedJobIsLeftForRedeliveryWithABackoff) {
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  ConsumerOptions o = h.options();
  o.retry_base = std::chrono::seconds(10);
  Consumer consumer(
      *h.sqs, h.url,
      [](const Job&, const JobContext&) -> core::Result<void> {
        return core::make_error(core::ErrorCode::kRemote, "Benchling is down");
      },
      o);
  consumer.start();
  ASSERT_TRUE(fake.wait_for("ChangeMessageVisibility", 5s));
  consumer.stop(1s);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);  // no DeleteMessage
  // Second receive: 10 s << 1 = 20 s before the next try.
  EXPECT_NE(actions[0].find(R"("VisibilityTimeout":20)"), std::string::npos) << actions[0];
  EXPECT_EQ(consumer.stats().failed, 1u);
}

core::Error permanent_error() {
  core::Error e = core::make_error(core::ErrorCode::kInvalidArgument,
                                   "display_id 'EXP 1' cannot be part of a "
                                   "Quilt package name");
  e.permanent = true;
  return e;
}

TEST(Consumer, APermanentFailureGoesToTheDeadLetterQueueOnItsFirstReceive) {
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  ConsumerOptions o = h.options();
  o.dead_letter_url = fake.server.url() + "/123456789012/work-dlq.fifo";
  std::atomic<int> runs{0};
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext&) -> core::Result<void> {
        ++runs;
        return permanent_error();
      },
      o);
  consumer.start();
  ASSERT_TRUE(fake.wait_for("DeleteMessage", 5s));
  consumer.stop(1s);
  EXPECT_EQ(runs.load(), 1);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 2u) << "no ChangeMessageVisibility: nothing left to retry";
  // Same body, same group, the original message id as deduplication id, to the dead-letter queue.
  auto sent = boost::json::parse(actions[0].substr(actions[0].find(' ') + 1)).as_object();
  EXPECT_EQ(actions[0].rfind("SendMessage ", 0), 0u);
  EXPECT_EQ(sent.at("QueueUrl").as_string(), o.dead_letter_url);
  EXPECT_EQ(sent.at("MessageBody").as_string(), encode_job(sample_job()).value());
  EXPECT_EQ(sent.at("MessageGroupId"), "entry:etr_1");
  EXPECT_EQ(sent.at("MessageDeduplicationId"), "m-1");
  const auto& attrs = sent.at("MessageAttributes").as_object();
  EXPECT_EQ(attrs.at("bw-last-error").at("StringValue"),
            "invalid_argument: display_id 'EXP 1' cannot be part of a Quilt package name");
  EXPECT_EQ(attrs.at("bw-source-queue").at("StringValue"), "work.fifo");
  EXPECT_EQ(attrs.at("bw-receives").at("StringValue"), "2");
  EXPECT_EQ(actions[1].rfind("DeleteMessage ", 0), 0u);
  EXPECT_NE(actions[1].find(R"("QueueUrl":")" + h.url + R"(")"), std::string::npos) << actions[1];
  EXPECT_NE(actions[1].find(R"("ReceiptHandle":"rh-1")"), std::string::npos);
  EXPECT_EQ(consumer.stats().failed, 1u);
}

// SQS would move it on the next receive without a word of why; the consumer moves it with the error.
TEST(Consumer, AFailureOnTheLastReceiveGoesToTheDeadLetterQueueWithItsError) {
  FakeSqs fake(encode_job(sample_job()).value());
  fake.receive_count = "5";
  Harness h(fake);
  ConsumerOptions o = h.options();
  o.max_receives = 5;
  o.dead_letter_url = fake.server.url() + "/123456789012/work-dlq.fifo";
  Consumer consumer(
      *h.sqs, h.url,
      [](const Job&, const JobContext&) -> core::Result<void> {
        auto e =
            core::make_error(core::ErrorCode::kRemote,
                             "Download failed: https://s3.example/x.zip?X-Amz-Signature=abc&b=c (HTTP 403)",
                             "a suggestion that is not recorded");
        return e;
      },
      o);
  consumer.start();
  ASSERT_TRUE(fake.wait_for("DeleteMessage", 5s));
  consumer.stop(1s);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 2u) << "moved, not left for SQS's redrive";
  auto sent = boost::json::parse(actions[0].substr(actions[0].find(' ') + 1)).as_object();
  EXPECT_EQ(sent.at("QueueUrl").as_string(), o.dead_letter_url);
  EXPECT_EQ(sent.at("MessageGroupId"), "entry:etr_1");
  const auto& attrs = sent.at("MessageAttributes").as_object();
  EXPECT_EQ(attrs.at("bw-last-error").at("StringValue"),
            "remote: Download failed: https://s3.example/x.zip?\xE2\x80\xA6 (HTTP 403)");
  EXPECT_EQ(attrs.at("bw-receives").at("StringValue"), "5");
  EXPECT_EQ(attrs.at("bw-source-message-id").at("StringValue"), "m-1");
  EXPECT_EQ(attrs.at("bw-sent-at").at("StringValue"), "1795717363367");
  EXPECT_EQ(attrs.at("bw-last-error").at("DataType"), "String");
}

// What the consumer does with a healable failure on receive `receive_count`, a dead-letter queue given.
std::vector<std::string> actions_after_a_failure(const char* receive_count, std::optional<int> max_receives) {
  FakeSqs fake(encode_job(sample_job()).value());
  fake.receive_count = receive_count;
  Harness h(fake);
  ConsumerOptions o = h.options();
  if (max_receives) o.max_receives = *max_receives;
  o.dead_letter_url = fake.server.url() + "/123456789012/work-dlq.fifo";
  Consumer consumer(
      *h.sqs, h.url,
      [](const Job&, const JobContext&) -> core::Result<void> {
        return core::make_error(core::ErrorCode::kRemote, "Benchling is down");
      },
      o);
  consumer.start();
  EXPECT_TRUE(fake.wait_for("ChangeMessageVisibility", 5s));
  consumer.stop(1s);
  return fake.recorded();
}

TEST(Consumer, AFailureBeforeTheLastReceiveIsRetriedEvenWithADeadLetterQueue) {
  auto actions = actions_after_a_failure("4", 5);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].rfind("ChangeMessageVisibility ", 0), 0u);
}

// The limit is the caller's (config::kMaxReceives): a consumer not told it never assumes one, and leaves the
// move to SQS's redrive.
TEST(Consumer, WithoutAReceiveLimitNoReceiveIsTheLast) {
  auto actions = actions_after_a_failure("5", std::nullopt);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].rfind("ChangeMessageVisibility ", 0), 0u);
}

TEST(Consumer, APermanentFailureIsRetriedWhenTheDeadLetterQueueCannotTakeIt) {
  FakeSqs fake(encode_job(sample_job()).value());
  fake.fail_sends = true;
  Harness h(fake);
  ConsumerOptions o = h.options();
  o.dead_letter_url = fake.server.url() + "/123456789012/work-dlq.fifo";
  Consumer consumer(
      *h.sqs, h.url, [](const Job&, const JobContext&) -> core::Result<void> { return permanent_error(); },
      o);
  consumer.start();
  ASSERT_TRUE(fake.wait_for("ChangeMessageVisibility", 20s));
  consumer.stop(1s);
  for (const auto& a : fake.recorded()) EXPECT_EQ(a.rfind("DeleteMessage", 0), std::string::npos) << a;
}

TEST(Consumer, WithoutADeadLetterQueueAPermanentFailureTakesTheRetryPath) {
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  Consumer consumer(
      *h.sqs, h.url, [](const Job&, const JobContext&) -> core::Result<void> { return permanent_error(); },
      h.options());
  consumer.start();
  ASSERT_TRUE(fake.wait_for("ChangeMessageVisibility", 5s));
  consumer.stop(1s);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find(R"("VisibilityTimeout":0)"), std::string::npos) << actions[0];
}

TEST(Consumer, AnUnreadableMessageIsNeverDeleted) {
  FakeSqs fake("this is not a job");
  Harness h(fake);
  std::atomic<int> runs{0};
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext&) -> core::Result<void> {
        ++runs;
        return {};
      },
      h.options());
  consumer.start();
  ASSERT_TRUE(fake.wait_for("ChangeMessageVisibility", 5s));
  consumer.stop(1s);
  EXPECT_EQ(runs.load(), 0);
  for (const auto& a : fake.recorded()) EXPECT_EQ(a.rfind("DeleteMessage", 0), std::string::npos);
}

TEST(Consumer, AJobInterruptedByStopHasItsMessageReleasedAtOnce) {
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  std::atomic<bool> started{false};
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext& ctx) -> core::Result<void> {
        started = true;
        if (!ctx.sleep_for(30s))
          return core::make_error(core::ErrorCode::kInternal, "stopped");  // export poll
        return {};
      },
      h.options());
  consumer.start();
  while (!started) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(consumer.stop(2s), 0u);  // the job noticed the stop and returned within the grace period
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].rfind("ChangeMessageVisibility", 0), 0u);
  EXPECT_NE(actions[0].find(R"("VisibilityTimeout":0)"), std::string::npos) << actions[0];
  EXPECT_EQ(consumer.stats().released, 1u);
}

TEST(Consumer, AJobCancelledByTheProcessStopIsReleasedAtOnceNotRetried) {
  // The clients' stop (serve's shutdown) can end a job before this pool is told: kCancelled means released.
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext&) -> core::Result<void> {
        return core::make_error(core::ErrorCode::kCancelled, "stopped while waiting to retry Benchling call");
      },
      h.options());
  consumer.start();
  ASSERT_TRUE(fake.wait_for("ChangeMessageVisibility", 5s));
  consumer.stop(1s);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find(R"("VisibilityTimeout":0)"), std::string::npos) << actions[0];  // not a backoff
  EXPECT_EQ(consumer.stats().released, 1u);
  EXPECT_EQ(consumer.stats().failed, 0u);
}

TEST(Consumer, AJobOutlivingTheGracePeriodIsReleasedAndNeverDeleted) {
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  core::metrics::Registry registry;  // counts the job's outcome once the consumer is done with it
  ConsumerOptions options = h.options();
  options.metrics = &registry;
  std::atomic<bool> started{false};
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext&) -> core::Result<void> {
        started = true;
        std::this_thread::sleep_for(600ms);  // e.g. an upload that does not look at the stop flag
        return {};
      },
      options);
  consumer.start();
  while (!started) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(consumer.stop(100ms), 1u);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find(R"("VisibilityTimeout":0)"), std::string::npos) << actions[0];
  EXPECT_EQ(consumer.stats().released, 1u);
  // The job then ends successfully, and the consumer, finding its message released, settles it as such
  // (counted) without a DeleteMessage.
  const auto settled = [&] {
    return registry.render().find(R"(outcome="released"} 1)") != std::string::npos;
  };
  for (int i = 0; i < 1000 && !settled(); ++i) std::this_thread::sleep_for(5ms);  // a hang guard
  ASSERT_TRUE(settled()) << registry.render();
  for (const auto& a : fake.recorded()) EXPECT_EQ(a.rfind("DeleteMessage", 0), std::string::npos);
}

TEST(Consumer, HeartbeatExtendsALongJobsVisibilityEveryInterval) {
  // The heartbeat runs on a manual clock: the test moves time, so nothing here waits out an interval.
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  bw::testing::ManualSteadyClock clock;
  ConsumerOptions o = h.options();
  o.heartbeat = 60s;
  o.visibility_timeout_s = 120;
  o.clock = &clock;
  std::promise<void> started, release;
  auto released = release.get_future().share();
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext&) -> core::Result<void> {
        started.set_value();
        released.wait();
        return {};
      },
      o);
  consumer.start();
  started.get_future().wait();
  ASSERT_TRUE(clock.wait_for_sleepers(1));  // the heartbeat, asleep until the job's first extension
  EXPECT_TRUE(fake.recorded().empty());     // nothing extended before the interval passed

  clock.advance(60s);
  ASSERT_TRUE(fake.wait_for("ChangeMessageVisibility", 10s));
  ASSERT_TRUE(clock.wait_for_sleepers(1));  // asleep again, until the next interval
  clock.advance(60s);
  auto extensions = [&] {
    int n = 0;
    for (const auto& a : fake.recorded()) {
      if (a.rfind("ChangeMessageVisibility", 0) != 0) continue;
      ++n;
      EXPECT_NE(a.find(R"("VisibilityTimeout":120)"), std::string::npos) << a;
    }
    return n;
  };
  for (int i = 0; i < 1000 && extensions() < 2; ++i) std::this_thread::sleep_for(10ms);  // hang guard
  EXPECT_EQ(extensions(), 2);

  release.set_value();
  ASSERT_TRUE(fake.wait_for("DeleteMessage", 10s));
  EXPECT_EQ(consumer.stop(1s), 0u);
}

TEST(Consumer, StopWakesTheHeartbeatAndASleepingJobAtOnce) {
  // Everything sleeps an hour on the manual clock, which never moves: only the stop can end the sleeps.
  FakeSqs fake(encode_job(sample_job()).value());
  Harness h(fake);
  bw::testing::ManualSteadyClock clock;
  ConsumerOptions o = h.options();
  o.heartbeat = std::chrono::hours(1);
  o.clock = &clock;
  std::atomic<bool> woke_by_stop{false};
  Consumer consumer(
      *h.sqs, h.url,
      [&](const Job&, const JobContext& ctx) -> core::Result<void> {
        if (!ctx.sleep_for(std::chrono::hours(1))) {
          woke_by_stop = ctx.stopping();
          return core::make_error(core::ErrorCode::kCancelled, "stopped before the job finished");
        }
        return {};
      },
      o);
  consumer.start();
  ASSERT_TRUE(clock.wait_for_sleepers(2));  // the heartbeat and the job
  EXPECT_EQ(consumer.stop(30s), 0u);  // the job woke and was released (30 s: a hang guard, not a timing)
  EXPECT_TRUE(woke_by_stop.load());
  EXPECT_EQ(clock.wakeups(), 2);
  EXPECT_EQ(consumer.stats().released, 1u);
  auto actions = fake.recorded();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find(R"("VisibilityTimeout":0)"), std::string::npos) << actions[0];
}

}  // namespace
}  // namespace bw::queue
