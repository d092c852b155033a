// aws/credentials_container.hpp: ECS task role / EKS pod identity credentials over HTTP.
#pragma once

#include <string>

#include "aws/credentials_provider.hpp"
#include "aws/env.hpp"
#include "http/client.hpp"

namespace bw::aws {

//! AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (fetched from http://169.254.170.2<uri>), else
//! AWS_CONTAINER_CREDENTIALS_FULL_URI: https to any host, http only to loopback or the ECS/EKS
//! link-local hosts (169.254.170.2, 169.254.170.23, fd00:ec2::23), as the SDKs allow. The Authorization
//! header comes from the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every fetch, since
//! EKS rotates it) or else AWS_CONTAINER_AUTHORIZATION_TOKEN.
class ContainerCredentialsProvider : public CredentialsProvider {
 public:
  //! `ecs_base` replaces http://169.254.170.2 for the relative URI (tests point it at loopback).
  ContainerCredentialsProvider(http::Client& client, EnvFn env, std::string ecs_base = "http://169.254.170.2")
      : client_(client), env_(std::move(env)), ecs_base_(std::move(ecs_base)) {}
  core::Result<Credentials> get() override;
  std::string name() const override { return "container"; }

 private:
  http::Client& client_;
  EnvFn env_;
  std::string ecs_base_;
};

//! Whether a FULL_URI may be used: https anywhere, http only to loopback or ECS/EKS link-local hosts.
bool is_allowed_full_uri(std::string_view uri);

}  // namespace bw::aws
