// service/jobs.hpp: what the workers do with a job from the work queue, and with a package event.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "config/store.hpp"
#include "core/error.hpp"
#include "core/stop.hpp"
#include "packaging/workflow.hpp"
#include "queue/job.hpp"

namespace bw::aws {
class Athena;
class S3;
class Sqs;
}  // namespace bw::aws
namespace bw::http {
class Client;
}
namespace bw::queue {
class JobContext;
class WorkQueue;
}  // namespace bw::queue
namespace bw::benchling {
class Client;
class TokenSource;
}  // namespace bw::benchling
namespace bw::core::metrics {
class Counter;
class Registry;
}  // namespace bw::core::metrics

namespace bw::service {

class CanvasJobs;

//! The shortest time between two re-reads of the secret forced by Benchling rejecting our credentials.
inline constexpr std::chrono::seconds kUnauthorizedRefreshInterval{10};

//! What the Benchling client calls when Benchling rejects the app's credentials (an API 401, or the token
//! endpoint's 401 or OAuth invalid_client / unauthorized_client): asks `store` to re-read the secret now,
//! which it does at most once per `min_interval` (a burst of 401s costs one GetSecretValue). Returns
//! whether it asked (Store::refresh_now); the client ignores that.
std::function<bool()> refresh_on_unauthorized(
    config::Store& store, std::chrono::milliseconds min_interval = kUnauthorizedRefreshInterval);

//! Everything a job may touch. Owned by serve().
struct JobDeps {
  config::Store& store;
  http::Client& http;
  aws::S3& s3;
  aws::Sqs& sqs;
  aws::Athena& athena;
  queue::WorkQueue& work_queue;
  //! Where the jobs a job queues are counted (jobs_enqueued_total); null: nowhere.
  core::metrics::Registry* metrics = nullptr;
  //! Ends the Benchling client's retry sleeps at once (serve: at shutdown).
  core::StopToken stop = {};
};

//! Runs jobs with the current configuration. Thread-safe: every worker shares one runner. Its log lines
//! carry the job's request id, which the consumer puts on the worker's thread (queue::job_message_handler).
class JobRunner {
 public:
  JobRunner(JobDeps deps, packaging::WorkflowOptions options);
  ~JobRunner();

  //! A work-queue job: packaging (entry events, "Update Package") or a canvas view.
  core::Result<void> run(const queue::Job& job, const queue::JobContext& context);
  //! A Quilt package-revision event (runtime-spec §10.8): refreshes the canvas showing that package.
  core::Result<void> on_package_event(std::string_view body, const queue::JobContext& context);

 private:
  core::Result<void> run_canvas(const queue::Job& job, const config::ResolvedConfig& config,
                                CanvasJobs& canvas);
  core::Result<void> run_package(const queue::Job& job, const config::ResolvedConfig& config,
                                 CanvasJobs& canvas, benchling::Client& benchling,
                                 const queue::JobContext& context);
  //! The Benchling client for the secret's api_url, rebuilt when a rotated secret changes it.
  std::shared_ptr<benchling::Client> benchling_for(const config::ResolvedConfig& config);

  JobDeps deps_;
  packaging::WorkflowOptions options_;
  core::metrics::Counter* package_enqueued_ = nullptr;

  struct BenchlingSession;
  std::mutex mutex_;
  std::shared_ptr<BenchlingSession> session_;
};

}  // namespace bw::service
