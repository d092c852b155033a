// service/health.hpp: the health, configuration and metrics endpoints.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "config/store.hpp"
#include "core/time.hpp"
#include "http/message.hpp"

namespace bw::core::metrics {
class Gauge;
class Registry;
}  // namespace bw::core::metrics

namespace bw::service {

//! GET /health: always 200 (the process is up); names the version, and the problem when not ready.
http::ServerResponse health(const config::Snapshot& s);
//! GET /health/live: 200 {"status":"alive"}.
http::ServerResponse health_live();
//! GET /health/ready: 200 once configuration resolved, else 503 with the structured error.
http::ServerResponse health_ready(const config::Snapshot& s);
//! GET /health/secrets: secret status (never values), 503 until resolved.
http::ServerResponse health_secrets(const config::Snapshot& s);
//! GET /config: the resolved configuration with secrets masked, 503 until resolved.
http::ServerResponse config(const config::Snapshot& s);

//! The process-wide gauges: build_info{version} and process_start_time_seconds, set once; config_ready,
//! process_resident_memory_bytes and the ages, sampled at each scrape rather than kept up to date.
//! An age's series appears at the first scrape that has a value for it (before the configuration first
//! resolves, or while no JWKS is loaded, there is no age to report, and 0 would read as "just refreshed").
class ProcessMetrics {
 public:
  ProcessMetrics(core::metrics::Registry& registry, core::SystemTime started);
  //! Reads what may have changed since the last scrape. `jwks_age`: how old the webhook signing keys are
  //! (benchling::JwksCache::age()), nullopt while none are loaded. Thread-safe.
  void sample(const config::Snapshot& s, std::optional<std::chrono::milliseconds> jwks_age = std::nullopt,
              core::SystemTime now = core::system_now());

 private:
  //! Sets the lazily registered gauge `slot` to `seconds`.
  void set_age(std::atomic<core::metrics::Gauge*>& slot, const char* name, const char* help, double seconds);

  core::metrics::Registry& registry_;
  core::metrics::Gauge& config_ready_;
  core::metrics::Gauge& resident_memory_;
  std::atomic<core::metrics::Gauge*> config_age_{nullptr};
  std::atomic<core::metrics::Gauge*> stack_age_{nullptr};
  std::atomic<core::metrics::Gauge*> jwks_age_{nullptr};
};

//! GET /metrics: `registry` in the Prometheus text format 0.0.4.
http::ServerResponse metrics(const core::metrics::Registry& registry);

//! The resident set size from /proc/self/statm; 0 where it cannot be read.
std::uint64_t resident_memory_bytes();

}  // namespace bw::service
