// benchling/webhook_verifier.hpp: verifies a delivery against the cached JWKS, refetching it (rate
// limited) when no key matches so that Benchling's key rotation heals without a restart.
#pragma once

#include <string>
#include <string_view>

#include "benchling/jwks_cache.hpp"
#include "benchling/signature.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::benchling {

class WebhookVerifier {
 public:
  explicit WebhookVerifier(JwksCache& cache) : cache_(cache) {}

  //! Checks the delivery against the keys cached for `jwks_url` (runtime-spec §4.2). When every
  //! check passed except that no key matched (or no key is loaded yet), asks the cache for a
  //! refetch, which it grants at most once per min_refetch_interval, and tries once more if the
  //! key set changed. Signatures that did not even decode never cause a refetch. Thread-safe.
  VerifyResult verify(const http::Headers& headers, std::string_view raw_body, const std::string& jwks_url,
                      core::SystemTime now);

 private:
  JwksCache& cache_;
};

}  // namespace bw::benchling
