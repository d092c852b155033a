// The webhook routes in stages: what is answered on the I/O thread at once and what is deferred to run
// off it (the enqueue, a network call; a check that must wait for the JWKS refetch).
#include <gtest/gtest.h>

#include "../benchling/webhook_vectors.hpp"
#include "aws/sqs.hpp"
#include "benchling/jwks_cache.hpp"
#include "benchling/webhook_verifier.hpp"
#include "config/store.hpp"
#include "queue/work_queue.hpp"
#include "service/webhooks.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"
#include "support/manual_clock.hpp"

namespace bw::service {
namespace {

using benchling::test::vectors;
using std::chrono::seconds;
using testing::LoopbackServer;
using testing::Reply;

struct Harness {
  explicit Harness(bool verify = true)
      : jwks(http, [this] { return clock.now(); }),
        verifier(jwks),
        sqs(sqs_endpoint, "AWS_ENDPOINT_URL_SQS", "us-east-1"),
        queues(sqs.service, "123456789012", {"work.fifo", "canvas.fifo", "dlq.fifo"}),
        store(
            [this, verify]() -> core::Result<config::ResolvedConfig> {
              config::ResolvedConfig c;
              c.benchling.enable_webhook_verification = verify;
              c.benchling.jwks_url = jwks_url();
              return c;
            },
            config::StoreOptions{}),
        deps{store, verifier, queues} {
    keys.set_reply(Reply::json(200, vectors().jwks_text("primary")));
    store.start();
    EXPECT_TRUE(store.wait_first_attempt(std::chrono::seconds(5)).ready());
  }
  std::string jwks_url() const { return keys.url("/api/v1/apps/appdef_8YhR/jwks"); }
  //! The request of a test vector, checked at its signing time.
  http::ServerRequest delivery(const std::string& name, std::string body = "") {
    const auto& d = vectors().delivery(name);
    deps.now = [t = vectors().now(d.now_offset)] { return t; };
    http::ServerRequest r;
    r.method = "POST";
    r.path = r.target = "/event";
    r.headers = d.headers;
    r.body = body.empty() ? d.body : body;
    return r;
  }

  LoopbackServer keys;
  http::Client http;
  bw::testing::ManualClock clock;
  benchling::JwksCache jwks;
  benchling::WebhookVerifier verifier;
  LoopbackServer sqs_endpoint;
  bw::testing::AwsLoopback<aws::Sqs> sqs;
  queue::WorkQueue queues;
  config::Store store;
  WebhookDeps deps;
};

TEST(StagedWebhook, AnEntryEventIsVerifiedAtOnceAndOnlyTheEnqueueIsDeferred) {
  Harness h;
  ASSERT_TRUE(h.jwks.refresh(h.jwks_url()));
  h.sqs_endpoint.clear_requests();
  h.sqs_endpoint.set_reply(Reply::json(200, R"({"MessageId":"m-1","MD5OfMessageBody":"x"})"));

  http::Reply reply = stage_webhook(WebhookRoute::kEvent, h.delivery("valid"), h.deps);
  ASSERT_FALSE(reply.now);
  ASSERT_TRUE(reply.later);
  EXPECT_EQ(h.sqs_endpoint.request_count(), 0u);  // nothing sent before the deferred part runs
  EXPECT_EQ(h.keys.request_count(), 1u);          // verified against the cached keys

  http::ServerResponse response = reply.later();
  EXPECT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(h.sqs_endpoint.request_count(), 1u);
  EXPECT_EQ(h.sqs_endpoint.requests()[0].header("X-Amz-Target"), "AmazonSQS.SendMessage");
}

TEST(StagedWebhook, RefusedDeliveriesNeverReachTheQueue) {
  Harness h;
  ASSERT_TRUE(h.jwks.refresh(h.jwks_url()));
  // A header that fails is refused at once.
  http::Reply stale = stage_webhook(WebhookRoute::kEvent, h.delivery("too_old"), h.deps);
  ASSERT_TRUE(stale.now);
  EXPECT_EQ(stale.now->status, 401);
  // A signature no cached key matches may be a rotated key: only the deferred refetch can tell.
  http::Reply forged = stage_webhook(WebhookRoute::kEvent, h.delivery("tampered_body"), h.deps);
  ASSERT_FALSE(forged.now);
  EXPECT_EQ(forged.later().status, 401);
  EXPECT_EQ(h.sqs_endpoint.request_count(), 0u);
}

TEST(StagedWebhook, ADeliveryThatNeedsNoJobIsAnsweredAtOnce) {
  Harness h(/*verify=*/false);
  http::Reply reply = stage_webhook(
      WebhookRoute::kLifecycle,
      h.delivery("valid", R"({"version":"0","message":{"type":"v2.app.installed","deprecated":false}})"),
      h.deps);
  ASSERT_TRUE(reply.now);
  EXPECT_EQ(reply.now->status, 200);
}

TEST(StagedWebhook, AnUnknownKeyDefersTheCheckUntilTheRefetchMayWait) {
  Harness h;
  ASSERT_TRUE(h.jwks.refresh(h.jwks_url()));
  h.keys.set_reply(Reply::json(200, vectors().jwks_text("rotated")));
  h.sqs_endpoint.set_reply(Reply::json(200, R"({"MessageId":"m-2","MD5OfMessageBody":"x"})"));

  http::Reply reply = stage_webhook(WebhookRoute::kEvent, h.delivery("signed_by_unknown_key"), h.deps);
  ASSERT_FALSE(reply.now);
  EXPECT_EQ(h.keys.request_count(), 1u);  // no fetch on the I/O thread
  http::ServerResponse response = reply.later();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(h.keys.request_count(), 2u);  // the deferred part refetched and verified with the new key
}

}  // namespace
}  // namespace bw::service
