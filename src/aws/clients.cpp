#include "aws/clients.hpp"

#include "aws/credentials_chain.hpp"

namespace bw::aws {

Clients::Clients(EnvFn env, std::string region, AwsClientOptions options)
    : env_(std::move(env)),
      options_(std::move(options)),
      credentials_(make_default_credentials(http_, env_)),
      home_(http_, *credentials_, env_, std::move(region), options_) {}

Clients::~Clients() = default;

AwsClient& Clients::client_for(const std::string& region) {
  if (region == home_.region()) return home_;
  std::lock_guard lock(mutex_);
  auto& client = others_[region];
  if (!client) client = std::make_unique<AwsClient>(http_, *credentials_, env_, region, options_);
  return *client;
}

}  // namespace bw::aws
