#include "benchling/webhook_verifier.hpp"

namespace bw::benchling {

VerifyResult WebhookVerifier::verify(const http::Headers& headers, std::string_view raw_body,
                                     const std::string& jwks_url, core::SystemTime now) {
  PreparedDelivery delivery = prepare_delivery(headers, raw_body, now);
  if (delivery.failure) return VerifyResult::fail(*delivery.failure);

  PublicKeysPtr keys = cache_.keys(jwks_url);
  if (auto k = find_matching_key(delivery, *keys)) return VerifyResult::success((*keys)[*k].kid());
  const VerifyFailure failure = keys->empty() ? VerifyFailure::kNoKeys : VerifyFailure::kNoMatchingSignature;
  // Garbage that decoded to no signature cannot match any key: no reason to bother Benchling.
  if (delivery.signatures.empty()) return VerifyResult::fail(failure);

  const JwksCache::Refetch refetch = cache_.refetch_if_allowed(jwks_url, refetch_wait_);
  // Retry whenever the set changed, also when another thread's fetch replaced it meanwhile and
  // ours was refused by the rate limit.
  PublicKeysPtr fresh = cache_.keys(jwks_url);
  VerifyResult result = VerifyResult::fail(failure);
  if (fresh != keys) {
    if (auto k = find_matching_key(delivery, *fresh)) {
      result = VerifyResult::success((*fresh)[*k].kid());
    } else {
      result =
          VerifyResult::fail(fresh->empty() ? VerifyFailure::kNoKeys : VerifyFailure::kNoMatchingSignature);
    }
  }
  if (!result.ok && refetch == JwksCache::Refetch::kUnavailable) {
    result = VerifyResult::fail(VerifyFailure::kKeysUnavailable);
  }
  result.refetched = refetch == JwksCache::Refetch::kFetched;
  return result;
}

}  // namespace bw::benchling
