#include "core/stop.hpp"

#include <condition_variable>
#include <mutex>

namespace bw::core {
namespace {

class RealSteadyClock final : public SteadyClock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  bool sleep_until(time_point deadline, const StopToken& stop) const override {
    // A private mutex and condition variable: only the stop token's callback ever notifies them.
    std::mutex mutex;
    std::condition_variable_any woken;
    std::unique_lock lock(mutex);
    woken.wait_until(lock, stop, deadline, [] { return false; });
    return !stop.stop_requested();
  }
};

}  // namespace

const SteadyClock& steady_clock() {
  static const RealSteadyClock clock;
  return clock;
}

bool sleep_for(std::chrono::milliseconds d, const StopToken& stop) {
  return steady_clock().sleep_for(d, stop);
}

}  // namespace bw::core
