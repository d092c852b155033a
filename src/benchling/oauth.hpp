// benchling/oauth.hpp: the app's OAuth2 client-credentials access token, cached and refreshed early.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::benchling {

//! The app's OAuth client (client_id, client_secret from the Benchling secret).
struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
};

//! Asked on every token fetch, so a rotated secret takes effect on the next fetch.
using CredentialsFn = std::function<ClientCredentials()>;

//! Upper bound on a token endpoint reply.
inline constexpr std::size_t kMaxTokenResponseBytes = 64 * 1024;
//! Lifetime assumed when the reply has no expires_in (Benchling's documented value).
inline constexpr std::chrono::seconds kDefaultTokenLifetime{900};
//! Longer lifetimes are clamped to this, so a bogus reply cannot pin a token for years.
inline constexpr std::chrono::seconds kMaxTokenLifetime{24 * 3600};

//! How long before expiry a token is replaced: max(1 s, min(60 s, expires_in / 10)), as the
//! Benchling SDK does (runtime-spec §5.1).
std::chrono::milliseconds token_refresh_margin(std::chrono::milliseconds expires_in);

struct TokenSourceOptions {
  core::NowFn now = core::system_now;
  std::chrono::milliseconds timeout{15000};  //!< whole token exchange
  std::chrono::milliseconds connect_timeout{5000};
};

//! Fetches and caches the access token from POST {api_url}/api/v2/token (client credentials grant).
//! Thread-safe and single-flight: however many threads ask while a fetch runs, one request is sent
//! and all of them share its outcome. Failures are not cached: the next call fetches again.
//! Neither the secret nor the token ever appears in an error.
class TokenSource {
 public:
  //! `api_url` is the tenant's base URL, e.g. "https://acme.benchling.com" (a trailing '/' is ignored).
  TokenSource(http::Client& http, std::string api_url, CredentialsFn credentials,
              TokenSourceOptions options = {});
  TokenSource(const TokenSource&) = delete;
  TokenSource& operator=(const TokenSource&) = delete;

  //! A usable access token: the cached one until now >= issued + expires_in - margin, else a new one.
  //! Errors:
  //! - kCredentials: Benchling rejected client_id/client_secret (HTTP 401 or OAuth invalid_client),
  //!   or the secret has none; heals when the secret is fixed (healable);
  //! - kTransport / kThrottled / kRemote (5xx): healable, retry later;
  //! - kRejected (never heals by retrying): another status, or a reply without a Bearer access_token.
  core::Result<std::string> token();

  //! Drops the cached token so the next token() fetches. With `rejected` given, drops it only if it
  //! is still the cached one: when many requests see the same 401, one new token serves them all.
  void invalidate(std::string_view rejected = {});

  //! Token requests actually sent (successful or not).
  std::uint64_t fetch_count() const;

 private:
  struct Fetched {
    std::string token;
    core::SystemTime refresh_at;
  };
  core::Result<Fetched> fetch();

  http::Client& http_;
  std::string token_url_;
  CredentialsFn credentials_;
  TokenSourceOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  std::optional<Fetched> cached_;
  bool in_flight_ = false;
  std::uint64_t generation_ = 0;  //!< bumped when a fetch finishes
  std::optional<core::Error> last_result_error_;
  std::uint64_t fetch_count_ = 0;
};

}  // namespace bw::benchling
