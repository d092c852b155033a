// support/manual_steady_clock.hpp: a steady clock whose sleeps end only when a test moves it (or on stop).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/stop.hpp"

namespace bw::testing {

//! Code under test sleeps on it from any thread; the test waits for the sleepers it expects
//! (wait_for_sleepers), then advances time, so nothing in the test depends on how fast threads run.
class ManualSteadyClock final : public core::SteadyClock {
 public:
  time_point now() const override {
    std::lock_guard lock(mutex_);
    return t_;
  }
  bool sleep_until(time_point deadline, const core::StopToken& stop) const override {
    std::unique_lock lock(mutex_);
    ++sleepers_;
    changed_.notify_all();
    changed_.wait(lock, stop, [&] { return t_ >= deadline; });
    --sleepers_;
    ++wakeups_;
    changed_.notify_all();
    return !stop.stop_requested();
  }
  void advance(duration d) {
    std::lock_guard lock(mutex_);
    t_ += d;
    changed_.notify_all();
  }
  //! Blocks until `n` threads sleep on this clock; false if that does not happen within `guard` (a hang
  //! guard for a broken build, not a timing assertion).
  bool wait_for_sleepers(int n, std::chrono::seconds guard = std::chrono::seconds(30)) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, guard, [&] { return sleepers_ >= n; });
  }
  //! Sleeps that ended (time reached or stop), since construction.
  int wakeups() const {
    std::lock_guard lock(mutex_);
    return wakeups_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable_any changed_;
  mutable int sleepers_ = 0;
  mutable int wakeups_ = 0;
  time_point t_{std::chrono::hours(1000)};
};

}  // namespace bw::testing
