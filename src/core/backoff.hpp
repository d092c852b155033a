// core/backoff.hpp
#pragma once

#include <chrono>
#include <functional>
#include <random>

namespace bw::core {

//! Capped exponential backoff with "full jitter": delay n is uniform in [0, min(cap, base * 2^n)].
//! Full jitter keeps many instances that failed together from retrying together.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap,
          uint64_t seed = std::random_device{}())
      : base_(base), cap_(cap), rng_(seed) {}

  //! The delay before retry number `attempt` (0-based), jittered.
  std::chrono::milliseconds delay(unsigned attempt);
  //! The upper bound of delay(attempt), without jitter.
  std::chrono::milliseconds ceiling(unsigned attempt) const;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::mt19937_64 rng_;
};

//! Where code sleeps; tests pass one that records instead of waiting.
using SleepFn = std::function<void(std::chrono::milliseconds)>;
void real_sleep(std::chrono::milliseconds d);

}  // namespace bw::core
