// deploy/secret_document.hpp: the Benchling secret JSON that `secret create|update` writes, built and
// checked before anything is written. Pure: no I/O.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/secret_schema.hpp"
#include "core/error.hpp"

namespace bw::deploy {

//! Values given as command-line flags; an unset field leaves what lies underneath. For the optional keys
//! (api_url, jwks_url, workflow) an empty value removes the key, so the service's default applies again.
struct SecretFields {
  std::optional<std::string> tenant;
  std::optional<std::string> client_id;
  std::optional<std::string> client_secret;  //!< from --client-secret-file, never a plain flag
  std::optional<std::string> app_definition_id;
  std::optional<std::string> user_bucket;
  std::optional<std::string> pkg_prefix;
  std::optional<std::string> pkg_key;
  std::optional<std::string> log_level;
  std::optional<std::string> enable_webhook_verification;
  std::optional<std::string> webhook_allow_list;
  std::optional<std::string> workflow;
  std::optional<std::string> api_url;
  std::optional<std::string> jwks_url;
};

enum class SecretMode {
  kCreate,  //!< defaults < file < flags
  kUpdate,  //!< current secret < file < flags; no defaults
};

struct SecretDocumentInput {
  SecretMode mode = SecretMode::kCreate;
  std::string secret_id;  //!< names the secret in validation errors
  //! The text of --from-file (a JSON object of secret keys), and its name for errors.
  std::optional<std::string> file_text;
  std::string file_name;
  SecretFields fields;
  //! kUpdate: the current SecretString (absent or empty: merge onto nothing). It may hold keys this
  //! program does not know (written by other tools); they are kept.
  std::optional<std::string> current;
};

//! A document that passed config::parse_secret. Holds the client secret: never log or print `text`.
struct SecretDocument {
  boost::json::object object;  //!< keys in the documented order, then any kept unknown keys
  std::string text;            //!< `object`, two-space indented: what is written
  config::BenchlingSecret secret;
  //! kUpdate: the keys whose value differs from the current secret (names only): document order, then
  //! removed keys.
  std::vector<std::string> changed_keys;
  //! kUpdate: the current value was not a JSON object, so it was replaced rather than merged onto.
  bool replaced_unreadable_current = false;
};

//! The ten required keys then the three optional ones, in the documented order.
const std::vector<std::string_view>& secret_keys();

//! Builds the document and validates it with config::parse_secret. Errors:
//! - the file is not a JSON object, or over config::kMaxSecretBytes: kInvalidArgument naming the file and,
//!   for bad JSON, the line and column only (never the text: it holds the client secret);
//! - the file has keys the schema does not know (typos such as "client-id"): kInvalidArgument
//!   "Unknown key(s) in <file>: k1, k2" with the valid names (and "did you mean" for near misses);
//! - the merged document fails the schema: parse_secret's error as is (e.g. "Missing required parameters
//!   in secret '<id>'" / "Missing: user_bucket").
//! Create-only defaults: pkg_prefix "benchling", pkg_key "experiment_id", log_level "INFO",
//! enable_webhook_verification "true", webhook_allow_list "".
core::Result<SecretDocument> build_secret_document(const SecretDocumentInput& input);

//! For display: every field; client_secret only as "***", client_id through config::mask_value.
boost::json::object masked_secret(const config::BenchlingSecret& secret);

//! The client secret as read from a file or stdin: surrounding whitespace (the newline `echo` adds) removed.
//! Empty after trimming: kInvalidArgument naming `source`. Larger than 4 KiB: kInvalidArgument (a real
//! one is 40-odd characters; this is the wrong file).
core::Result<std::string> client_secret_from_text(std::string_view text, std::string_view source);

}  // namespace bw::deploy
