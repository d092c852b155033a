// config/secret_schema.hpp
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/log.hpp"

namespace bw::config {

//! The validated Benchling secret JSON (DESIGN "secret JSON", runtime-spec §8.4). Holds the client
//! secret: never log or render it; mask as in runtime-spec §2.5.
struct BenchlingSecret {
  //! Normalized: "https://Acme.benchling.com/" and "acme.benchling.com" both become "acme".
  std::string tenant;
  std::string client_id;
  std::string client_secret;
  std::string app_definition_id;
  std::string pkg_prefix;
  std::string pkg_key;
  std::string user_bucket;
  core::LogLevel log_level = core::LogLevel::kInfo;
  std::string log_level_name;  //!< the spelling in the secret, e.g. "INFO"
  bool enable_webhook_verification = true;
  //! As given; a JSON list is joined with ",", null becomes "". Not enforced (runtime-spec §4.3).
  std::string webhook_allow_list;
  std::string api_url;   //!< no trailing '/'; default https://<tenant>.benchling.com
  std::string jwks_url;  //!< default https://apps.benchling.com/api/v1/apps/<app_definition_id>/jwks
  std::optional<std::string> workflow;  //!< Quilt workflow name; absent, null or "" → none

  //! Lets the store tell a rotated secret from an unchanged one.
  bool operator==(const BenchlingSecret&) const = default;
};

//! Larger SecretStrings are rejected before parsing (a real one is well under 2 KiB).
inline constexpr std::size_t kMaxSecretBytes = 64 * 1024;

//! Where the missing-keys error points people (runtime-spec §8.4).
inline constexpr std::string_view kSecretFormatUrl =
    "https://github.com/quiltdata/benchling-webhook#secret-format";

//! Validates a SecretString in the order of runtime-spec §8.4, with its exact texts. Each error is
//! kInvalidSecret (healable: fixing the secret in AWS fixes the service):
//!  1. empty: "Secret does not contain string data"
//!     (then: over kMaxSecretBytes: "Secret is too large")
//!  2. not JSON: "Secret contains invalid JSON", detail ("Parse error", "<what> at line L column C (char N)")
//!     (then: not an object: "Secret must be a JSON object")
//!  3. missing keys, all of them in the order of the 10 required keys:
//!     "Missing required parameters in secret '<secret_id>'" / "Missing: k1, k2" / details
//!     ("Expected secret format (JSON)", example_secret_json()) and ("See", kSecretFormatUrl)
//!  4. log_level: "Invalid value for parameter 'log_level'" / "Received: '<v>'" /
//!     ("Expected one of", "DEBUG, INFO, WARNING, ERROR, CRITICAL"); case-sensitive
//!  5. enable_webhook_verification: JSON true/false or "true"/"false" (any case)/"1"/"0", else
//!     "Invalid value for parameter 'enable_webhook_verification'" /
//!     "Invalid boolean value: <repr>. Expected: true, false, 'true', 'false', '1', or '0'" /
//!     ("Expected", "true, false, 'true', 'false', '1', or '0'")
//!  6. the 7 string keys in order: a non-blank string, else "Invalid value for parameter '<k>'" /
//!     "Received: <repr>" / ("Expected", "non-empty string"); a non-string client_secret is described by
//!     its type only. Then the tenant must normalize to a host label list ([a-z0-9.-]), and pkg_prefix
//!     must be able to start a Quilt package name (config/package_name_rule.hpp: ASCII letters, digits,
//!     '_' and '-'), else "Invalid value for parameter 'pkg_prefix'" / what is allowed, with an example /
//!     ("Received", <repr>), ("Problem", "it contains ...").
//!  Then the optional keys: api_url and jwks_url must be https:// URLs (http:// only for localhost,
//!  127.0.0.1 and [::1], so tests can use a loopback fake); workflow a string.
//! <repr> is Python's repr of the JSON value (see config/repr.hpp). Secret values never appear in errors.
core::Result<BenchlingSecret> parse_secret(std::string_view secret_string, std::string_view secret_id);

//! The example secret of runtime-spec §8.4, two-space indented, keys in the documented order.
std::string example_secret_json();

}  // namespace bw::config
