// aws/detail/credentials_json.hpp: the JSON document ECS, EKS and IMDS serve credentials in.
#pragma once

#include <string_view>

#include "aws/credentials.hpp"
#include "core/error.hpp"

namespace bw::aws::detail {

//! {"AccessKeyId", "SecretAccessKey", "Token", "Expiration": ISO 8601, optional "Code": "Success"}.
//! Errors are kCredentials, name `source` and never quote the document.
core::Result<Credentials> parse_credentials_json(std::string_view body, std::string_view source);

}  // namespace bw::aws::detail
