// core/crypto.hpp
#pragma once

#include <string>
#include <string_view>

namespace bw::core {

//! Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);
//! Lowercase hex SHA-256 digest.
std::string sha256_hex(std::string_view data);
//! Raw 32-byte HMAC-SHA256.
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace bw::core
