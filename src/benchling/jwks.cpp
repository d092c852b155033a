#include "benchling/jwks.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

#include <optional>

#include "core/encoding.hpp"
#include "core/json.hpp"

namespace bw::benchling {
namespace {

constexpr std::size_t kCoordinateBytes = 32;  // P-256 field elements

struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

//! A JWK coordinate: base64url of the big-endian integer. RFC 7518 asks for exactly 32 bytes;
//! jwcrypto (which the SDK uses) also takes shorter encodings, so those are left-padded.
std::optional<std::string> decode_coordinate(const boost::json::object& jwk, std::string_view name) {
  auto text = core::get_string(jwk, name);
  if (!text) return std::nullopt;
  auto bytes = core::base64url_decode(*text);
  if (!bytes || bytes->empty() || bytes->size() > kCoordinateBytes) return std::nullopt;
  return std::string(kCoordinateBytes - bytes->size(), '\0') + *bytes;
}

//! Builds the key from the uncompressed point 04||x||y with the OpenSSL 3 provider API, then runs
//! the full public-key check (coordinates in range, point on the curve, not infinity).
EVP_PKEY* make_p256_key(const std::string& x, const std::string& y) {
  std::string point = "\x04" + x + y;
  char group[] = SN_X9_62_prime256v1;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1 || pkey == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    EVP_PKEY_free(pkey);
    return nullptr;
  }
  return pkey;
}

}  // namespace

PublicKey::PublicKey(std::string kid, EVP_PKEY* pkey) : kid_(std::move(kid)), pkey_(pkey, EVP_PKEY_free) {}

core::Result<PublicKeys> parse_jwks(std::string_view json, JwksStats* stats) {
  JwksStats local;
  JwksStats& st = stats ? *stats : local;
  st = {};
  auto doc = core::parse_json(json, "the JWKS", kMaxJwksBytes);
  if (!doc) return doc.error();  // kRemote: Benchling serves it
  const boost::json::array* keys = nullptr;
  if (const auto* obj = doc->if_object()) {
    if (auto it = obj->find("keys"); it != obj->end()) keys = it->value().if_array();
  }
  if (keys == nullptr) {
    auto e = core::make_error(core::ErrorCode::kRemote, "the JWKS has no \"keys\" array",
                              "check that the JWKS URL serves Benchling's key set for this app definition");
    return e;
  }

  PublicKeys out;
  for (const auto& entry : *keys) {
    const auto* jwk = entry.if_object();
    if (jwk == nullptr || core::get_string(*jwk, "kty") != "EC" || core::get_string(*jwk, "crv") != "P-256") {
      ++st.skipped_unsupported;
      continue;
    }
    if (out.size() >= kMaxJwksKeys) {
      ++st.skipped_over_limit;
      continue;
    }
    auto x = decode_coordinate(*jwk, "x");
    auto y = decode_coordinate(*jwk, "y");
    EVP_PKEY* pkey = (x && y) ? make_p256_key(*x, *y) : nullptr;
    if (pkey == nullptr) {
      ++st.skipped_invalid;
      continue;
    }
    out.emplace_back(core::get_string(*jwk, "kid").value_or(""), pkey);
  }
  if (out.empty()) {
    auto e = core::make_error(core::ErrorCode::kRemote, "the JWKS has no usable EC P-256 key",
                              "check that the JWKS URL serves Benchling's key set for this app definition");
    e.with("keys", std::to_string(keys->size()))
        .with("unsupported", std::to_string(st.skipped_unsupported))
        .with("invalid", std::to_string(st.skipped_invalid));
    return e;
  }
  return out;
}

}  // namespace bw::benchling
