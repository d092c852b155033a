// benchling/signature.hpp: the pure webhook signature check of benchling-sdk's webhook_helpers.verify.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benchling/jwks.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::benchling {

//! Why a delivery was rejected, in the order the SDK checks (runtime-spec §4.2).
enum class VerifyFailure {
  kMissingId,            //!< no webhook-id header
  kMissingTimestamp,     //!< no webhook-timestamp header
  kMissingSignature,     //!< no webhook-signature header
  kInvalidTimestamp,     //!< webhook-timestamp is not a plain decimal number of Unix seconds
  kTooOld,               //!< timestamp older than now - 5 min
  kTooNew,               //!< timestamp newer than now + 5 min
  kNoDerSignature,       //!< no signature element whose version contains "der"
  kMalformedSignature,   //!< a signature element without exactly one comma
  kNoMatchingSignature,  //!< no key verified any signature
  kNoKeys,               //!< no JWKS key is loaded for this app definition
  kHeaderTooLong,        //!< a webhook-* header over kMaxWebhookHeaderBytes (our bound; not in the SDK)
  kKeysUnavailable,      //!< no key matched and the JWKS could not be refetched in time: maybe a rotation
};

//! Stable snake_case name ("missing_id", "too_old", ...) for logs and metrics.
const char* to_string(VerifyFailure failure);
//! The SDK's WebhookVerificationError text ("Message timestamp too old", ...), or ours where the
//! SDK has none (a malformed element raises a bare ValueError there).
const char* message_of(VerifyFailure failure);

inline constexpr std::size_t kMaxWebhookHeaderBytes = 8 * 1024;
inline constexpr std::size_t kMaxSignatures = 16;  //!< der signatures tried per delivery
inline constexpr std::size_t kMaxKeys = 16;        //!< keys tried per delivery
inline constexpr std::chrono::seconds kTimestampTolerance{300};

struct VerifyResult {
  bool ok = false;
  std::optional<VerifyFailure> failure;  //!< set exactly when !ok
  std::string reason;                    //!< to_string(*failure) for logs; empty when ok
  std::string message;                   //!< message_of(*failure); empty when ok
  std::string kid;                       //!< kid of the key that verified (may be empty)
  bool refetched = false;                //!< a JWKS refetch for this delivery succeeded

  explicit operator bool() const { return ok; }
  static VerifyResult success(std::string kid);
  static VerifyResult fail(VerifyFailure failure);
};

//! Parses webhook-timestamp the way the SDK's datetime.fromtimestamp(float(text)) does and returns
//! Unix microseconds (float() correctly rounded, then microseconds rounded half-even; beyond year
//! 9999 is an error there, so nullopt here). Deliberately narrower than float(): only
//! digits with an optional "." fraction ("1700000000", "1700000000.25", "1.", ".5") are taken;
//! "nan", "inf", "1e9", "0x10", "1_0", signs and surrounding spaces, which float() would accept,
//! are rejected, since no sender writes them and a negative or infinite time only ends in a
//! different rejection.
std::optional<std::int64_t> parse_webhook_timestamp_us(std::string_view text);

//! A delivery that passed every check short of the keys: the SHA-256 of the signed content
//! (webhook-id "." webhook-timestamp "." raw body) and its decoded DER signatures.
struct PreparedDelivery {
  std::optional<VerifyFailure> failure;  //!< set: rejected before the keys are needed
  std::array<unsigned char, 32> digest{};
  std::vector<std::string> signatures;  //!< DER; empty when every der element failed to decode
};

//! Steps 1-4 of runtime-spec §4.2, in the SDK's order: the three headers (case-insensitive names;
//! present-but-empty counts as present, as `in` does), the timestamp window (±300 s; exactly
//! 300 s away still passes), then the signature list: split on single spaces, every element
//! must have exactly one comma, elements whose version contains "der" are kept. Each kept value is
//! standard base64; one that does not decode is skipped (the SDK would raise instead: either way
//! it cannot verify). The body is hashed exactly as received, never re-serialized.
PreparedDelivery prepare_delivery(const http::Headers& headers, std::string_view raw_body,
                                  core::SystemTime now);

//! Step 6: every key (first kMaxKeys) x every signature, ECDSA P-256 over the prepared SHA-256
//! digest. Returns the index of the first key that verified any signature.
std::optional<std::size_t> find_matching_key(const PreparedDelivery& delivery, const PublicKeys& keys);

//! prepare_delivery + find_matching_key: kNoKeys for an empty key set, kNoMatchingSignature when
//! nothing verified.
VerifyResult verify_signature(const http::Headers& headers, std::string_view raw_body, const PublicKeys& keys,
                              core::SystemTime now);

}  // namespace bw::benchling
