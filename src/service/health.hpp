// service/health.hpp: the health, configuration and metrics endpoints.
#pragma once

#include <cstdint>

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

//! The process-wide gauges: build_info{version} and process_start_time_seconds, set once; config_ready and
//! process_resident_memory_bytes, sampled at each scrape rather than kept up to date.
class ProcessMetrics {
 public:
  ProcessMetrics(core::metrics::Registry& registry, core::SystemTime started);
  //! Reads what may have changed since the last scrape.
  void sample(const config::Snapshot& s);

 private:
  core::metrics::Gauge& config_ready_;
  core::metrics::Gauge& resident_memory_;
};

//! GET /metrics: `registry` in the Prometheus text format 0.0.4.
http::ServerResponse metrics(const core::metrics::Registry& registry);

//! The resident set size from /proc/self/statm; 0 where it cannot be read.
std::uint64_t resident_memory_bytes();

}  // namespace bw::service
