// core/retry.hpp: the one retry loop (policy, attempts, backoff sleeps that a stop ends).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/backoff.hpp"
#include "core/error.hpp"
#include "core/stop.hpp"

namespace bw::core {

struct RetryPolicy {
  unsigned max_attempts = 4;  //!< first try included; 0 counts as 1
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{5000};
  //! A delay the server asked for (Retry-After) longer than this is shortened to it.
  std::chrono::milliseconds max_requested_delay{60000};
  std::uint64_t jitter_seed = std::random_device{}();
};

//! Where retries sleep: false when `stop` ended the sleep. Tests pass one that records the delays.
using RetrySleepFn = std::function<bool(std::chrono::milliseconds, const StopToken&)>;

//! An attempt's request for another one.
struct TryAgain {
  std::string reason;  //!< why, for the log ("HTTP 503", the transport error)
  //! The delay the server asked for (Retry-After); else the policy's jittered backoff.
  std::optional<std::chrono::milliseconds> delay = std::nullopt;
  //! At once and without using up an attempt (the one retry after a token refresh).
  bool free = false;
};

//! What an attempt returns: its final result, or a request to try again.
template <class T>
using Attempt = std::variant<Result<T>, TryAgain>;

//! Runs attempts until one gives a result: the attempt is told whether it is the last (then it must not ask
//! again), and between attempts the loop sleeps full-jitter capped exponential backoff (Backoff). A stop,
//! before or during a sleep, ends the loop at once with kCancelled. Thread-safe: one Retry serves every
//! call of a client.
class Retry {
 public:
  explicit Retry(RetryPolicy policy, StopToken stop = {}, RetrySleepFn sleep = {});

  const RetryPolicy& policy() const { return policy_; }

  //! `attempt(n, last)` with n counting from 0. `what` ("AWS call") and `context` (service, action; never
  //! a secret) go into the retry log lines and a cancellation's error.
  template <class T, class F>
  Result<T> run(std::string_view what, const std::vector<std::pair<std::string, std::string>>& context,
                F&& attempt) {
    for (unsigned n = 0;;) {
      Attempt<T> step = attempt(n, n + 1 >= policy_.max_attempts);
      if (auto* done = std::get_if<Result<T>>(&step)) return std::move(*done);
      auto& again = std::get<TryAgain>(step);
      if (again.free && !stop_.stop_requested()) continue;
      if (!pause(n, again, what, context)) return cancelled(what, again.reason, context);
      ++n;
    }
  }

  //! The delay before retry `n` (0-based) for `again`: the server's, capped, else the jittered backoff.
  std::chrono::milliseconds delay(unsigned n, const TryAgain& again);

 private:
  //! Logs and sleeps before retry `n`; false when stopped.
  bool pause(unsigned n, const TryAgain& again, std::string_view what,
             const std::vector<std::pair<std::string, std::string>>& context);
  static Error cancelled(std::string_view what, const std::string& reason,
                         const std::vector<std::pair<std::string, std::string>>& context);

  RetryPolicy policy_;
  StopToken stop_;
  RetrySleepFn sleep_;
  std::mutex backoff_mutex_;
  Backoff backoff_;
};

}  // namespace bw::core
