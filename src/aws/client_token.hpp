// aws/client_token.hpp: idempotency tokens for AWS requests (ClientRequestToken, ClientToken), fresh per
// request, said once for the clients that send them.
#pragma once

#include <string>

namespace bw::aws {

//! 32 random bytes as 64 lowercase hex digits: fits Athena's and CloudFormation's tokens
//! ([a-zA-Z0-9][-a-zA-Z0-9]*, 1..128).
std::string client_token();

//! 16 random bytes as a UUID version 4, as the SDKs send to Secrets Manager (32-64 characters; it becomes the
//! version id).
std::string client_token_uuid();

}  // namespace bw::aws
