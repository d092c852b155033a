// service/readiness.hpp: what the service needs, beyond a resolved configuration, before it takes webhooks.
#pragma once

#include <string>

#include "config/resolved_config.hpp"
#include "core/error.hpp"

namespace bw::benchling {
class JwksCache;
}
namespace bw::queue {
class WorkQueue;
}

namespace bw::service {

//! Benchling's webhook signing keys (when the secret asks for verification) and the work and canvas queues.
//! serve() runs complete() after every resolution, so /health/ready says what is missing; `validate` runs
//! the same two checks and prints them.
class Readiness {
 public:
  Readiness(benchling::JwksCache& jwks, queue::WorkQueue& queues);

  //! `config` itself when the keys and the queues are there, else the first of their errors.
  core::Result<config::ResolvedConfig> complete(config::ResolvedConfig config) const;

  //! Both queues exist and are FIFO ("found").
  core::Result<std::string> check_queues() const;
  //! The keys at `config`'s jwks_url, fetched when stale (`force`: always); on success, how many and from
  //! where. A failed refresh with keys already loaded keeps them (logged) and is not an error.
  core::Result<std::string> check_keys(const config::ResolvedConfig& config, bool force = false) const;

 private:
  benchling::JwksCache& jwks_;
  queue::WorkQueue& queues_;
};

}  // namespace bw::service
