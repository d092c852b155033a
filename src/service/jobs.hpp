// service/jobs.hpp: what the workers do with a job from the work queue.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "config/store.hpp"
#include "core/error.hpp"
#include "packaging/workflow.hpp"
#include "queue/job.hpp"

namespace bw::aws {
class S3;
class Sqs;
}  // namespace bw::aws
namespace bw::http {
class Client;
}
namespace bw::queue {
class JobContext;
}
namespace bw::benchling {
class Client;
class TokenSource;
}  // namespace bw::benchling

namespace bw::service {

//! Runs jobs with the current configuration. Thread-safe: every worker shares one runner.
class JobRunner {
 public:
  JobRunner(config::Store& store, http::Client& http, aws::S3& s3, aws::Sqs& sqs,
            packaging::WorkflowOptions options);
  ~JobRunner();

  core::Result<void> run(const queue::Job& job, const queue::JobContext& context);

 private:
  //! The Benchling client for the secret's api_url, rebuilt when a rotated secret changes it.
  std::shared_ptr<benchling::Client> benchling_for(const config::ResolvedConfig& config);

  config::Store& store_;
  http::Client& http_;
  aws::S3& s3_;
  aws::Sqs& sqs_;
  packaging::WorkflowOptions options_;

  struct BenchlingSession;
  std::mutex mutex_;
  std::shared_ptr<BenchlingSession> session_;
};

}  // namespace bw::service
