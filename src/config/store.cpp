#include "config/store.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"

namespace bw::config {

Store::Store(ResolveFn resolve, StoreOptions options, OnResolved on_resolved)
    : resolve_(std::move(resolve)),
      options_(options),
      on_resolved_(std::move(on_resolved)),
      backoff_(options.retry_base, options.retry_cap) {}

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

void Store::refresh_now(std::chrono::milliseconds min_interval) {
  {
    std::lock_guard lock(mutex_);
    if (snapshot_.last_attempt && core::system_now() - *snapshot_.last_attempt < min_interval) return;
    refresh_requested_ = true;
  }
  changed_.notify_all();
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
    const auto started = std::chrono::steady_clock::now();
    auto result = resolve_();
    const auto took_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    std::chrono::milliseconds wait;
    {
      std::lock_guard lock(mutex_);
      snapshot_.last_attempt = core::system_now();
      if (result) {
        const bool news = snapshot_.config == nullptr || snapshot_.failed_attempts > 0;
        snapshot_.config = std::make_shared<const ResolvedConfig>(std::move(*result));
        snapshot_.error.reset();
        snapshot_.failed_attempts = 0;
        snapshot_.last_success = snapshot_.last_attempt;
        wait = options_.refresh_ttl;
        if (news) {
          core::log::info("configuration resolved", {{"stack", snapshot_.config->stack.name},
                                                     {"region", snapshot_.config->stack.region},
                                                     {"secret_version", snapshot_.config->secret_version_id},
                                                     {"resolve_ms", took_ms}});
        } else {
          core::log::debug("configuration refreshed");
        }
      } else {
        snapshot_.error = result.error();
        wait = snapshot_.config ? options_.refresh_ttl : backoff_.delay(snapshot_.failed_attempts);
        ++snapshot_.failed_attempts;
        const auto& e = result.error();
        boost::json::object fields{{"error", core::to_string(e.code)},
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
