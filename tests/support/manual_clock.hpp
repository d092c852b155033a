// support/manual_clock.hpp: a wall clock that moves only when a test says so.
#pragma once

#include <chrono>
#include <mutex>

#include "core/time.hpp"

namespace bw::testing {

//! Starts at 2027-01-15 (Unix 1,800,000,000); thread-safe, so code under test may read it from any thread.
class ManualClock {
 public:
  core::SystemTime now() const {
    std::lock_guard lock(mutex_);
    return t_;
  }
  void advance(core::SystemTime::duration d) {
    std::lock_guard lock(mutex_);
    t_ += d;
  }
  //! A NowFn reading this clock; the clock must outlive it.
  core::NowFn fn() {
    return [this] { return now(); };
  }

 private:
  mutable std::mutex mutex_;
  core::SystemTime t_ = core::SystemTime(std::chrono::seconds(1'800'000'000));
};

}  // namespace bw::testing
