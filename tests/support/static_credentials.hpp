// support/static_credentials.hpp: fixed AWS test credentials for clients pointed at a loopback server.
#pragma once

#include <string>

#include "aws/credentials_provider.hpp"

namespace bw::testing {

//! Always AKIDTEST / SECRETTEST, no session token: requests signed with it can be checked byte for byte.
class StaticCredentials : public aws::CredentialsProvider {
 public:
  core::Result<aws::Credentials> get() override {
    aws::Credentials c;
    c.access_key_id = "AKIDTEST";
    c.secret_access_key = "SECRETTEST";
    return c;
  }
  std::string name() const override { return "static"; }
};

}  // namespace bw::testing
