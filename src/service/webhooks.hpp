// service/webhooks.hpp: POST /event, /lifecycle, /canvas: verify, decide, enqueue, answer.
#pragma once

#include "config/store.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "service/intake.hpp"

namespace bw::benchling {
class WebhookVerifier;
}
namespace bw::queue {
class WorkQueue;
}

namespace bw::service {

//! What the webhook routes need; owned by serve().
struct WebhookDeps {
  const config::Store& store;
  benchling::WebhookVerifier& verifier;
  queue::WorkQueue& work_queue;
  core::NowFn now = core::system_now;
};

//! Answers a webhook. 2xx only once its job (if it needs one) is in the work queue; 503 with
//! Retry-After while configuration, keys or the queue are unavailable, so Benchling delivers again.
http::ServerResponse handle_webhook(WebhookRoute route, const http::ServerRequest& request,
                                    WebhookDeps& deps);

}  // namespace bw::service
