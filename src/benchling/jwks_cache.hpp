// benchling/jwks_cache.hpp: the app definition's JWKS, fetched off the request path and refetched
// on a miss at most once a minute.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "benchling/jwks.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::benchling {

struct JwksCacheOptions {
  //! refetch_if_allowed() fetches only when the last fetch attempt is at least this old.
  std::chrono::milliseconds min_refetch_interval{60000};
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds timeout{5000};  //!< whole exchange
};

inline constexpr std::chrono::seconds kDefaultJwksTtl{3600};

//! Holds the keys of one JWKS URL (the one in the current secret). Thread-safe. At most one fetch
//! runs at a time: a caller arriving while one is in flight for the same URL waits for it and shares
//! its outcome. A failed fetch keeps the keys already held. Keys are never logged.
class JwksCache {
 public:
  explicit JwksCache(http::Client& client, core::NowFn now = core::system_now, JwksCacheOptions options = {});
  ~JwksCache();
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  //! Fetches `url` now (or joins the fetch in flight). Errors: the http::Client's (kTransport) or
  //! kRemote for a non-200 answer or an unusable JWKS; all healable and all naming the URL.
  //! A new URL (app_definition_id changed in the secret) drops the old URL's keys first.
  core::Result<void> refresh(const std::string& url);
  //! refresh() when `url` is not the loaded one, nothing is loaded, or the keys are older than `ttl`.
  core::Result<void> refresh_if_stale(const std::string& url, std::chrono::seconds ttl = kDefaultJwksTtl);
  //! What a refetch for a verification miss established.
  enum class Refetch {
    kFetched,      //!< a fetch (its own or one it waited for) succeeded within the wait
    kFresh,        //!< rate-limited, and the latest fetch succeeded: the keys held are current
    kUnavailable,  //!< the fetch failed, or is still running when the wait ends: the keys may be stale
  };
  //! For a verification that found no matching key: fetches `url` unless the last such fetch is more
  //! recent than min_refetch_interval (a flood of bad signatures costs one fetch a minute). The fetch runs
  //! on a background thread and the caller waits at most `wait` for it, so a hung JWKS endpoint never
  //! holds a delivery past Benchling's 3 s; a fetch still running goes on and serves later deliveries.
  Refetch refetch_if_allowed(const std::string& url, std::chrono::milliseconds wait);

  //! The keys for `url`: an empty set when another URL (or nothing) is loaded. Never null.
  PublicKeysPtr keys(const std::string& url) const;
  //! The keys of whatever URL is loaded. Never null.
  PublicKeysPtr keys() const;
  bool loaded() const;
  //! Time since the keys were fetched; nullopt when none are loaded.
  std::optional<std::chrono::milliseconds> age() const;
  //! The latest fetch failure (cleared by a success), for /health and logs.
  std::optional<core::Error> last_error() const;
  //! Fetches actually sent, successful or not.
  std::uint64_t fetch_count() const;

 private:
  //! Fetches on the calling thread, or waits for the fetch in flight and shares its outcome.
  core::Result<void> fetch_single_flight(const std::string& url);
  core::Result<PublicKeys> fetch(const std::string& url);
  void switch_url_locked(const std::string& url);
  //! Marks a fetch in flight and counts it; a `miss` fetch also starts the rate-limit interval.
  void begin_fetch_locked(bool miss);
  //! Records a finished fetch and wakes its waiters.
  void finish_fetch_locked(const std::string& url, core::Result<PublicKeys> fetched);

  http::Client& client_;
  core::NowFn now_;
  JwksCacheOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  std::string url_;
  PublicKeysPtr keys_;
  std::optional<core::SystemTime> loaded_at_;
  std::optional<core::SystemTime> last_attempt_;
  std::optional<core::SystemTime> last_miss_fetch_;  //!< the latest refetch_if_allowed() fetch
  std::optional<core::Error> last_error_;
  bool in_flight_ = false;
  std::uint64_t generation_ = 0;  //!< bumped when a fetch finishes
  std::string last_result_url_;   //!< the URL the latest finished fetch was for
  std::optional<core::Error> last_result_error_;
  std::uint64_t fetch_count_ = 0;
  std::thread background_;  //!< the latest refetch_if_allowed() fetch; joined before the next and on exit
};

}  // namespace bw::benchling
