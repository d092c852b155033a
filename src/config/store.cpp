#include "config/store.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/log.hpp"

namespace bw::config {

Store::Store(ResolveFn resolve, StoreOptions options, OnResolved on_resolved, RefreshSecretFn refresh_secret)
    : resolve_(std::move(resolve)),
      options_(std::move(options)),
      on_resolved_(std::move(on_resolved)),
      refresh_secret_(std::move(refresh_secret)),
      backoff_(options_.retry_base, options_.retry_cap) {
  if (!options_.now) options_.now = core::system_now;
}

Store::~Store() {
  stop();
}

void Store::start() {
  thread_ = std::thread([this] { run(); });
}

void Store::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Store::refresh_now(std::chrono::milliseconds min_interval) {
  {
    std::lock_guard lock(mutex_);
    if (snapshot_.last_attempt && options_.now() - *snapshot_.last_attempt < min_interval) return false;
    refresh_requested_ = true;
  }
  changed_.notify_all();
  return true;
}

Snapshot Store::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

Snapshot Store::wait_first_attempt(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return snapshot_.last_attempt.has_value() || stopping_; });
  return snapshot_;
}

void Store::run() {
  for (;;) {
    std::shared_ptr<const ResolvedConfig> last;
    bool full = true;
    {
      std::lock_guard lock(mutex_);
      last = snapshot_.config;
      full = !refresh_secret_ || !last || !snapshot_.last_stack_success ||
             options_.now() - *snapshot_.last_stack_success >= options_.stack_refresh_ttl;
    }
    const auto started = std::chrono::steady_clock::now();
    auto result = full ? resolve_() : refresh_secret_(*last);
    const auto took_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    std::chrono::milliseconds wait;
    {
      std::lock_guard lock(mutex_);
      snapshot_.last_attempt = options_.now();
      if (result) {
        const bool news = snapshot_.config == nullptr || snapshot_.failed_attempts > 0;
        snapshot_.config = std::make_shared<const ResolvedConfig>(std::move(*result));
        snapshot_.error.reset();
        snapshot_.failed_attempts = 0;
        snapshot_.last_success = snapshot_.last_attempt;
        if (full) snapshot_.last_stack_success = snapshot_.last_attempt;
        wait = options_.refresh_ttl;
        if (options_.refresh_jitter > 0) {
          const auto spread = static_cast<std::int64_t>(static_cast<double>(wait.count()) *
                                                        std::min(options_.refresh_jitter, 1.0));
          if (spread > 0) {
            wait -= std::chrono::milliseconds(
                std::uniform_int_distribution<std::int64_t>(0, spread)(jitter_rng_));
          }
        }
        if (news) {
          core::log::info("configuration resolved", {{"stack", snapshot_.config->stack.name},
                                                     {"region", snapshot_.config->stack.region},
                                                     {"secret_version", snapshot_.config->secret_version_id},
                                                     {"resolve_ms", took_ms}});
        } else {
          core::log::debug("configuration refreshed", {{"stack_outputs", full}});
        }
      } else {
        snapshot_.error = result.error();
        wait = snapshot_.config ? options_.refresh_ttl : backoff_.delay(snapshot_.failed_attempts);
        ++snapshot_.failed_attempts;
        const auto& e = result.error();
        boost::json::object fields{{"error", core::to_string(e.code)},
                                   {"stack_outputs", full},
                                   {"suggestion", e.suggestion},
                                   {"attempt", snapshot_.failed_attempts},
                                   {"retry_in_ms", wait.count()}};
        for (const auto& [k, v] : e.details) fields["detail." + k] = v;
        core::log::warn(snapshot_.config ? "configuration refresh failed; keeping the last good value"
                                         : "configuration not resolved yet: " + e.message,
                        std::move(fields));
      }
      snapshot_.next_retry_in = wait;
    }
    changed_.notify_all();
    if (result && on_resolved_) on_resolved_(*snapshot().config);
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, wait, [this] { return stopping_ || refresh_requested_; });
    if (stopping_) return;
    refresh_requested_ = false;
  }
}

}  // namespace bw::config
