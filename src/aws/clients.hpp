// aws/clients.hpp: the AWS plumbing every command and the service share.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "aws/aws_client.hpp"
#include "aws/credentials_provider.hpp"
#include "aws/env.hpp"
#include "http/client.hpp"

namespace bw::aws {

//! One HTTP client (pooled connections), the default credentials chain (environment, profile, container,
//! instance metadata), and a signing client for the home region plus one per other region asked for. The
//! service and each CLI command build one of these; thin service clients (Sqs, S3, ...) wrap client().
class Clients {
 public:
  //! `options` apply to every signing client made here (retries, the service's stop token).
  Clients(EnvFn env, std::string region, AwsClientOptions options = {});
  ~Clients();
  Clients(const Clients&) = delete;
  Clients& operator=(const Clients&) = delete;

  http::Client& http() { return http_; }
  CredentialsProvider& credentials() { return *credentials_; }
  //! The home region's client.
  AwsClient& client() { return home_; }
  //! The client for `region` (the home one, or one made on first use and kept): a secret or an image in
  //! another region. Thread-safe.
  AwsClient& client_for(const std::string& region);

 private:
  EnvFn env_;
  AwsClientOptions options_;
  http::Client http_;
  std::unique_ptr<CredentialsProvider> credentials_;
  AwsClient home_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<AwsClient>> others_;
};

}  // namespace bw::aws
