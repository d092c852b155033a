#include "benchling/signature.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <vector>

#include "core/encoding.hpp"

namespace bw::benchling {
namespace {

// 9999-12-31T23:59:59Z: datetime.fromtimestamp raises for anything later.
constexpr std::int64_t kMaxTimestampSeconds = 253402300799;
constexpr std::size_t kMaxTimestampChars = 64;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};

//! Fetched once: an explicit fetch avoids OpenSSL 3's per-call implicit lookup.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

//! CPython's _PyTime_RoundHalfEven.
double round_half_even(double x) {
  double rounded = std::round(x);
  if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);
  return rounded;
}

bool sha256_of_content(std::string_view id, std::string_view timestamp, std::string_view body,
                       std::array<unsigned char, 32>& out) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  bool ok = ctx && sha256_md() && EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx.get(), id.data(), id.size()) == 1 &&
            EVP_DigestUpdate(ctx.get(), ".", 1) == 1 &&
            EVP_DigestUpdate(ctx.get(), timestamp.data(), timestamp.size()) == 1 &&
            EVP_DigestUpdate(ctx.get(), ".", 1) == 1 &&
            EVP_DigestUpdate(ctx.get(), body.data(), body.size()) == 1 &&
            EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1 && len == out.size();
  if (!ok) ERR_clear_error();
  return ok;
}

//! A verify context ready for `pkey`. Setting one up goes through OpenSSL 3's provider lookups, which cost
//! several microseconds a call, so each thread keeps a few. A context holds a reference to its key, so a
//! cached key pointer can never be reused by another key while it is cached.
EVP_PKEY_CTX* verify_context(EVP_PKEY* pkey) {
  struct Entry {
    EVP_PKEY* key;
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx;
  };
  constexpr std::size_t kMaxCached = 8;  // keys rotate rarely: a handful covers old and new
  thread_local std::vector<Entry> cache;
  for (auto& e : cache) {
    if (e.key == pkey) return e.ctx.get();
  }
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), sha256_md()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  if (cache.size() >= kMaxCached) cache.erase(cache.begin());
  cache.push_back({pkey, std::move(ctx)});
  return cache.back().ctx.get();
}

bool verify_digest(EVP_PKEY* pkey, const std::array<unsigned char, 32>& digest, const std::string& der) {
  EVP_PKEY_CTX* ctx = verify_context(pkey);
  bool ok = ctx && EVP_PKEY_verify(ctx, reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                                   digest.data(), digest.size()) == 1;
  // A wrong signature leaves reasons on this thread's error queue; drop them so it cannot grow.
  if (!ok) ERR_clear_error();
  return ok;
}

PreparedDelivery rejected(VerifyFailure failure) {
  PreparedDelivery out;
  out.failure = failure;
  return out;
}

}  // namespace

const char* to_string(VerifyFailure failure) {
  switch (failure) {
    case VerifyFailure::kMissingId:
      return "missing_id";
    case VerifyFailure::kMissingTimestamp:
      return "missing_timestamp";
    case VerifyFailure::kMissingSignature:
      return "missing_signature";
    case VerifyFailure::kInvalidTimestamp:
      return "invalid_timestamp";
    case VerifyFailure::kTooOld:
      return "too_old";
    case VerifyFailure::kTooNew:
      return "too_new";
    case VerifyFailure::kNoDerSignature:
      return "no_der_signature";
    case VerifyFailure::kMalformedSignature:
      return "malformed_signature";
    case VerifyFailure::kNoMatchingSignature:
      return "no_matching_signature";
    case VerifyFailure::kNoKeys:
      return "no_keys";
    case VerifyFailure::kHeaderTooLong:
      return "header_too_long";
    case VerifyFailure::kKeysUnavailable:
      return "keys_unavailable";
  }
  return "unknown";
}

const char* message_of(VerifyFailure failure) {
  switch (failure) {
    case VerifyFailure::kMissingId:
      return "Missing webhook-id header";
    case VerifyFailure::kMissingTimestamp:
      return "Missing webhook-timestamp header";
    case VerifyFailure::kMissingSignature:
      return "Missing webhook-signature header";
    case VerifyFailure::kInvalidTimestamp:
      return "Invalid Signature Headers";
    case VerifyFailure::kTooOld:
      return "Message timestamp too old";
    case VerifyFailure::kTooNew:
      return "Message timestamp too new";
    case VerifyFailure::kNoDerSignature:
      return "Expected to find a der encoded signature";
    case VerifyFailure::kMalformedSignature:
      return "Malformed webhook-signature element (expected <version>,<base64>)";
    case VerifyFailure::kNoMatchingSignature:
      return "No matching signature found";
    case VerifyFailure::kNoKeys:
      return "No webhook verification keys loaded";
    case VerifyFailure::kHeaderTooLong:
      return "Webhook header too long";
    case VerifyFailure::kKeysUnavailable:
      return "Webhook signing keys could not be refreshed in time";
  }
  return "Webhook verification failed";
}

