#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <iostream>

#include "aws/env.hpp"
#include "benchling/jwks_cache.hpp"
#include "cli/backfill_command.hpp"
#include "cli/deploy_commands.hpp"
#include "cli/health_probe.hpp"
#include "cli/jobs_command.hpp"
#include "cli/print_error.hpp"
#include "cli/secret_command.hpp"
#include "config/queue_names.hpp"
#include "config/resolver.hpp"
#include "config/settings.hpp"
#include "core/json.hpp"
#include "core/version.hpp"
#include "queue/work_queue.hpp"
#include "service/app.hpp"
#include "service/readiness.hpp"

namespace bw::cli {
namespace {

constexpr const char* kDescription =
    "benchling-webhook: turns Benchling notebook entries into Quilt packages on S3.\n"
    "Configuration comes from two settings, QuiltStackARN and BenchlingSecret (environment variables,\n"
    "or the flags below); everything else is read from the Quilt stack's CloudFormation outputs and the\n"
    "secret's JSON in AWS Secrets Manager. Exit codes: 0 success, 1 failure, 2 usage or settings error.";

//! Exit code for a settings/resolution failure: settings that can never work are usage errors.
int exit_code(const core::Error& e) {
  return e.healable() ? 1 : 2;
}

void add_setting_flags(CLI::App* cmd, config::SettingsOverrides& o) {
  cmd->add_option("--quilt-stack-arn", o.quilt_stack_arn,
                  "Quilt CloudFormation stack ARN (default: $QuiltStackARN)");
  cmd->add_option(
      "--benchling-secret", o.benchling_secret,
      "Secrets Manager secret name or ARN holding the Benchling settings (default: $BenchlingSecret)");
}

int run_config(const config::SettingsOverrides& o) {
  auto env = aws::process_env();
  auto settings = config::load_settings(env, o);
  if (!settings) return print_error(settings.error()), exit_code(settings.error());
  service::AwsContext aws_context(env, *settings);
  auto resolved = aws_context.resolver(*settings).resolve();
  if (!resolved) return print_error(resolved.error()), 1;
  std::cout << core::to_pretty_json(config::render_config_json(*resolved)) << "\n";
  return 0;
}

int run_validate(const config::SettingsOverrides& o) {
  auto env = aws::process_env();
  std::cout << "Validating benchling-webhook configuration\n";
  auto settings = config::load_settings(env, o);
  if (!settings) {
    std::cout << "  [FAIL] settings: " << settings.error().message << "\n";
    return print_error(settings.error()), exit_code(settings.error());
  }
  service::AwsContext aws_context(env, *settings);
  std::vector<config::Check> checks;
  auto resolved = aws_context.resolver(*settings).resolve(&checks);
  for (const auto& c : checks) {
    std::cout << "  " << (c.ok ? "[ok]   " : "[FAIL] ") << c.name;
    if (!c.detail.empty()) std::cout << ": " << c.detail;
    std::cout << "\n";
  }
  auto report = [](const std::string& name, const core::Result<std::string>& r) {
    std::cout << "  " << (r ? "[ok]   " : "[FAIL] ") << name << ": " << (r ? *r : r.error().message) << "\n";
  };
  // What serve also needs before it is ready (service::Readiness, as /health/ready): the work and canvas
  // queues, and Benchling's keys when verifying.
  const config::QueueNames names = config::queue_names(settings->stack.arn, settings->secret_id);
  queue::WorkQueue queues(aws_context.sqs(), settings->stack.account,
                          {names.work, names.canvas, names.dead_letter});
  benchling::JwksCache jwks(aws_context.http());
  const service::Readiness readiness(jwks, queues);
  if (resolved) {
    auto queues_ok = readiness.check_queues();
    report("Work queue " + queues.name() + " and canvas queue " + queues.canvas_name(), queues_ok);
    if (!queues_ok) resolved = queues_ok.error();
  }
  if (resolved && resolved->benchling.enable_webhook_verification) {
    auto keys_ok = readiness.check_keys(*resolved, /*force=*/true);
    report("Benchling webhook keys (JWKS)", keys_ok);
    if (!keys_ok) resolved = keys_ok.error();
  }
  if (!resolved) {
    std::cout << "Configuration is NOT valid.\n";
    return print_error(resolved.error()), 1;
  }
  std::cout << "Configuration is valid.\n";
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{kDescription, "benchling-webhook"};
  app.set_version_flag("--version", std::string("benchling-webhook ") + core::kVersion);
  app.require_subcommand(1);

  service::ServeOptions serve_options;
  double secret_ttl_s = double(serve_options.refresh_ttl.count()) / 1000.0;
  auto* serve =
      app.add_subcommand("serve",
                         "Run the webhook service on $PORT (default 8080). Starts even when AWS is not "
                         "reachable yet: /health/live answers, /health/ready says what is wrong, and "
                         "configuration is retried until it resolves.");
  serve->add_flag("--fail-fast", serve_options.fail_fast,
                  "Exit 1 if the configuration cannot be resolved at start, instead of retrying");
  serve->add_option("--io-threads", serve_options.io_threads, "Threads serving HTTP connections")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve
      ->add_option("--secret-ttl", secret_ttl_s,
                   "Seconds between re-reads of the Benchling secret (rotation without restart); the stack "
                   "outputs are "
                   "re-read every 6 times this")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();

  std::size_t workers = 0;
  auto* workers_option =
      serve
          ->add_option("--workers", workers,
                       "Worker threads running jobs from the work queue (default: one per CPU core; 0: none, "
                       "this process only takes webhooks in)")
          ->check(CLI::Range(0, 256));
  serve
      ->add_option("--canvas-workers", serve_options.canvas_workers,
                   "Worker threads for the canvas queue (canvas views), so a click never waits behind long "
                   "exports; ignored with --workers 0")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  std::int64_t export_timeout_s = serve_options.export_timeout.count();
  serve
      ->add_option("--export-timeout", export_timeout_s,
                   "Seconds a Benchling export may run before the job fails and is retried")
      ->check(CLI::Range(1, 24 * 3600))
      ->capture_default_str();

  serve
      ->add_option(
          "--visibility-timeout", serve_options.visibility_timeout_s,
          "Seconds a job taken from the work queue stays hidden from other workers (extended while it "
          "runs); a crashed worker's job is retried after this")
      ->check(CLI::Range(5, 43200))
      ->capture_default_str();

  config::SettingsOverrides config_overrides;
  auto* config_cmd = app.add_subcommand(
      "config", "Resolve the configuration from AWS and print it as /config shows it (secrets masked)");
  add_setting_flags(config_cmd, config_overrides);

  config::SettingsOverrides validate_overrides;
  auto* validate = app.add_subcommand(
      "validate",
      "Check the Quilt stack and the Benchling secret step by step; exit 0 when all is well, 1 if not");
  add_setting_flags(validate, validate_overrides);

  auto deploy_commands = add_deploy_commands(app);
  auto secret_command = add_secret_command(app);
  auto jobs_command = add_jobs_command(app);
  auto backfill_command = add_backfill_command(app);

  std::string health_url;
  double health_timeout_s = 5;
  auto* health = app.add_subcommand(
      "health",
      "GET a health URL once: exit 0 on HTTP 200, 1 otherwise (the container health check; the image has no "
      "curl and no shell)");
  health->add_option("--url", health_url, "URL to probe (default: http://127.0.0.1:$PORT/health/live)");
  health->add_option("--timeout", health_timeout_s, "Seconds before the probe gives up")
      ->check(CLI::Range(0.1, 300.0))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (*serve) {
    serve_options.refresh_ttl = std::chrono::milliseconds(int64_t(secret_ttl_s * 1000));
    serve_options.export_timeout = std::chrono::seconds(export_timeout_s);
    if (workers_option->count() > 0) serve_options.workers = workers;
    return service::serve(aws::process_env(), serve_options);
  }
  if (*config_cmd) return run_config(config_overrides);
  if (*validate) return run_validate(validate_overrides);
  if (*health) {
    if (health_url.empty()) {
      auto port = config::load_port(aws::process_env());
      if (!port) return print_error(port.error()), 2;
      health_url = default_health_url(*port == 0 ? 8080 : *port);
    }
    return run_health_probe(health_url, std::chrono::milliseconds(int64_t(health_timeout_s * 1000)));
  }
  if (int rc = run_deploy_commands(*deploy_commands); rc >= 0) return rc;
  if (int rc = run_secret_command(*secret_command); rc >= 0) return rc;
  if (int rc = run_jobs_command(*jobs_command); rc >= 0) return rc;
  if (int rc = run_backfill_command(*backfill_command); rc >= 0) return rc;
  return 2;
}

}  // namespace bw::cli
