// config/store.hpp: the live configuration, resolved in the background and kept fresh.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
};

//! What the rest of the program sees: the last good configuration and/or the latest error.
struct Snapshot {
  std::shared_ptr<const ResolvedConfig> config;  //!< null until the first success
  std::optional<core::Error> error;              //!< the latest failure, cleared by a success
  unsigned failed_attempts = 0;                  //!< consecutive failures
  std::optional<core::SystemTime> last_success;
  std::optional<core::SystemTime> last_attempt;
  std::optional<std::chrono::milliseconds> next_retry_in;

  bool ready() const { return config != nullptr; }
};

//! Runs `resolve` on a background thread until it succeeds (capped backoff), then again every
//! refresh_ttl. Readers take a consistent Snapshot under a short lock.
class Store {
 public:
  using ResolveFn = std::function<core::Result<ResolvedConfig>()>;
  //! Called (on the store's thread) after each successful resolution.
  using OnResolved = std::function<void(const ResolvedConfig&)>;

  Store(ResolveFn resolve, StoreOptions options, OnResolved on_resolved = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  void start();
  void stop();
  Snapshot snapshot() const;
  //! Asks for a re-resolution now (Benchling rejected our credentials: the secret may have rotated).
  //! At most one every `min_interval`; calls in between are ignored.
  void refresh_now(std::chrono::milliseconds min_interval = std::chrono::seconds(10));
  //! Blocks until the first attempt finished (success or failure) or `timeout` passed.
  Snapshot wait_first_attempt(std::chrono::milliseconds timeout) const;

 private:
  void run();

  ResolveFn resolve_;
  StoreOptions options_;
  OnResolved on_resolved_;
  core::Backoff backoff_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  Snapshot snapshot_;
  bool stopping_ = false;
  bool refresh_requested_ = false;
  std::thread thread_;
};

}  // namespace bw::config
