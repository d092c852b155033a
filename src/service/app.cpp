#include "service/app.hpp"

#include <boost/json.hpp>

#include <pthread.h>
#include <unistd.h>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "aws/athena.hpp"
#include "aws/aws_client.hpp"
#include "aws/clients.hpp"
#include "aws/cloudformation.hpp"
#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"
#include "aws/sqs.hpp"
#include "benchling/jwks_cache.hpp"
#include "benchling/webhook_verifier.hpp"
#include "config/queue_names.hpp"
#include "config/store.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/version.hpp"
#include "queue/work_queue.hpp"
#include "service/front.hpp"
#include "service/health.hpp"
#include "service/jobs.hpp"
#include "service/readiness.hpp"
#include "service/workers.hpp"

namespace bw::service {

struct AwsContext::Impl {
  Impl(const aws::EnvFn& env, const config::Settings& s, const core::StopToken& stop)
      : clients(env, s.stack.region, with_stop({}, stop)),
        intake_client(clients.http(), clients.credentials(), env, s.stack.region,
                      with_stop(intake_options(), stop)),
        queue_client(clients.http(), clients.credentials(), env, s.stack.region, {}),
        cloudformation(clients.client()),
        secrets(clients.client_for(s.secret_ref.region.empty() ? s.stack.region : s.secret_ref.region)),
        sqs(queue_client),
        intake_sqs(intake_client,
                   aws::SqsOptions{std::chrono::milliseconds(1200), std::chrono::milliseconds(800)}),
        s3(clients.client()),
        athena(clients.client()) {}

  //! Benchling drops a delivery that is not answered within 3 s: two tries of at most 1.2 s each, so a
  //! hung SQS gives a 503 (Benchling retries) instead of holding the request and a handler thread.
  static aws::AwsClientOptions with_stop(aws::AwsClientOptions o, const core::StopToken& stop) {
    o.stop = stop;
    return o;
  }
  static aws::AwsClientOptions intake_options() {
    aws::AwsClientOptions o;
    o.retry.max_attempts = 2;
    o.retry.base = std::chrono::milliseconds(50);
    o.retry.cap = std::chrono::milliseconds(200);
    return o;
  }

  aws::Clients clients;
  aws::AwsClient intake_client;
  //! Without the stop token: at shutdown the consumers still hand unfinished messages back to the queue,
  //! while every other call (a job's S3 and Athena calls) ends at once.
  aws::AwsClient queue_client;
  aws::CloudFormation cloudformation;
  aws::SecretsManager secrets;
  aws::Sqs sqs;
  aws::Sqs intake_sqs;
  aws::S3 s3;
  aws::Athena athena;
};

AwsContext::AwsContext(const aws::EnvFn& env, const config::Settings& settings, core::StopToken stop)
    : impl_(std::make_unique<Impl>(env, settings, stop)) {}
AwsContext::~AwsContext() = default;

config::Resolver AwsContext::resolver(config::Settings settings) {
  return config::Resolver(impl_->cloudformation, impl_->secrets, std::move(settings));
}
http::Client& AwsContext::http() {
  return impl_->clients.http();
}
aws::Clients& AwsContext::clients() {
  return impl_->clients;
}
aws::Sqs& AwsContext::sqs() {
  return impl_->sqs;
}
aws::Sqs& AwsContext::intake_sqs() {
  return impl_->intake_sqs;
}
aws::S3& AwsContext::s3() {
  return impl_->s3;
}
aws::Athena& AwsContext::athena() {
  return impl_->athena;
}
aws::CloudFormation& AwsContext::cloudformation() {
  return impl_->cloudformation;
}
aws::SecretsManager& AwsContext::secrets() {
  return impl_->secrets;
}
aws::AwsClient& AwsContext::client() {
  return impl_->clients.client();
}

namespace {

void log_error(core::LogLevel level, const core::Error& e) {
  boost::json::object fields{{"error", core::to_string(e.code)}, {"suggestion", e.suggestion}};
  for (const auto& [k, v] : e.details) fields["detail." + k] = v;
  core::log::write(level, e.message, std::move(fields));
}

//! Applies what the secret says about the process itself, after each resolution.
class SecretEffects {
 public:
  void apply(const config::ResolvedConfig& c) {
    core::log::add_redaction(c.benchling.client_secret);
    core::log::set_level(c.benchling.log_level);
    const int now_verifying = c.benchling.enable_webhook_verification ? 1 : 0;
    if (verifying_.exchange(now_verifying) == now_verifying) return;  // log only when the setting changes
    if (now_verifying) {
      core::log::info("webhook signature verification is on", {{"jwks_url", c.benchling.jwks_url}});
    } else {
      core::log::write(
          core::LogLevel::kCritical,
          "webhook signature verification is DISABLED by the secret (enable_webhook_verification=false): "
          "anyone who can reach this service can submit events. Set it to true in production.");
    }
  }

