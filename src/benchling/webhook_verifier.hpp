// benchling/webhook_verifier.hpp: verifies a delivery against the cached JWKS, refetching it (rate
// limited) when no key matches so that Benchling's key rotation heals without a restart.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "benchling/jwks_cache.hpp"
#include "benchling/signature.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::benchling {

//! How long a delivery signed by an unknown key waits for the JWKS refetch. Benchling drops a delivery not
//! answered within 3 s; the intake's enqueue may take 2 × 1.2 s after this, so 0.4 s is what is left.
inline constexpr std::chrono::milliseconds kDefaultRefetchWait{400};

class WebhookVerifier {
 public:
  explicit WebhookVerifier(JwksCache& cache, std::chrono::milliseconds refetch_wait = kDefaultRefetchWait)
      : cache_(cache), refetch_wait_(refetch_wait) {}

  //! Checks the delivery against the keys cached for `jwks_url` (runtime-spec §4.2). When every
  //! check passed except that no key matched (or no key is loaded yet), asks the cache for a
  //! refetch, which it grants at most once per min_refetch_interval, waits for it at most
  //! `refetch_wait`, and tries once more if the key set changed. When still no key matches and the keys
  //! could not be confirmed current (the refetch failed or is still running), the failure is
  //! kKeysUnavailable rather than kNoMatchingSignature / kNoKeys: a genuine delivery signed by a rotated
  //! key must be retried later, not refused. Signatures that did not even decode never cause a refetch.
  //! Thread-safe.
  VerifyResult verify(const http::Headers& headers, std::string_view raw_body, const std::string& jwks_url,
                      core::SystemTime now);

  //! verify() in two steps, for threads that must not block. The first checks against the keys cached now
  //! and never waits: `decided` unless only a refetch of the JWKS can tell.
  struct Attempt {
    PreparedDelivery delivery;
    PublicKeysPtr keys;
    std::optional<VerifyResult> decided;
  };
  Attempt check_cached(const http::Headers& headers, std::string_view raw_body, const std::string& jwks_url,
                       core::SystemTime now);
  //! The second: refetches (may wait `refetch_wait`) and tries the new keys. For an undecided attempt.
  VerifyResult check_refetched(const Attempt& attempt, const std::string& jwks_url);

 private:
  JwksCache& cache_;
  std::chrono::milliseconds refetch_wait_;
};

}  // namespace bw::benchling
