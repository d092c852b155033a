#include "aws/credentials_chain.hpp"

#include "aws/credentials_container.hpp"
#include "aws/credentials_env.hpp"
#include "aws/credentials_imds.hpp"
#include "aws/credentials_profile.hpp"

namespace bw::aws {

std::string masked_key_id(const std::string& access_key_id) {
  if (access_key_id.size() <= 4) return "****";
  return "..." + access_key_id.substr(access_key_id.size() - 4);
}

CredentialsChain::CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> sources)
    : sources_(std::move(sources)) {}

core::Result<Credentials> CredentialsChain::get() {
  std::lock_guard lock(mutex_);
  if (active_) {
    auto creds = sources_[*active_]->get();
    if (creds) return creds;
    active_.reset();
  }
  core::Error none = core::make_error(
      core::ErrorCode::kCredentials, "No AWS credentials found",
      "Provide AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for "
      "temporary keys), or set AWS_PROFILE to a profile in ~/.aws/credentials, or run on ECS/EC2 with a task "
      "role or instance profile");
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    auto creds = sources_[i]->get();
    if (creds) {
      active_ = i;
      return creds;
    }
    none.with(sources_[i]->name(), creds.error().message);
  }
  return none;
}

CachedCredentialsProvider::CachedCredentialsProvider(std::unique_ptr<CredentialsProvider> inner,
                                                     core::NowFn now, std::chrono::seconds refresh_window,
                                                     std::chrono::seconds retry_after)
    : inner_(std::move(inner)),
      now_(std::move(now)),
      refresh_window_(refresh_window),
      retry_after_(retry_after) {}

core::Result<Credentials> CachedCredentialsProvider::get() {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  if (cached_) {
    if (!cached_->expiration || *cached_->expiration - now > refresh_window_) return *cached_;
    const bool still_valid = now < *cached_->expiration;
    if (still_valid && now < next_refresh_attempt_) return *cached_;
  }
  auto fresh = inner_->get();
  if (fresh) {
    cached_ = *fresh;
    // Credentials that arrive already inside the refresh window (a source handing out short-lived keys)
    // are not fetched again on every call: at most once per retry_after while they stay valid.
    if (cached_->expiration && *cached_->expiration - now <= refresh_window_)
      next_refresh_attempt_ = now + retry_after_;
    return fresh;
  }
  if (cached_ && now < *cached_->expiration) {
    next_refresh_attempt_ = now + retry_after_;
    return *cached_;
  }
  cached_.reset();
  return fresh;
}

std::unique_ptr<CredentialsProvider> make_default_credentials(http::Client& client, EnvFn env,
                                                              core::NowFn now) {
  std::vector<std::unique_ptr<CredentialsProvider>> sources;
  sources.push_back(std::make_unique<EnvCredentialsProvider>(env));
  sources.push_back(std::make_unique<ProfileCredentialsProvider>(env));
  sources.push_back(std::make_unique<ContainerCredentialsProvider>(client, env));
  sources.push_back(std::make_unique<ImdsCredentialsProvider>(client, env));
  return std::make_unique<CachedCredentialsProvider>(std::make_unique<CredentialsChain>(std::move(sources)),
                                                     std::move(now));
}

}  // namespace bw::aws