 private:
  std::atomic<int> verifying_{-1};  // -1: not known yet
};

}  // namespace

int serve(const aws::EnvFn& env, const ServeOptions& options) {
  // Log lines go to stdout, where ECS's awslogs driver reads them, a batch per write.
  core::log::start_batched_output(STDOUT_FILENO);
  auto settings = config::load_settings(env);
  if (!settings) {
    log_error(core::LogLevel::kCritical, settings.error());
    return 2;
  }
  auto port = config::load_port(env);
  if (!port) {
    log_error(core::LogLevel::kCritical, port.error());
    return 2;
  }

  // Every thread started below inherits this mask, so only sigwait() sees SIGTERM/SIGINT.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Declared first: everything below may count into it until the end.
  core::metrics::Registry metrics_registry;
  ProcessMetrics process_metrics(metrics_registry, core::system_now());

  // Requested at shutdown: ends every retry sleep of the AWS and Benchling clients at once.
  core::StopSource shutdown;
  AwsContext aws_context(env, *settings, shutdown.get_token());
  config::Resolver resolver = aws_context.resolver(*settings);
  benchling::JwksCache jwks(aws_context.http());
  benchling::WebhookVerifier verifier(jwks);
  const config::QueueNames names = config::queue_names(settings->stack.arn, settings->secret_id);
  queue::WorkQueue work_queue(aws_context.intake_sqs(), settings->stack.account,
                              {names.work, names.canvas, names.dead_letter});
  // Ready means: configuration resolved, Benchling's keys loaded (when verifying), both queues found. The
  // keys and the queues are checked after every resolution, full or of the secret alone.
  const Readiness readiness(jwks, work_queue);

  constexpr const char* kRefreshHelp = "Configuration resolutions (the first and every refresh), by outcome.";
  core::metrics::Counter& refresh_success = metrics_registry.counter("benchling_webhook_config_refresh_total",
                                                                     kRefreshHelp, {{"outcome", "success"}});
  core::metrics::Counter& refresh_failure = metrics_registry.counter("benchling_webhook_config_refresh_total",
                                                                     kRefreshHelp, {{"outcome", "failure"}});
  auto completed = [&](core::Result<config::ResolvedConfig> config) {
    if (config) config = readiness.complete(std::move(*config));
    (config ? refresh_success : refresh_failure).inc();
    return config;
  };
  config::StoreOptions store_options;
  store_options.refresh_ttl = options.refresh_ttl;
  store_options.refresh_jitter = 0.1;
  store_options.stack_refresh_ttl = kStackRefreshFactor * options.refresh_ttl;
  config::Store store(
      [&] { return completed(resolver.resolve()); }, store_options, {},
      [&](const config::ResolvedConfig& last) { return completed(resolver.refresh_secret(last)); });

  packaging::WorkflowOptions workflow_options;
  workflow_options.export_timeout = options.export_timeout;
  JobRunner runner(JobDeps{store, aws_context.http(), aws_context.s3(), aws_context.sqs(),
                           aws_context.athena(), work_queue, &metrics_registry, shutdown.get_token()},
                   workflow_options);
  WorkersOptions workers_options;
  workers_options.workers = options.workers.value_or(std::max(1u, std::thread::hardware_concurrency()));
  workers_options.canvas_workers = options.canvas_workers;
  workers_options.visibility_timeout_s = options.visibility_timeout_s;
  Workers workers(aws_context.sqs(), *settings, work_queue, runner, metrics_registry, workers_options);
  SecretEffects effects;
  store.set_on_resolved([&](const config::ResolvedConfig& c) {
    effects.apply(c);
    workers.start();  // the first time only
  });
  // The store's thread calls into the workers: on every way out of here it stops before they are destroyed.
  struct StopStore {
    config::Store& store;
    ~StopStore() { store.stop(); }
  } stop_store{store};

  http::ServerOptions server_options;
  server_options.port = *port;
  server_options.io_threads = options.io_threads;
  Front front(store, verifier, work_queue, jwks, metrics_registry, process_metrics, server_options);

  store.start();
  if (options.fail_fast) {
    auto first = store.wait_first_attempt(std::chrono::minutes(5));
    if (!first.ready()) {
      if (first.error) log_error(core::LogLevel::kCritical, *first.error);
      return 1;
    }
  }
  auto bound = front.start();
  if (!bound) {
    log_error(core::LogLevel::kCritical, bound.error());
    return 2;
  }
  core::log::info("listening", {{"port", *bound},
                                {"version", core::kVersion},
                                {"stack", settings->stack.name},
                                {"region", settings->stack.region}});

  int sig = 0;
  sigwait(&signals, &sig);
  core::log::info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  front.stop(options.shutdown_grace);
  shutdown.request_stop();
  workers.stop(options.shutdown_grace);  // each consumer logs the jobs it handed back unfinished
  store.stop();
  core::log::info("stopped");
  return 0;
}

}  // namespace bw::service
