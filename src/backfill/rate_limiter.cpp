#include "backfill/rate_limiter.hpp"

#include <algorithm>
#include <chrono>

namespace bw::backfill {

RateLimiter::RateLimiter(double per_second, const core::SteadyClock& clock)
    : per_second_(per_second), clock_(clock) {}

bool RateLimiter::acquire(std::size_t n, const core::StopToken& stop) {
  if (per_second_ <= 0) return !stop.stop_requested();
  const auto now = clock_.now();
  if (!started_) {
    started_ = true;
    next_ = now;
  }
  if (next_ > now && !clock_.sleep_until(next_, stop)) return false;
  if (stop.stop_requested()) return false;
  const auto step = std::chrono::duration_cast<core::SteadyClock::duration>(
      std::chrono::duration<double>(double(n) / per_second_));
  next_ = std::max(next_, clock_.now()) + step;
  return true;
}

}  // namespace bw::backfill
