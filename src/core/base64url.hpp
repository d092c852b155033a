// core/base64url.hpp: the URL-safe base64 alphabet of RFC 4648 §5, as JWKs (RFC 7517) use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bw::core {

//! URL-safe base64 without padding ("-" and "_" instead of "+" and "/").
std::string base64url_encode(std::string_view bytes);
//! URL-safe base64; trailing "=" padding is tolerated but not required. nullopt on any character
//! outside the alphabet (including "+", "/" and whitespace) or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace bw::core
