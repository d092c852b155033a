#include "service/front.hpp"

#include "benchling/jwks_cache.hpp"
#include "config/store.hpp"
#include "core/metrics.hpp"
#include "service/health.hpp"

namespace bw::service {

namespace {

http::Router make_router(const config::Store& store, WebhookDeps& webhooks, const benchling::JwksCache& jwks,
                         const core::metrics::Registry& registry, ProcessMetrics& process) {
  http::Router router;
  for (auto [path, route] :
       {std::pair{"/event", WebhookRoute::kEvent}, std::pair{"/lifecycle", WebhookRoute::kLifecycle},
        std::pair{"/canvas", WebhookRoute::kCanvas}}) {
    // Staged: verified on the I/O thread (CPU only, no hand-off for a delivery that needs no job); the
    // enqueue, a network call, runs on the handler pool.
    router.add_staged(
        "POST", path,
        [&webhooks, route](const http::ServerRequest& r) { return stage_webhook(route, r, webhooks); },
        http::Router::Prefix::kAnyOneSegment);
  }
  router.add("GET", "/health", [&store](const http::ServerRequest&) { return health(store.snapshot()); });
  router.add("GET", "/health/live", [](const http::ServerRequest&) { return health_live(); });
  router.add("GET", "/health/ready",
             [&store](const http::ServerRequest&) { return health_ready(store.snapshot()); });
  router.add("GET", "/health/secrets",
             [&store](const http::ServerRequest&) { return health_secrets(store.snapshot()); });
  router.add("GET", "/config", [&store](const http::ServerRequest&) { return config(store.snapshot()); });
  // Non-blocking: reading atomics, two short locks and /proc/self/statm, no network.
  router.add("GET", "/metrics", [&store, &jwks, &registry, &process](const http::ServerRequest&) {
    process.sample(store.snapshot(), jwks.age());
    return metrics(registry);
  });
  return router;
}

}  // namespace

Front::Front(const config::Store& store, benchling::WebhookVerifier& verifier, queue::WorkQueue& queues,
             const benchling::JwksCache& jwks, core::metrics::Registry& registry, ProcessMetrics& process,
             http::ServerOptions options)
    : webhook_metrics_(registry),
      webhooks_{store, verifier, queues, &webhook_metrics_},
      router_(make_router(store, webhooks_, jwks, registry, process)),
      server_(router_, std::move(options)) {}

}  // namespace bw::service
