#include "service/health.hpp"

#include <boost/json.hpp>

#include <unistd.h>
#include <algorithm>
#include <fstream>

#include "core/metrics.hpp"
#include "core/time.hpp"
#include "core/version.hpp"

namespace bw::service {
namespace {
using boost::json::object;

//! The structured reason configuration is not (yet) usable, with retry facts.
object not_ready_body(const config::Snapshot& s, const char* status) {
  object body{{"status", status}};
  if (s.error) {
    body["error"] = s.error->to_json();
  } else {
    body["error"] = object{{"error", "starting"},
                           {"message", "Configuration is being resolved from AWS"},
                           {"suggestion", "Wait a moment"},
                           {"details", object{}}};
  }
  body["attempts"] = s.failed_attempts;
  if (s.last_attempt) body["last_attempt"] = core::format_iso8601(*s.last_attempt);
  if (s.next_retry_in) body["next_retry_ms"] = s.next_retry_in->count();
  return body;
}
}  // namespace

http::ServerResponse health(const config::Snapshot& s) {
  object body{{"status", "healthy"},        {"service", "benchling-webhook"},
              {"version", core::kVersion},  {"config_source", "secrets-only-mode"},
              {"config_version", "v1.0.0"}, {"config_parameters", 10}};
  if (!s.ready()) {
    object problem = not_ready_body(s, "degraded");
    body["mode"] = "degraded";
    body["warning"] = problem["error"].as_object()["message"];
    body["error"] = problem["error"];
  } else if (s.error) {
    // Resolved once, but the latest refresh failed: still serving the last good configuration.
    body["warning"] = "configuration refresh failing: " + s.error->message;
  }
  return http::json_response(200, body);
}

http::ServerResponse health_live() {
  return http::json_response(200, object{{"status", "alive"}});
}

http::ServerResponse health_ready(const config::Snapshot& s) {
  if (!s.ready()) return http::json_response(503, not_ready_body(s, "not ready"));
  return http::json_response(200, object{{"status", "ready"}, {"orchestration", "native"}});
}

http::ServerResponse health_secrets(const config::Snapshot& s) {
  if (!s.ready()) return http::json_response(503, not_ready_body(s, "unhealthy"));
  object body = config::render_secrets_health(s.config->secret_ref, &s.config->benchling);
  if (s.last_success) body["last_refreshed"] = core::format_iso8601(*s.last_success);
  body["secret_version_id"] = s.config->secret_version_id;  // which version is in use; never its value
  return http::json_response(200, body);
}

http::ServerResponse config(const config::Snapshot& s) {
  if (!s.ready()) return http::json_response(503, not_ready_body(s, "not ready"));
  return http::json_response(200, config::render_config_json(*s.config));
}

ProcessMetrics::ProcessMetrics(core::metrics::Registry& registry, core::SystemTime started)
    : registry_(registry),
      config_ready_(registry.gauge("benchling_webhook_config_ready",
                                   "1 once configuration resolved (the last good one is kept), else 0.")),
      resident_memory_(registry.gauge("benchling_webhook_process_resident_memory_bytes",
                                      "Resident memory of the process, in bytes.")) {
  registry.gauge("benchling_webhook_process_start_time_seconds", "When the process started, in Unix seconds.")
      .set(std::chrono::duration<double>(started.time_since_epoch()).count());
  registry
      .gauge("benchling_webhook_build_info", "Always 1; the label names the running version.",
             {{"version", core::kVersion}})
      .set(1);
}

void ProcessMetrics::sample(const config::Snapshot& s, std::optional<std::chrono::milliseconds> jwks_age,
                            core::SystemTime now) {
  config_ready_.set(s.ready() ? 1 : 0);
  resident_memory_.set(double(resident_memory_bytes()));
  // Clamped at zero: the wall clock may step back under NTP.
  auto since = [now](core::SystemTime t) {
    return std::max(0.0, std::chrono::duration<double>(now - t).count());
  };
  if (s.last_success) {
    set_age(config_age_, "benchling_webhook_config_refresh_age_seconds",
            "Seconds since the configuration (the Benchling secret at least) was last resolved successfully; "
            "refreshed every --secret-ttl.",
            since(*s.last_success));
  }
  if (s.last_stack_success) {
    set_age(stack_age_, "benchling_webhook_stack_outputs_age_seconds",
            "Seconds since the Quilt stack outputs were last read successfully; refreshed every 6 x "
            "--secret-ttl.",
            since(*s.last_stack_success));
  }
  if (jwks_age) {
    set_age(jwks_age_, "benchling_webhook_jwks_age_seconds",
            "Seconds since Benchling's webhook signing keys (JWKS) were fetched.",
            std::max(0.0, std::chrono::duration<double>(*jwks_age).count()));
  }
}

void ProcessMetrics::set_age(std::atomic<core::metrics::Gauge*>& slot, const char* name, const char* help,
                             double seconds) {
  core::metrics::Gauge* gauge = slot.load();
  if (!gauge) {
    // Two scrapes racing here both get the same series: registering again returns it.
    gauge = &registry_.gauge(name, help);
    slot.store(gauge);
  }
  gauge->set(seconds);
}

http::ServerResponse metrics(const core::metrics::Registry& registry) {
  http::ServerResponse r;
  r.status = 200;
  r.content_type = core::metrics::kContentType;
  r.body = registry.render();
  return r;
}

std::uint64_t resident_memory_bytes() {
  // statm: size resident shared text lib data dt, in pages.
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  const long page = sysconf(_SC_PAGESIZE);
  return resident * std::uint64_t(page > 0 ? page : 4096);
}

}  // namespace bw::service
