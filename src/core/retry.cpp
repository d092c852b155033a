#include "core/retry.hpp"

#include <algorithm>

#include "core/log.hpp"

namespace bw::core {

Retry::Retry(RetryPolicy policy, StopToken stop, RetrySleepFn sleep)
    : policy_(policy),
      stop_(std::move(stop)),
      sleep_(sleep ? std::move(sleep) : RetrySleepFn(core::sleep_for)),
      backoff_(policy_.base, policy_.cap, policy_.jitter_seed) {
  if (policy_.max_attempts == 0) policy_.max_attempts = 1;
}

std::chrono::milliseconds Retry::delay(unsigned n, const TryAgain& again) {
  if (again.delay) return std::min(*again.delay, policy_.max_requested_delay);
  std::lock_guard lock(backoff_mutex_);
  return backoff_.delay(n);
}

bool Retry::pause(unsigned n, const TryAgain& again, std::string_view what,
                  const std::vector<std::pair<std::string, std::string>>& context) {
  if (stop_.stop_requested()) return false;
  const auto d = delay(n, again);
  boost::json::object fields;
  for (const auto& [key, value] : context) fields[key] = value;
  fields["attempt"] = n + 1;
  fields["reason"] = again.reason;
  fields["delay_ms"] = d.count();
  std::string message = "retrying ";
  message.append(what);
  log::debug(message, std::move(fields));
  return sleep_(d, stop_) && !stop_.stop_requested();
}

Error Retry::cancelled(std::string_view what, const std::string& reason,
                       const std::vector<std::pair<std::string, std::string>>& context) {
  std::string message = "stopped while waiting to retry ";
  message.append(what);
  Error e = make_error(ErrorCode::kCancelled, std::move(message),
                       "the service is shutting down; the work is picked up again after the restart");
  for (const auto& [key, value] : context) e.with(key, value);
  return e.with("last_failure", reason);
}

}  // namespace bw::core
