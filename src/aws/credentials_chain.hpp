// aws/credentials_chain.hpp: the SDK default chain and the cache that refreshes temporary credentials.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "aws/credentials_provider.hpp"
#include "aws/env.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::aws {

//! Tries its sources in order and remembers the first that worked; later calls go straight to it (and walk
//! the whole chain again only if it stops working). When none works: kCredentials listing each source
//! and why it failed, with how to provide credentials. Thread-safe.
class CredentialsChain : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> sources);
  core::Result<Credentials> get() override;
  std::string name() const override { return "default chain"; }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<CredentialsProvider>> sources_;
  std::optional<std::size_t> active_;
};

//! Caches what `inner` returns. Credentials without an expiration are kept for good; temporary ones are
//! fetched again once less than `refresh_window` remains. One caller fetches while the others wait on
//! the mutex (single flight). If a refresh fails while the cached credentials are still valid, they keep
//! being served and the refresh is retried at most every `retry_after` (likewise for credentials that
//! arrive with less than `refresh_window` left).
class CachedCredentialsProvider : public CredentialsProvider {
 public:
  explicit CachedCredentialsProvider(std::unique_ptr<CredentialsProvider> inner,
                                     core::NowFn now = core::system_now,
                                     std::chrono::seconds refresh_window = std::chrono::minutes(5),
                                     std::chrono::seconds retry_after = std::chrono::seconds(10));
  core::Result<Credentials> get() override;
  std::string name() const override { return inner_->name(); }

 private:
  std::mutex mutex_;
  std::unique_ptr<CredentialsProvider> inner_;
  core::NowFn now_;
  std::chrono::seconds refresh_window_;
  std::chrono::seconds retry_after_;
  std::optional<Credentials> cached_;
  core::SystemTime next_refresh_attempt_{};
};

//! Environment, shared config files, container endpoint, EC2 IMDS, in that order, behind a cache.
std::unique_ptr<CredentialsProvider> make_default_credentials(http::Client& client, EnvFn env,
                                                              core::NowFn now = core::system_now);

}  // namespace bw::aws
