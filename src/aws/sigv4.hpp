// aws/sigv4.hpp: AWS Signature Version 4, pure (no I/O, no clock).
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::aws {

//! What a signature is scoped to.
struct SigningScope {
  std::string region;   //!< "us-east-1"
  std::string service;  //!< signing name: "cloudformation", "secretsmanager", "s3", "sqs", ...
  core::SystemTime time;
};

//! The parts of a request that SigV4 covers, exactly as they go on the wire.
struct CanonicalInput {
  std::string method;
  std::string path;          //!< raw request path, as in the request line (may hold %XX escapes)
  std::string query;         //!< raw query string without '?', may be empty
  http::Headers headers;     //!< must include host; every header listed here is signed
  std::string payload_hash;  //!< lowercase hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
  //! S3 rules: no path normalization and no double encoding of the path.
  bool s3 = false;
};

//! Canonical URI. Non-S3: dot segments removed, empty segments collapsed, then every byte that is not
//! unreserved or '/' percent-encoded (so an escape already on the wire is encoded a second time, "%20" ->
//! "%2520", as AWS expects). S3: the path as on the wire; valid %XX escapes kept, other reserved bytes
//! encoded.
std::string canonical_uri(std::string_view path, bool s3);
//! Canonical query string: pairs split on '&' (empty pieces dropped) and the first '=', each key and value
//! decoded then RFC 3986-encoded with uppercase hex, sorted by key then value, joined with '&'.
std::string canonical_query_string(std::string_view query);
//! "host;x-amz-date;...": lowercase names, sorted, duplicates once.
std::string signed_headers(const http::Headers& headers);

std::string canonical_request(const CanonicalInput& in);
std::string string_to_sign(const SigningScope& scope, std::string_view canonical_request);
//! Lowercase hex signature over string_to_sign with the key derived from secret/date/region/service.
std::string signature(std::string_view secret_access_key, const SigningScope& scope,
                      std::string_view string_to_sign);
//! "AWS4-HMAC-SHA256 Credential=.../scope, SignedHeaders=..., Signature=..."
std::string authorization_header(const Credentials& creds, const SigningScope& scope,
                                 const CanonicalInput& in);

//! Signs an outgoing request in place: adds host (if absent; from the URL, with the port when it is not
//! the scheme's default), x-amz-date, x-amz-security-token (with a session token), x-amz-content-sha256
//! (S3 only), then Authorization. Headers it sets are replaced if already present, so a retry may sign
//! the same request again. Every header is signed except those a client or proxy may rewrite (user-agent,
//! expect, connection, content-length, transfer-encoding, x-amzn-trace-id). Path and query come from
//! request.url as they stand (escapes preserved). For S3, unsigned_payload=true signs "UNSIGNED-PAYLOAD"
//! instead of hashing the body.
void sign_request(http::Request& request, const Credentials& creds, const SigningScope& scope,
                  bool unsigned_payload = false);

}  // namespace bw::aws
