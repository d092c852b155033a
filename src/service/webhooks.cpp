#include "service/webhooks.hpp"

#include <boost/json.hpp>

#include <string>

#include "benchling/envelope.hpp"
#include "benchling/signature.hpp"
#include "benchling/webhook_verifier.hpp"
#include "core/log.hpp"
#include "core/log_context.hpp"
#include "core/metrics.hpp"
#include "queue/work_queue.hpp"

namespace bw::service {
namespace {
using boost::json::object;

constexpr const char* kWebhooksTotal = "benchling_webhook_webhooks_total";
constexpr const char* kWebhooksTotalHelp = "Webhooks answered, by route and HTTP status.";
constexpr WebhookRoute kAllRoutes[] = {WebhookRoute::kEvent, WebhookRoute::kLifecycle, WebhookRoute::kCanvas};
constexpr const char* kVerificationFailures = "benchling_webhook_webhook_verification_failures_total";
constexpr const char* kVerificationFailuresHelp =
    "Webhooks whose Benchling signature did not verify, by route and reason.";
using benchling::VerifyFailure;
//! Every reason, in declaration order (WebhookMetrics indexes by the enum's value).
constexpr VerifyFailure kAllReasons[] = {VerifyFailure::kMissingId,
                                         VerifyFailure::kMissingTimestamp,
                                         VerifyFailure::kMissingSignature,
                                         VerifyFailure::kInvalidTimestamp,
                                         VerifyFailure::kTooOld,
                                         VerifyFailure::kTooNew,
                                         VerifyFailure::kNoDerSignature,
                                         VerifyFailure::kMalformedSignature,
                                         VerifyFailure::kNoMatchingSignature,
                                         VerifyFailure::kNoKeys,
                                         VerifyFailure::kHeaderTooLong,
                                         VerifyFailure::kKeysUnavailable};
constexpr bool reasons_in_declaration_order() {
  for (std::size_t i = 0; i < std::size(kAllReasons); ++i)
    if (std::size_t(kAllReasons[i]) != i) return false;
  return true;
}
static_assert(reasons_in_declaration_order(), "WebhookMetrics indexes its counters by the enum's value");

//! 503 that asks Benchling to deliver again later; the event was not acknowledged.
http::ServerResponse unavailable(const core::Error& e, const char* what) {
  object body{{"error", what}, {"message", e.message}, {"suggestion", e.suggestion}};
  http::ServerResponse r = http::json_response(503, body);
  r.headers.emplace_back("Retry-After", "10");
  return r;
}

//! A webhook answered with `status` and no job, logged once.
http::ServerResponse rejected(WebhookRoute route, const std::string& webhook_id, int status,
                              const std::string& error) {
  core::log::warn(
      "webhook rejected",
      {{"route", to_string(route)}, {"webhook_id", webhook_id}, {"status", status}, {"error", error}});
  return http::json_response(status, object{{"error", error}});
}

//! The answer to a delivery whose signature did not verify; nullopt when it did.
std::optional<http::ServerResponse> refuse_unverified(WebhookRoute route, const std::string& webhook_id,
                                                      const benchling::VerifyResult& verdict,
                                                      WebhookDeps& deps) {
  if (verdict.ok) return std::nullopt;
  // `failure` is set whenever !ok; the fallback only guards against a verifier that forgets it.
  const VerifyFailure failure = verdict.failure.value_or(VerifyFailure::kNoMatchingSignature);
  if (deps.metrics) deps.metrics->verification_failed(route, failure);
  if (failure == VerifyFailure::kKeysUnavailable) {
    // Maybe a rotated key we cannot fetch yet: Benchling delivers again later, by when the refetch
    // (still running in the background, or allowed again) has had its chance. Refusing with 401
    // would tell Benchling a genuine delivery is forged.
    core::log::warn("webhook verification deferred: signing keys could not be refreshed",
                    {{"route", to_string(route)}, {"webhook_id", webhook_id}, {"status", 503}});
    return unavailable(core::make_error(core::ErrorCode::kUnavailable, verdict.message,
                                        "Benchling retries the delivery; check /health for the JWKS"),
                       "Webhook verification keys unavailable");
  }
  core::log::warn(
      "webhook verification failed",
      {{"route", to_string(route)}, {"reason", verdict.reason}, {"webhook_id", webhook_id}, {"status", 401}});
  return http::json_response(401, object{{"error", "Webhook verification failed"}});
}

//! Puts the job in the work queue (a network call) and answers.
http::ServerResponse enqueue(WebhookRoute route, const std::string& webhook_id, const queue::Job& job,
                             object log_fields, const IntakeDecision& decision, WebhookDeps& deps) {
  auto sent = deps.work_queue.enqueue(job);
  if (!sent) {
    if (sent.error().code == core::ErrorCode::kTooLarge)
      return rejected(route, webhook_id, 413, sent.error().message);
    if (sent.error().code == core::ErrorCode::kInvalidArgument) {  // e.g. a webhook-id SQS cannot carry
      return rejected(route, webhook_id, 400, sent.error().message);
    }
    core::log::error("work queue unavailable; webhook not acknowledged", {{"route", to_string(route)},
                                                                          {"webhook_id", webhook_id},
                                                                          {"status", 503},
                                                                          {"error", sent.error().message}});
    return unavailable(sent.error(), "Work queue unavailable");
  }
  if (deps.metrics) deps.metrics->enqueued(job.kind);
  log_fields["job"] = queue::to_string(job.kind);
  log_fields["group"] = job.group_id;
  log_fields["message_id"] = *sent;
  core::log::info("webhook", std::move(log_fields));
  return http::json_response(decision.status, decision.body);
}

//! A verified delivery: answered at once when it needs no job, else the enqueue is deferred.
http::Reply decide_job(WebhookRoute route, const http::ServerRequest& request, const std::string& webhook_id,
                       WebhookDeps& deps) {
  auto envelope = benchling::parse_envelope(request.body);
  if (!envelope) return http::Reply::answer(rejected(route, webhook_id, 400, envelope.error().message));

  IntakeDecision decision = decide(route, *envelope);
  // The log line's fields on the stack: most webhooks are answered here, and log before returning.
  unsigned char scratch[1024];
  boost::json::monotonic_resource arena(scratch, sizeof scratch);
  object log_fields({{"route", to_string(route)},
                     {"type", envelope->event_type},
                     {"webhook_id", webhook_id},
                     {"status", decision.status}},
                    &arena);
  if (envelope->entry_id) log_fields["entry_id"] = *envelope->entry_id;
  if (!decision.job) {
    core::log::info("webhook", std::move(log_fields));
    return http::Reply::answer(http::json_response(decision.status, std::move(decision.body)));
  }
  queue::Job job;
  job.kind = decision.job->kind;
  job.route = to_string(route);
  // The header as received: the queue deduplicates on it, and the worker derives the same request id.
  job.webhook_id = webhook_id;
  job.received_at = core::format_iso8601(deps.now());
  job.group_id = decision.job->group_id;
  job.envelope = request.body;
  return http::Reply::defer([route, webhook_id, job = std::move(job),
                             log_fields = object(log_fields, boost::json::storage_ptr()),  // off the stack
                             decision = std::move(decision),
                             &deps] { return enqueue(route, webhook_id, job, log_fields, decision, deps); });
}

http::ServerResponse finish(http::Reply reply) {
  return reply.now ? std::move(*reply.now) : reply.later();
}

//! Everything up to the enqueue, without blocking when it can: the signature is checked against the cached
//! keys here; only a delivery that needs the JWKS refetched (which waits) defers its check.
http::Reply first_stage(WebhookRoute route, const http::ServerRequest& request, const std::string& webhook_id,
                        WebhookDeps& deps) {
  const config::Snapshot snap = deps.store.snapshot();
  if (!snap.ready()) {
    core::Error e = snap.error
                        ? *snap.error
                        : core::make_error(core::ErrorCode::kUnavailable, "Configuration is being resolved");
    core::log::warn("webhook refused: service not ready",
                    {{"route", to_string(route)}, {"webhook_id", webhook_id}, {"status", 503}});
    return http::Reply::answer(unavailable(e, "Service not ready"));
  }
  const config::BenchlingSecret& benchling = snap.config->benchling;
  if (benchling.enable_webhook_verification) {
    auto attempt = deps.verifier.check_cached(request.headers, request.body, benchling.jwks_url, deps.now());
    if (!attempt.decided) {
      return http::Reply::defer(
          [route, request, webhook_id, jwks_url = benchling.jwks_url, attempt = std::move(attempt), &deps] {
            const auto verdict = deps.verifier.check_refetched(attempt, jwks_url);
            if (auto refused = refuse_unverified(route, webhook_id, verdict, deps))
              return std::move(*refused);
            return finish(decide_job(route, request, webhook_id, deps));
          });
    }
    if (auto refused = refuse_unverified(route, webhook_id, *attempt.decided, deps))
      return http::Reply::answer(std::move(*refused));
  }
  return decide_job(route, request, webhook_id, deps);
}
}  // namespace

WebhookMetrics::WebhookMetrics(core::metrics::Registry& registry)
    : registry_(registry),
      enqueued_package_(&jobs_enqueued_counter(registry, queue::JobKind::kPackage)),
      enqueued_canvas_(&jobs_enqueued_counter(registry, queue::JobKind::kCanvas)) {
  for (WebhookRoute route : kAllRoutes) {
    const std::size_t r = std::size_t(route);
    for (std::size_t s = 0; s < std::size(kStatuses); ++s) {
      answered_[r][s] =
          &registry.counter(kWebhooksTotal, kWebhooksTotalHelp,
                            {{"route", to_string(route)}, {"status", std::to_string(kStatuses[s])}});
    }
  }
  static_assert(std::size(kAllReasons) == kReasons);
  for (WebhookRoute route : kAllRoutes) {
    for (std::size_t i = 0; i < kReasons; ++i) {
      verification_failures_[std::size_t(route)][i] =
          &registry.counter(kVerificationFailures, kVerificationFailuresHelp,
                            {{"route", to_string(route)}, {"reason", benchling::to_string(kAllReasons[i])}});
    }
  }
}

void WebhookMetrics::answered(WebhookRoute route, int status) {
  const std::size_t r = std::size_t(route);
  for (std::size_t s = 0; s < std::size(kStatuses); ++s) {
    if (kStatuses[s] == status) {
      answered_[r][s]->inc();
      return;
    }
  }
  // A status the handler does not usually give: registered on first use (at most one series per status).
  registry_
      .counter(kWebhooksTotal, kWebhooksTotalHelp,
               {{"route", to_string(route)}, {"status", std::to_string(status)}})
      .inc();
}

void WebhookMetrics::verification_failed(WebhookRoute route, VerifyFailure reason) {
  const std::size_t i = std::size_t(reason);
  if (i < kReasons) {
    verification_failures_[std::size_t(route)][i]->inc();
    return;
  }
  // A reason added to the enum after this table: registered on first use (still one series per reason).
  registry_
      .counter(kVerificationFailures, kVerificationFailuresHelp,
               {{"route", to_string(route)}, {"reason", benchling::to_string(reason)}})
      .inc();
}

void WebhookMetrics::enqueued(queue::JobKind kind) {
  (kind == queue::JobKind::kCanvas ? enqueued_canvas_ : enqueued_package_)->inc();
}

core::metrics::Counter& jobs_enqueued_counter(core::metrics::Registry& registry, queue::JobKind kind) {
  return registry.counter("benchling_webhook_jobs_enqueued_total", "Jobs put in the work queue, by kind.",
                          {{"kind", queue::to_string(kind)}});
}

http::Reply stage_webhook(WebhookRoute route, const http::ServerRequest& request, WebhookDeps& deps) {
  const std::string webhook_id(http::find_header_view(request.headers, "webhook-id").value_or(""));
  std::string request_id = core::log::request_id_for(webhook_id, request.body);
  http::Reply reply;
  {
    core::log::RequestScope request_scope(request_id);
    reply = first_stage(route, request, webhook_id, deps);
  }
  if (reply.now) {
    if (deps.metrics) deps.metrics->answered(route, reply.now->status);
    return reply;
  }
  return http::Reply::defer(
      [route, request_id = std::move(request_id), rest = std::move(reply.later), &deps] {
        core::log::RequestScope request_scope(request_id);
        http::ServerResponse response = rest();
        if (deps.metrics) deps.metrics->answered(route, response.status);
        return response;
      });
}

http::ServerResponse handle_webhook(WebhookRoute route, const http::ServerRequest& request,
                                    WebhookDeps& deps) {
  return finish(stage_webhook(route, request, deps));
}

}  // namespace bw::service
