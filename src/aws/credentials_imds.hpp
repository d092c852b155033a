// aws/credentials_imds.hpp: EC2 instance profile credentials from the instance metadata service.
#pragma once

#include <chrono>
#include <string>

#include "aws/credentials_provider.hpp"
#include "aws/env.hpp"
#include "http/client.hpp"

namespace bw::aws {

//! IMDSv2: PUT /latest/api/token, then GET /latest/meta-data/iam/security-credentials/ (role name) and
//! GET .../<role>, each with the token header. A token PUT answered 403/404/405 falls back to IMDSv1
//! (no token), as botocore does. Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, default
//! http://169.254.169.254. AWS_EC2_METADATA_DISABLED=true skips it. Timeouts are short (1 s) so that a
//! machine without IMDS fails fast instead of hanging.
class ImdsCredentialsProvider : public CredentialsProvider {
 public:
  ImdsCredentialsProvider(http::Client& client, EnvFn env,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(1000))
      : client_(client), env_(std::move(env)), timeout_(timeout) {}
  core::Result<Credentials> get() override;
  std::string name() const override { return "imds"; }

 private:
  http::Client& client_;
  EnvFn env_;
  std::chrono::milliseconds timeout_;
};

}  // namespace bw::aws
