// config/settings_hash.cpp
#include "config/settings_hash.hpp"

#include "core/crypto.hpp"

namespace bw::config {

std::string settings_hash(std::string_view stack_arn, std::string_view secret) {
  std::string joined;
  joined.reserve(stack_arn.size() + 1 + secret.size());
  joined.append(stack_arn).append("|").append(secret);
  return core::sha256_hex(joined).substr(0, 16);
}

}  // namespace bw::config
