// aws/credentials_provider.hpp: the seam between code that signs and the places credentials come from.
#pragma once

#include <string>

#include "aws/credentials.hpp"
#include "core/error.hpp"

namespace bw::aws {

//! One source of credentials (environment, profile files, container endpoint, IMDS) or a chain of them.
//! Errors are kCredentials (or kTransport for an endpoint that cannot be reached) and never contain a
//! secret access key or session token.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual core::Result<Credentials> get() = 0;
  //! Short name for error listings: "environment", "shared config files", "container", "imds".
  virtual std::string name() const = 0;
};

//! The access key id reduced to its last four characters ("...WXYZ"), the most of it ever shown.
std::string masked_key_id(const std::string& access_key_id);

}  // namespace bw::aws
