// service/front.hpp: the HTTP front of serve: the routes and the server that answers them.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "core/error.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "service/webhooks.hpp"

namespace bw::benchling {
class JwksCache;
class WebhookVerifier;
}  // namespace bw::benchling
namespace bw::config {
class Store;
}
namespace bw::core::metrics {
class Registry;
}
namespace bw::queue {
class WorkQueue;
}

namespace bw::service {

class ProcessMetrics;

//! The webhook routes (POST /event, /lifecycle, /canvas, also under one leading segment), the health
//! routes, /config and /metrics, served on `options.port`.
class Front {
 public:
  Front(const config::Store& store, benchling::WebhookVerifier& verifier, queue::WorkQueue& queues,
        const benchling::JwksCache& jwks, core::metrics::Registry& registry, ProcessMetrics& process,
        http::ServerOptions options);
  //! Binds and serves; the bound port (options.port 0: a free one).
  core::Result<std::uint16_t> start() { return server_.start(); }
  //! Stops accepting; requests in flight get until `grace`.
  void stop(std::chrono::milliseconds grace) { server_.stop(grace); }

 private:
  WebhookMetrics webhook_metrics_;
  WebhookDeps webhooks_;
  http::Router router_;
  http::Server server_;
};

}  // namespace bw::service
