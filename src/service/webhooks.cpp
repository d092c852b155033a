#include "service/webhooks.hpp"

#include <boost/json.hpp>

#include "benchling/envelope.hpp"
#include "benchling/webhook_verifier.hpp"
#include "core/log.hpp"
#include "queue/work_queue.hpp"

namespace bw::service {
namespace {
using boost::json::object;

//! 503 that asks Benchling to deliver again later; the event was not acknowledged.
http::ServerResponse unavailable(const core::Error& e, const char* what) {
  object body{{"error", what}, {"message", e.message}, {"suggestion", e.suggestion}};
  http::ServerResponse r = http::json_response(503, body);
  r.headers.emplace_back("Retry-After", "10");
  return r;
}
}  // namespace

http::ServerResponse handle_webhook(WebhookRoute route, const http::ServerRequest& request,
                                    WebhookDeps& deps) {
  const config::Snapshot snap = deps.store.snapshot();
  if (!snap.ready()) {
    core::Error e = snap.error
                        ? *snap.error
                        : core::make_error(core::ErrorCode::kRemote, "Configuration is being resolved");
    return unavailable(e, "Service not ready");
  }
  const config::BenchlingSecret& benchling = snap.config->benchling;
  const std::string webhook_id = request.header("webhook-id").value_or("");

  if (benchling.enable_webhook_verification) {
    auto verdict = deps.verifier.verify(request.headers, request.body, benchling.jwks_url, deps.now());
    if (!verdict.ok) {
      core::log::warn("webhook verification failed",
                      {{"route", to_string(route)}, {"reason", verdict.reason}, {"webhook_id", webhook_id}});
      return http::json_response(401, object{{"error", "Webhook verification failed"}});
    }
  }

  auto envelope = benchling::parse_envelope(request.body);
  if (!envelope) return http::json_response(400, object{{"error", envelope.error().message}});

  IntakeDecision decision = decide(route, *envelope);
  object log_fields{{"route", to_string(route)},
                    {"type", envelope->event_type},
                    {"webhook_id", webhook_id},
                    {"status", decision.status}};
  if (envelope->entry_id) log_fields["entry_id"] = *envelope->entry_id;

  if (decision.job) {
    queue::Job job;
    job.kind = decision.job->kind;
    job.route = to_string(route);
    job.webhook_id = webhook_id;
    job.received_at = core::format_iso8601(deps.now());
    job.group_id = decision.job->group_id;
    job.envelope = request.body;
    auto sent = deps.work_queue.enqueue(job);
    if (!sent) {
      if (queue::is_job_too_large(sent.error()))
        return http::json_response(413, object{{"error", sent.error().message}});
      if (sent.error().code == core::ErrorCode::kInvalidArgument) {  // e.g. a webhook-id SQS cannot carry
        return http::json_response(400, object{{"error", sent.error().message}});
      }
      core::log::error(
          "work queue unavailable; webhook not acknowledged",
          {{"route", to_string(route)}, {"webhook_id", webhook_id}, {"error", sent.error().message}});
      return unavailable(sent.error(), "Work queue unavailable");
    }
    log_fields["job"] = queue::to_string(job.kind);
    log_fields["group"] = job.group_id;
    log_fields["message_id"] = *sent;
  }
  core::log::info("webhook", std::move(log_fields));
  return http::json_response(decision.status, decision.body);
}

}  // namespace bw::service
