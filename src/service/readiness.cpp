#include "service/readiness.hpp"

#include "benchling/jwks_cache.hpp"
#include "core/log.hpp"
#include "queue/work_queue.hpp"

namespace bw::service {

Readiness::Readiness(benchling::JwksCache& jwks, queue::WorkQueue& queues) : jwks_(jwks), queues_(queues) {}

core::Result<std::string> Readiness::check_queues() const {
  if (auto checked = queues_.check(); !checked) return checked.error();
  return std::string("found");
}

core::Result<std::string> Readiness::check_keys(const config::ResolvedConfig& config, bool force) const {
  const std::string& url = config.benchling.jwks_url;
  auto keys = force ? jwks_.refresh(url) : jwks_.refresh_if_stale(url);
  if (!keys && !jwks_.loaded()) {
    core::Error e = keys.error();
    e.message = "Cannot load Benchling's webhook signing keys (JWKS): " + e.message;
    e.suggestion =
        "Check that jwks_url / app_definition_id in the secret are right and that the service can "
        "reach it";
    return e;
  }
  if (!keys) {
    core::log::warn("JWKS refresh failed; keeping the keys already loaded",
                    {{"error", keys.error().message}});
  }
  const auto loaded = jwks_.keys();
  return std::to_string(loaded ? loaded->size() : 0) + " key(s) from " + url;
}

core::Result<config::ResolvedConfig> Readiness::complete(config::ResolvedConfig config) const {
  if (config.benchling.enable_webhook_verification) {
    if (auto keys = check_keys(config); !keys) return keys.error();
  }
  if (auto queues = check_queues(); !queues) return queues.error();
  return config;
}

}  // namespace bw::service
