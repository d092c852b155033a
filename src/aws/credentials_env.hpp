// aws/credentials_env.hpp: credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
#pragma once

#include "aws/credentials_provider.hpp"
#include "aws/env.hpp"

namespace bw::aws {

class EnvCredentialsProvider : public CredentialsProvider {
 public:
  explicit EnvCredentialsProvider(EnvFn env) : env_(std::move(env)) {}
  //! Both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set (non-empty); AWS_SESSION_TOKEN optional.
  core::Result<Credentials> get() override;
  std::string name() const override { return "environment"; }

 private:
  EnvFn env_;
};

}  // namespace bw::aws
