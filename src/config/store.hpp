// config/store.hpp: the live configuration, resolved in the background and kept fresh.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "config/resolved_config.hpp"
#include "core/backoff.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::config {

struct StoreOptions {
  //! Retry delays while no configuration could be resolved (capped, jittered).
  std::chrono::milliseconds retry_base{500};
  std::chrono::milliseconds retry_cap{30000};
  //! Re-resolution period once resolved (secret rotation); a failed refresh keeps the last good value.
  std::chrono::milliseconds refresh_ttl{300000};
  //! With a RefreshSecretFn, a refresh re-reads only the secret until this long after the last successful
  //! full resolution (stack outputs too): the outputs change only when the Quilt stack is updated, the
  //! secret whenever someone rotates it. serve() uses 6 × refresh_ttl.
  std::chrono::milliseconds stack_refresh_ttl{1800000};
  //! Each refresh comes after refresh_ttl less a random part of up to this fraction of it, so a fleet of
  //! tasks started together does not call Secrets Manager in lockstep; never later than refresh_ttl.
  double refresh_jitter = 0.0;
  //! The clock of the timestamps in Snapshot and of the decisions above (waits use the steady clock).
  core::NowFn now = core::system_now;
};

//! What the rest of the program sees: the last good configuration and/or the latest error.
struct Snapshot {
  std::shared_ptr<const ResolvedConfig> config;        //!< null until the first success
  std::optional<core::Error> error;                    //!< the latest failure, cleared by a success
  unsigned failed_attempts = 0;                        //!< consecutive failures
  std::optional<core::SystemTime> last_success;        //!< the latest successful resolution of any kind
  std::optional<core::SystemTime> last_stack_success;  //!< the latest successful full one (outputs read)
  std::optional<core::SystemTime> last_attempt;
  std::optional<std::chrono::milliseconds> next_retry_in;

  bool ready() const { return config != nullptr; }
};

//! Runs `resolve` on a background thread until it succeeds (capped backoff), then refreshes every
//! refresh_ttl: with `refresh_secret`, by re-reading the secret only, and by a full `resolve` once
//! stack_refresh_ttl has passed since the last full success; without it, always by a full `resolve`.
//! Readers take a consistent Snapshot under a short lock.
class Store {
 public:
  //! A full resolution: stack outputs and secret.
  using ResolveFn = std::function<core::Result<ResolvedConfig>()>;
  //! A refresh of the secret alone: `last` (the configuration in use) with a freshly read secret.
  using RefreshSecretFn = std::function<core::Result<ResolvedConfig>(const ResolvedConfig& last)>;
  //! Called (on the store's thread) after each successful resolution.
  using OnResolved = std::function<void(const ResolvedConfig&)>;

  Store(ResolveFn resolve, StoreOptions options, OnResolved on_resolved = {},
        RefreshSecretFn refresh_secret = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  //! Replaces what is called after each successful resolution. Only before start(): it lets a component
  //! built after the store (the workers, which need a runner that reads the store) hear of resolutions.
  void set_on_resolved(OnResolved on_resolved) { on_resolved_ = std::move(on_resolved); }
  void start();
  void stop();
  Snapshot snapshot() const;
  //! Asks for a refresh now (Benchling rejected our credentials: the secret may have rotated). Ignored
  //! when the latest attempt, scheduled or asked for, is more recent than `min_interval`, so a burst of
  //! 401s costs one read of the secret. True when it asked; false when ignored (nothing will run for it).
  bool refresh_now(std::chrono::milliseconds min_interval = std::chrono::seconds(10));
  //! Blocks until the first attempt finished (success or failure) or `timeout` passed.
  Snapshot wait_first_attempt(std::chrono::milliseconds timeout) const;

 private:
  void run();

  ResolveFn resolve_;
  StoreOptions options_;
  OnResolved on_resolved_;
  RefreshSecretFn refresh_secret_;
  core::Backoff backoff_;
  std::minstd_rand jitter_rng_{std::random_device{}()};  //!< used on the store thread only
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  Snapshot snapshot_;
  bool stopping_ = false;
  bool refresh_requested_ = false;
  std::thread thread_;
};

}  // namespace bw::config
