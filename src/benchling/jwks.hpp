// benchling/jwks.hpp: Benchling's JSON Web Key Set, parsed into ready-to-use P-256 public keys.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::benchling {

//! One EC P-256 public key from the JWKS. Copies share the same immutable EVP_PKEY, which OpenSSL
//! allows several threads to verify with at once.
class PublicKey {
 public:
  //! Takes ownership of `pkey` (must be non-null).
  PublicKey(std::string kid, EVP_PKEY* pkey);

  const std::string& kid() const { return kid_; }
  EVP_PKEY* pkey() const { return pkey_.get(); }

 private:
  std::string kid_;
  std::shared_ptr<EVP_PKEY> pkey_;
};

using PublicKeys = std::vector<PublicKey>;
using PublicKeysPtr = std::shared_ptr<const PublicKeys>;

//! Upper bounds on what we accept from the network.
inline constexpr std::size_t kMaxJwksBytes = 256 * 1024;
inline constexpr std::size_t kMaxJwksKeys = 16;  //!< usable keys kept; later ones are skipped

//! What parse_jwks() left out, for logs (never key material).
struct JwksStats {
  std::size_t skipped_unsupported = 0;  //!< not kty "EC" with crv "P-256" (RSA, P-384, OKP, ...)
  std::size_t skipped_invalid = 0;      //!< P-256 keys with bad base64url, wrong length or off the curve
  std::size_t skipped_over_limit = 0;   //!< usable keys beyond kMaxJwksKeys
};

//! Parses {"keys": [...]} and keeps the EC P-256 keys (x, y base64url; a kid is optional), in order.
//! Every other key is skipped and counted in `stats`. Errors (kRemote, healable: the JWKS is
//! Benchling's) for input over kMaxJwksBytes, invalid JSON, a missing "keys" array, or no usable key.
//! The caller adds the URL it fetched to the error.
core::Result<PublicKeys> parse_jwks(std::string_view json, JwksStats* stats = nullptr);

}  // namespace bw::benchling
