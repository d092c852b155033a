// core/stop.hpp: how shutdown reaches code that waits.
#pragma once

#include <chrono>
#include <stop_token>

namespace bw::core {

//! Shutdown travels as the standard stop token: each owner (a consumer, the process) has a StopSource, and
//! whoever waits passes its StopToken to a sleep below, which a stop ends at once (no polling). A default
//! StopToken never stops.
using StopSource = std::stop_source;
using StopToken = std::stop_token;

//! The steady clock code sleeps on. Tests pass a manual one whose sleeps end when the test moves it, so a
//! test of a periodic task (the visibility heartbeat) waits for events, never for real time.
class SteadyClock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;
  virtual ~SteadyClock() = default;
  virtual time_point now() const = 0;
  //! Blocks until now() >= deadline or `stop` is requested; false when stopped.
  virtual bool sleep_until(time_point deadline, const StopToken& stop) const = 0;
  bool sleep_for(duration d, const StopToken& stop) const { return sleep_until(now() + d, stop); }
};

//! std::chrono::steady_clock, sleeping on a condition variable that the stop token wakes.
const SteadyClock& steady_clock();

//! Sleeps `d` on the real clock, or less when `stop` is requested; false when stopped.
bool sleep_for(std::chrono::milliseconds d, const StopToken& stop);

}  // namespace bw::core
