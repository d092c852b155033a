// aws/credentials.hpp
#pragma once

#include <optional>
#include <string>

#include "core/time.hpp"

namespace bw::aws {

//! One set of AWS credentials. Never logged: only `source` and the access key id's last 4 characters may be
//! shown.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                   //!< empty for long-term keys
  std::optional<core::SystemTime> expiration;  //!< set for temporary credentials
  std::string source;                          //!< "environment", "profile:<name>", "container", "imds"
};

}  // namespace bw::aws
