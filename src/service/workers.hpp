// service/workers.hpp: the consumers of the service's three queues, started once configuration resolves.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>

#include "config/settings.hpp"

namespace bw::aws {
class Sqs;
}
namespace bw::core::metrics {
class Registry;
}
namespace bw::queue {
class Consumer;
class WorkQueue;
}  // namespace bw::queue

namespace bw::service {

class JobRunner;

struct WorkersOptions {
  std::size_t workers = 4;         //!< export (work-queue) threads; 0: no consumer at all (intake only)
  std::size_t canvas_workers = 2;  //!< canvas-queue threads
  int visibility_timeout_s = 300;  //!< work queue; extended every fifth of it while a job runs
};

//! Export workers on the work queue, canvas workers on the canvas queue (so a click never waits behind long
//! exports) and one package-event worker (live canvas refresh, when the deploy made that queue). All run
//! jobs through one JobRunner.
class Workers {
 public:
  Workers(aws::Sqs& sqs, const config::Settings& settings, queue::WorkQueue& queues, JobRunner& runner,
          core::metrics::Registry& metrics, WorkersOptions options);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  //! Starts the consumers, once: serve calls it after each resolution, since before the first one every
  //! job would only fail and use up one of its five receives. After stop() it does nothing.
  void start();
  //! Stops receiving on every queue; running jobs get until `grace` (package events: 5 s), then their
  //! messages are released for redelivery. Returns the jobs still running.
  std::size_t stop(std::chrono::milliseconds grace);

 private:
  void start_locked();

  aws::Sqs& sqs_;
  const config::Settings& settings_;
  queue::WorkQueue& queues_;
  JobRunner& runner_;
  core::metrics::Registry& metrics_;
  WorkersOptions options_;
  std::mutex mutex_;
  bool started_ = false;
  bool stopped_ = false;
  std::unique_ptr<queue::Consumer> work_;
  std::unique_ptr<queue::Consumer> canvas_;
  std::unique_ptr<queue::Consumer> events_;
};

}  // namespace bw::service
