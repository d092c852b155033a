#include "core/backoff.hpp"

#include <algorithm>
#include <thread>

namespace bw::core {

std::chrono::milliseconds Backoff::ceiling(unsigned attempt) const {
  const unsigned shift = std::min(attempt, 30u);
  const auto grown = base_.count() * (int64_t(1) << shift);
  return std::chrono::milliseconds(std::min<int64_t>(grown, cap_.count()));
}

std::chrono::milliseconds Backoff::delay(unsigned attempt) {
  std::uniform_int_distribution<int64_t> dist(0, ceiling(attempt).count());
  return std::chrono::milliseconds(dist(rng_));
}

void real_sleep(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
}

}  // namespace bw::core
