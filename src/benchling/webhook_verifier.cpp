#include "benchling/webhook_verifier.hpp"

namespace bw::benchling {

namespace {
VerifyFailure no_key_failure(const PublicKeys& keys) {
  return keys.empty() ? VerifyFailure::kNoKeys : VerifyFailure::kNoMatchingSignature;
}
}  // namespace

WebhookVerifier::Attempt WebhookVerifier::check_cached(const http::Headers& headers,
                                                       std::string_view raw_body, const std::string& jwks_url,
                                                       core::SystemTime now) {
  Attempt a{prepare_delivery(headers, raw_body, now), cache_.keys(jwks_url), std::nullopt};
  if (a.delivery.failure) {
    a.decided = VerifyResult::fail(*a.delivery.failure);
  } else if (auto k = find_matching_key(a.delivery, *a.keys)) {
    a.decided = VerifyResult::success((*a.keys)[*k].kid());
  } else if (a.delivery.signatures.empty()) {
    // Garbage that decoded to no signature cannot match any key: no reason to bother Benchling.
    a.decided = VerifyResult::fail(no_key_failure(*a.keys));
  }
  return a;
}

VerifyResult WebhookVerifier::verify(const http::Headers& headers, std::string_view raw_body,
                                     const std::string& jwks_url, core::SystemTime now) {
  Attempt a = check_cached(headers, raw_body, jwks_url, now);
  if (a.decided) return std::move(*a.decided);
  return check_refetched(a, jwks_url);
}

VerifyResult WebhookVerifier::check_refetched(const Attempt& attempt, const std::string& jwks_url) {
  const PreparedDelivery& delivery = attempt.delivery;
  const PublicKeysPtr& keys = attempt.keys;
  const VerifyFailure failure = no_key_failure(*keys);
  const JwksCache::Refetch refetch = cache_.refetch_if_allowed(jwks_url, refetch_wait_);
  // Retry whenever the set changed, also when another thread's fetch replaced it meanwhile and
  // ours was refused by the rate limit.
  PublicKeysPtr fresh = cache_.keys(jwks_url);
  VerifyResult result = VerifyResult::fail(failure);
  if (fresh != keys) {
    if (auto k = find_matching_key(delivery, *fresh)) {
      result = VerifyResult::success((*fresh)[*k].kid());
    } else {
      result = VerifyResult::fail(no_key_failure(*fresh));
    }
  }
  if (!result.ok && refetch == JwksCache::Refetch::kUnavailable) {
    result = VerifyResult::fail(VerifyFailure::kKeysUnavailable);
  }
  result.refetched = refetch == JwksCache::Refetch::kFetched;
  return result;
}

}  // namespace bw::benchling