VerifyResult VerifyResult::success(std::string kid) {
  VerifyResult r;
  r.ok = true;
  r.kid = std::move(kid);
  return r;
}

VerifyResult VerifyResult::fail(VerifyFailure failure) {
  VerifyResult r;
  r.failure = failure;
  r.reason = to_string(failure);
  r.message = message_of(failure);
  return r;
}

std::optional<std::int64_t> parse_webhook_timestamp_us(std::string_view text) {
  if (text.empty() || text.size() > kMaxTimestampChars) return std::nullopt;
  std::size_t digits = 0, dots = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.') {
      ++dots;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || dots > 1) return std::nullopt;

  // float(): the correctly rounded double, as from_chars gives.
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;

  // datetime.fromtimestamp: CPython's _PyTime_DoubleToDenominator with ROUND_HALF_EVEN.
  double int_part = 0;
  double micros = round_half_even(std::modf(value, &int_part) * 1e6);
  if (micros >= 1e6) {
    micros -= 1e6;
    int_part += 1.0;
  }
  if (int_part > double(kMaxTimestampSeconds)) return std::nullopt;
  return std::int64_t(int_part) * 1000000 + std::int64_t(micros);
}

PreparedDelivery prepare_delivery(const http::Headers& headers, std::string_view raw_body,
                                  core::SystemTime now) {
  auto id = http::find_header_view(headers, "webhook-id");
  if (!id) return rejected(VerifyFailure::kMissingId);
  auto timestamp = http::find_header_view(headers, "webhook-timestamp");
  if (!timestamp) return rejected(VerifyFailure::kMissingTimestamp);
  auto signature = http::find_header_view(headers, "webhook-signature");
  if (!signature) return rejected(VerifyFailure::kMissingSignature);
  if (id->size() > kMaxWebhookHeaderBytes || timestamp->size() > kMaxWebhookHeaderBytes ||
      signature->size() > kMaxWebhookHeaderBytes) {
    return rejected(VerifyFailure::kHeaderTooLong);
  }

  auto ts_us = parse_webhook_timestamp_us(*timestamp);
  if (!ts_us) return rejected(VerifyFailure::kInvalidTimestamp);
  // datetime.now() has microsecond resolution, truncated.
  const std::int64_t now_us = std::chrono::floor<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::int64_t tolerance_us = std::chrono::microseconds(kTimestampTolerance).count();
  if (*ts_us < now_us - tolerance_us) return rejected(VerifyFailure::kTooOld);
  if (*ts_us > now_us + tolerance_us) return rejected(VerifyFailure::kTooNew);

  // The SDK unpacks every element before looking at versions, so one malformed element fails the
  // whole header even when a valid signature sits next to it.
  std::vector<std::string_view> der_values;
  std::string_view rest = *signature;
  for (;;) {
    std::size_t space = rest.find(' ');
    std::string_view element = rest.substr(0, space);
    std::size_t comma = element.find(',');
    if (comma == std::string_view::npos || element.find(',', comma + 1) != std::string_view::npos) {
      return rejected(VerifyFailure::kMalformedSignature);
    }
    if (element.substr(0, comma).find("der") != std::string_view::npos) {
      der_values.push_back(element.substr(comma + 1));
    }
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  if (der_values.empty()) return rejected(VerifyFailure::kNoDerSignature);

  PreparedDelivery out;
  for (std::string_view value : der_values) {
    if (out.signatures.size() >= kMaxSignatures) break;
    auto der = core::base64_decode(value);
    if (der && !der->empty()) out.signatures.push_back(std::move(*der));
  }
  if (!sha256_of_content(*id, *timestamp, raw_body, out.digest)) {
    // Only an allocation failure inside OpenSSL gets here; nothing can verify without the digest.
    out.signatures.clear();
  }
  return out;
}

std::optional<std::size_t> find_matching_key(const PreparedDelivery& delivery, const PublicKeys& keys) {
  if (delivery.failure) return std::nullopt;
  const std::size_t n = std::min(keys.size(), kMaxKeys);
  for (std::size_t k = 0; k < n; ++k) {
    for (const auto& der : delivery.signatures) {
      if (verify_digest(keys[k].pkey(), delivery.digest, der)) return k;
    }
  }
  return std::nullopt;
}

VerifyResult verify_signature(const http::Headers& headers, std::string_view raw_body, const PublicKeys& keys,
                              core::SystemTime now) {
  PreparedDelivery delivery = prepare_delivery(headers, raw_body, now);
  if (delivery.failure) return VerifyResult::fail(*delivery.failure);
  if (keys.empty()) return VerifyResult::fail(VerifyFailure::kNoKeys);
  if (auto k = find_matching_key(delivery, keys)) return VerifyResult::success(keys[*k].kid());
  return VerifyResult::fail(VerifyFailure::kNoMatchingSignature);
}

}  // namespace bw::benchling
