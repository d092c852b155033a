// core/encoding.hpp
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bw::core {

//! Lowercase hex of the bytes.
std::string hex_encode(std::string_view bytes);

//! The value (0-15) of hex digit `c`, either case; -1 when `c` is not one.
int hex_digit_value(char c);
//! Standard base64 with padding.
std::string base64_encode(std::string_view bytes);
//! Standard base64 (padding optional, no whitespace); nullopt when the input is not base64.
std::optional<std::string> base64_decode(std::string_view text);
//! URL-safe base64 of RFC 4648 §5 without padding, as JWKs (RFC 7517) use it.
std::string base64url_encode(std::string_view bytes);
//! URL-safe base64; trailing "=" padding tolerated, not required. nullopt on any character outside the
//! alphabet (including "+", "/" and whitespace) or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);
//! RFC 3986 percent-encoding: unreserved characters stay, everything else becomes %XX (uppercase).
//! With keep_slash, '/' stays too (paths).
std::string uri_encode(std::string_view text, bool keep_slash = false);
//! JavaScript's encodeURIComponent (on UTF-8 bytes): like uri_encode, but also keeps ! ' ( ) *. Quilt's
//! catalog writes the path and catalog of a quilt+ URI this way, so ours read back the same there.
std::string encode_uri_component(std::string_view text);
//! Decodes %XX escapes; nullopt on a malformed escape. '+' is left as is.
std::optional<std::string> uri_decode(std::string_view text);
//! application/x-www-form-urlencoded value encoding as AWS query APIs expect (same as uri_encode).
inline std::string form_encode(std::string_view text) {
  return uri_encode(text);
}

}  // namespace bw::core
