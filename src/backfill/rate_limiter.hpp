// backfill/rate_limiter.hpp: at most N jobs queued per second, on an injectable clock.
#pragma once

#include <cstddef>

#include "core/stop.hpp"

namespace bw::backfill {

//! Paces jobs evenly: a grant of n jobs moves the earliest time of the next grant by n / rate seconds. The
//! first grant is immediate, so a small backfill is not slowed at all; no credit builds up while the
//! caller is busy listing (a pause never turns into a burst above the rate). rate <= 0: no limit.
class RateLimiter {
 public:
  RateLimiter(double per_second, const core::SteadyClock& clock);

  //! Waits until `n` more jobs may go; false when `stop` ended the wait (nothing granted).
  bool acquire(std::size_t n, const core::StopToken& stop);

 private:
  double per_second_;
  const core::SteadyClock& clock_;
  core::SteadyClock::time_point next_{};
  bool started_ = false;
};

}  // namespace bw::backfill
