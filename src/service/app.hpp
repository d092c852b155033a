// service/app.hpp: `benchling-webhook serve` and the shared wiring of the AWS side.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "aws/env.hpp"
#include "config/resolver.hpp"
#include "config/settings.hpp"
#include "core/stop.hpp"

namespace bw::aws {
class Athena;
class AwsClient;
class Clients;
class CloudFormation;
class S3;
class SecretsManager;
class Sqs;
}  // namespace bw::aws
namespace bw::http {
class Client;
}

namespace bw::service {

//! The Quilt stack outputs are re-read every kStackRefreshFactor × ServeOptions::refresh_ttl (30 min at the
//! default 5 min); the refreshes in between read only the Benchling secret.
inline constexpr int kStackRefreshFactor = 6;

struct ServeOptions {
  //! Exit 1 when the first resolution fails instead of serving "not ready" and retrying.
  bool fail_fast = false;
  std::size_t io_threads = 1;
  //! How long requests in flight may take to finish after SIGTERM (ECS waits 30 s before SIGKILL).
  std::chrono::milliseconds shutdown_grace{20000};
  //! How often the Benchling secret is read again (--secret-ttl); the stack outputs every
  //! kStackRefreshFactor times that.
  std::chrono::milliseconds refresh_ttl{300000};
  //! Worker threads running jobs from the work queue: unset means one per core; 0 means none, for an
  //! intake-only process (another deployment runs the jobs).
  std::optional<std::size_t> workers;
  //! Worker threads for the canvas queue (canvas views, short), beside `workers`, so a click never waits
  //! behind long exports. Unused when `workers` is 0.
  std::size_t canvas_workers = 2;
  //! How long a Benchling export may take before the job fails (and is retried).
  std::chrono::seconds export_timeout{1800};
  //! How long a received job stays invisible to other workers; extended every fifth of it while the
  //! job runs. A crashed worker's job comes back after this.
  int visibility_timeout_s = 300;
};

//! The AWS clients the resolver needs, with the default credentials chain: everything in the stack's
//! region, except Secrets Manager when the secret is an ARN in another region.
class AwsContext {
 public:
  //! `stop` ends the clients' retry sleeps at once (serve: at shutdown); default: never.
  AwsContext(const aws::EnvFn& env, const config::Settings& settings, core::StopToken stop = {});
  ~AwsContext();
  //! A resolver over this context's CloudFormation and Secrets Manager clients.
  config::Resolver resolver(config::Settings settings);
  http::Client& http();
  //! The shared HTTP client, credentials and per-region signing clients (the home region's is client()).
  aws::Clients& clients();
  aws::Sqs& sqs();
  //! SQS with a budget that fits inside Benchling's 3 s: the webhook intake's enqueue.
  aws::Sqs& intake_sqs();
  aws::S3& s3();
  aws::Athena& athena();
  aws::CloudFormation& cloudformation();
  aws::SecretsManager& secrets();
  //! The signed client for the stack's region, for clients this context does not hold (ECS, Logs).
  aws::AwsClient& client();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! Runs the service until SIGTERM/SIGINT. Returns the exit code: 0 after a clean stop, 1 when
//! --fail-fast saw a resolution error, 2 for settings that can never work.
int serve(const aws::EnvFn& env, const ServeOptions& options);

}  // namespace bw::service
