// service/webhooks.hpp: POST /event, /lifecycle, /canvas: verify, decide, enqueue, answer.
#pragma once

#include <iterator>

#include "config/store.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "queue/job.hpp"
#include "service/intake.hpp"

namespace bw::benchling {
class WebhookVerifier;
enum class VerifyFailure;
}  // namespace bw::benchling
namespace bw::core::metrics {
class Counter;
class Registry;
}  // namespace bw::core::metrics
namespace bw::queue {
class WorkQueue;
}

namespace bw::service {

//! The intake's metrics, registered once (every route, the usual statuses, every verification failure
//! reason, every job kind) so that counting a webhook takes no lock. Labels are the route name, the status
//! number, the failure reason (benchling::to_string(VerifyFailure)) and the job kind only.
class WebhookMetrics {
 public:
  explicit WebhookMetrics(core::metrics::Registry& registry);
  //! benchling_webhook_webhooks_total{route,status}: every answered webhook, whatever the status.
  void answered(WebhookRoute route, int status);
  //! benchling_webhook_webhook_verification_failures_total{route,reason}.
  void verification_failed(WebhookRoute route, benchling::VerifyFailure reason);
  //! benchling_webhook_jobs_enqueued_total{kind}.
  void enqueued(queue::JobKind kind);

 private:
  static constexpr int kStatuses[] = {200, 202, 400, 401, 413, 503};
  static constexpr std::size_t kRoutes = 3;
  core::metrics::Registry& registry_;
  core::metrics::Counter* answered_[kRoutes][std::size(kStatuses)];
  //! Every VerifyFailure, in declaration order; registered up front.
  static constexpr std::size_t kReasons = 12;
  core::metrics::Counter* verification_failures_[kRoutes][kReasons];
  core::metrics::Counter* enqueued_package_;
  core::metrics::Counter* enqueued_canvas_;
};

//! benchling_webhook_jobs_enqueued_total{kind}: jobs put in the work queue, by the intake and by the
//! workers (a new canvas also queues its entry's packaging).
core::metrics::Counter& jobs_enqueued_counter(core::metrics::Registry& registry, queue::JobKind kind);

//! What the webhook routes need; owned by serve().
struct WebhookDeps {
  const config::Store& store;
  benchling::WebhookVerifier& verifier;
  queue::WorkQueue& work_queue;
  WebhookMetrics* metrics = nullptr;  //!< null: count nothing
  core::NowFn now = core::system_now;
};

//! Answers a webhook. 2xx only once its job (if it needs one) is in the work queue; 503 with
//! Retry-After while configuration, keys or the queue are unavailable, so Benchling delivers again.
//! Every log line written while answering carries the delivery's request id (core::log::request_id_for
//! its webhook-id and body), the same id the worker's lines for its job carry.
http::ServerResponse handle_webhook(WebhookRoute route, const http::ServerRequest& request,
                                    WebhookDeps& deps);
//! The same in stages, for the server's I/O thread: verification (against the cached keys), the decision
//! and a no-job answer happen at once; the enqueue, and a check that must wait for the JWKS refetch, are
//! deferred to run off the I/O thread.
http::Reply stage_webhook(WebhookRoute route, const http::ServerRequest& request, WebhookDeps& deps);

}  // namespace bw::service
