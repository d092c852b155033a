#include "cli/deploy_commands.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "aws/apigateway.hpp"
#include "aws/clients.hpp"
#include "aws/cloudformation.hpp"
#include "aws/cloudwatch.hpp"
#include "aws/ec2.hpp"
#include "aws/ecr.hpp"
#include "aws/ecs.hpp"
#include "aws/elbv2.hpp"
#include "aws/env.hpp"
#include "aws/kms.hpp"
#include "aws/logs.hpp"
#include "cli/monitoring_flags.hpp"
#include "cli/print_error.hpp"
#include "config/settings.hpp"
#include "core/json.hpp"
#include "core/version.hpp"
#include "deploy/app_manifest.hpp"
#include "deploy/deploy_stack.hpp"
#include "deploy/image_check.hpp"
#include "deploy/operate.hpp"
#include "deploy/preflight.hpp"
#include "deploy/preflight_api_logging.hpp"
#include "deploy/preflight_image.hpp"
#include "deploy/preflight_queues.hpp"
#include "deploy/task_watch.hpp"
#include "deploy/template.hpp"
#include "service/app.hpp"

namespace bw::cli {

namespace {

void add_settings(CLI::App* cmd, DeployCommands& c) {
  cmd->add_option("--quilt-stack-arn", c.settings.quilt_stack_arn,
                  "Quilt CloudFormation stack ARN; the service is deployed in its region and account "
                  "(default: $QuiltStackARN)");
  cmd->add_option(
      "--benchling-secret", c.settings.benchling_secret,
      "Secrets Manager secret name or ARN with the Benchling settings (default: $BenchlingSecret)");
}

void add_stack_name(CLI::App* cmd, DeployCommands& c) {
  cmd->add_option("--stack-name", c.stack_name, "Name of the service's CloudFormation stack")
      ->capture_default_str();
}

void add_region(CLI::App* cmd, DeployCommands& c) {
  add_stack_name(cmd, c);
  cmd->add_option("--region", c.region,
                  "AWS region of the stack (default: the region of --quilt-stack-arn or $QuiltStackARN)");
  cmd->add_option("--quilt-stack-arn", c.settings.quilt_stack_arn,
                  "Quilt CloudFormation stack ARN, for its region (default: $QuiltStackARN)");
}

void add_template_flags(CLI::App* cmd, DeployCommands& c) {
  add_settings(cmd, c);
  auto& t = c.template_options;
  cmd->add_option(
         "--image-uri", t.image_uri,
         "Container image to run, e.g. <account>.dkr.ecr.<region>.amazonaws.com/benchling-webhook:1.0")
      ->required();
  add_stack_name(cmd, c);
  cmd->add_option("--cpu", t.cpu, "Fargate CPU units per task (256 = 0.25 vCPU)")->capture_default_str();
  cmd->add_option("--memory", t.memory_mib, "Memory per task in MiB (must suit --cpu, as Fargate requires)")
      ->capture_default_str();
  cmd->add_option("--min-tasks", t.min_tasks, "Fewest tasks (also the desired count at deploy)")
      ->capture_default_str();
  cmd->add_option("--max-tasks", t.max_tasks, "Most tasks autoscaling may run")->capture_default_str();
  cmd->add_option("--cpu-target", t.cpu_target_percent, "Average CPU percent autoscaling aims for")
      ->capture_default_str();
  cmd->add_option("--workers-per-task", t.workers_per_task,
                  "Export jobs each task runs at once (they wait on Benchling, not on CPU)")
      ->capture_default_str();
  cmd->add_option("--canvas-workers-per-task", t.canvas_workers_per_task,
                  "Canvas-view workers per task, on their own queue so a click never waits behind exports")
      ->capture_default_str();
  cmd->add_option("--backlog-per-task", t.backlog_per_task,
                  "Waiting jobs per running task that autoscaling aims for, beside --cpu-target (default: "
                  "--workers-per-task)");
  cmd->add_option("--log-retention-days", t.log_retention_days,
                  "Days CloudWatch Logs keeps the service's logs")
      ->capture_default_str();
  auto* vpc_id =
      cmd->add_option("--vpc-id", t.vpc_id,
                      "Run in this existing VPC (with --subnet-ids); its CIDR blocks, subnets, zones "
                      "and routes are checked in EC2 first. Default: a new VPC with two public subnets");
  cmd->add_option("--subnet-ids", t.subnet_ids,
                  "Subnets for the tasks and the load balancer, comma-separated: at least two zones, each "
                  "with a 0.0.0.0/0 route to a NAT gateway (or an internet gateway with --assign-public-ip)")
      ->delimiter(',');
  cmd->add_option(
         "--vpc-cidr", t.vpc_cidr,
         "CIDR block of the VPC the stack creates (with --vpc-id the VPC's own blocks are read from EC2)")
      ->capture_default_str()
      ->excludes(vpc_id);
  cmd->add_option("--assign-public-ip", c.assign_public_ip,
                  "Give tasks public IPs for egress (default: true in a new VPC, false in an existing one, "
                  "whose subnets need a NAT gateway)");
  add_monitoring_flags(cmd, t.monitoring);
}

//! The two settings (exit 2 when unusable) and the AWS wiring for their region.
core::Result<config::Settings> settings_for(const DeployCommands& c) {
  return config::load_settings(aws::process_env(), c.settings);
}

//! The region for status/destroy/logs: --region, else the Quilt stack ARN's.
core::Result<config::Settings> region_settings(const DeployCommands& c) {
  config::Settings s;
  if (!c.region.empty()) {
    s.stack.region = c.region;
    return s;
  }
  auto env = aws::process_env();
  std::string arn = c.settings.quilt_stack_arn.value_or(env("QuiltStackARN").value_or(""));
  if (arn.empty()) {
    return core::make_error(core::ErrorCode::kMissingSetting, "No region given",
                            "Pass --region, or --quilt-stack-arn (or set QuiltStackARN) to use its region");
  }
  auto parsed = config::parse_stack_arn(arn);
  if (!parsed) return parsed.error();
  s.stack = *parsed;
  return s;
}

int usage_or_failure(const core::Error& e) {
  print_error(e);
  return e.code == core::ErrorCode::kInvalidArgument || e.code == core::ErrorCode::kMissingSetting ? 2 : 1;
}

//! The template options the command line decides (the rest comes from AWS).
deploy::TemplateOptions flag_options(const DeployCommands& c, const config::Settings& settings) {
  deploy::TemplateOptions t = c.template_options;
  t.quilt_stack = settings.stack;
  t.secret = settings.secret_ref;
  t.desired_count = t.min_tasks;
  t.assign_public_ip = c.assign_public_ip;
  return t;
}

//! Resolves the configuration (printing the checklist) and renders the template.
core::Result<std::string> build_template(const DeployCommands& c, const config::Settings& settings,
                                         service::AwsContext& aws_context, std::ostream& progress,
                                         bool compact) {
  auto resolved =
      deploy::preflight(aws_context.resolver(settings), aws_context.s3(), aws_context.sqs(), progress);
  if (!resolved) return resolved.error();
  deploy::TemplateOptions t = flag_options(c, settings);
  aws::Kms kms(aws_context.client());
  auto keys = deploy::preflight_encryption(*resolved, aws_context.secrets(), aws_context.s3(),
                                           aws_context.sqs(), kms, progress);
  if (!keys) return keys.error();
  for (const auto& key : *keys) t.kms_key_arns.push_back(key.arn);
  if (!t.vpc_id.empty()) {
    aws::Ec2 ec2(aws_context.client());
    auto network =
        deploy::preflight_network(ec2, t.vpc_id, t.subnet_ids, t.assign_public_ip.value_or(false), progress);
    if (!network) return network.error();
    t.vpc_cidr_blocks = network->cidr_blocks;
  }
  aws::ApiGateway apigateway(aws_context.client());
  auto sets_role = deploy::preflight_api_logging(apigateway, progress);
  if (!sets_role) return sets_role.error();
  t.monitoring.set_api_gateway_account = *sets_role;
  t.user_bucket = resolved->benchling.user_bucket;
  t.packager_queue_arn = resolved->quilt.packager_queue_arn;
  t.athena_database = resolved->quilt.athena_database;
  t.iceberg_database = resolved->quilt.iceberg_database;
  t.user_athena_workgroup = resolved->quilt.athena_workgroup;
  t.webhook_allow_list = resolved->benchling.webhook_allow_list;
  auto rendered = deploy::render_template(t);
  if (!rendered) return rendered.error();
  return compact ? core::to_json_text(*rendered) : core::to_pretty_json(*rendered);
}

int run_template(const DeployCommands& c) {
  auto settings = settings_for(c);
  if (!settings) return usage_or_failure(settings.error());
  if (auto ok = deploy::validate_flags(flag_options(c, *settings)); !ok) return usage_or_failure(ok.error());
  service::AwsContext aws_context(aws::process_env(), *settings);
  auto body = build_template(c, *settings, aws_context, std::cerr, false);
  if (!body) return print_error(body.error()), 1;
  std::cout << *body << "\n";
  return 0;
}

void print_next_steps(const aws::Stack& stack, const DeployCommands& c, const std::string& region) {
  const std::string endpoint = stack.output("WebhookEndpoint").value_or("(see the stack's outputs)");
  std::cout
      << "\nWebhook URL: " << endpoint << "\n\n"
      << "Next steps:\n"
      << "  1. In Benchling (Developer Console > your app > Webhook settings) set the webhook URL to\n"
      << "       " << endpoint << "\n"
      << "     and Webhook Routing to \"Suffixed\": Benchling then appends /event, /lifecycle and /canvas,\n"
      << "     the routes the service answers.\n"
      << "  2. Install the app in your tenant and share the projects to package with its service account.\n"
      << "  3. Watch it come up: benchling-webhook status --stack-name " << c.stack_name << " --region "
      << region << "\n";
}

//! The image pre-flight, asking ECR in the image's own region (Fargate pulls across regions too).
core::Result<void> check_image(const DeployCommands& c, const config::Settings& settings,
                               service::AwsContext& aws_context) {
  const auto ref = deploy::parse_ecr_image_uri(c.template_options.image_uri);
  const std::string region = ref ? ref->region : settings.stack.region;
  aws::Ecr ecr(aws_context.clients().client_for(region));
  return deploy::preflight_image(ecr, aws_context.http(), region, c.template_options.image_uri, std::cout);
}

int run_deploy(const DeployCommands& c) {
  std::cout << "benchling-webhook " << core::kVersion << ": deploying stack " << c.stack_name << "\n";
  auto settings = settings_for(c);
  if (!settings) return usage_or_failure(settings.error());
  if (auto ok = deploy::validate_flags(flag_options(c, *settings)); !ok) return usage_or_failure(ok.error());

  service::AwsContext aws_context(aws::process_env(), *settings);
  auto body = build_template(c, *settings, aws_context, std::cout, true);
  if (!body) {
    std::cout << "Not deploying: the configuration is not valid.\n";
    return print_error(body.error()), 1;
  }
  if (auto image = check_image(c, *settings, aws_context); !image) {
    std::cout << "Not deploying: the image cannot run.\n";
    return print_error(image.error()), 1;
  }
  if (auto queues =
          deploy::preflight_queues(aws_context.cloudformation(), aws_context.sqs(), settings->stack.account,
                                   settings->stack.arn, settings->secret_ref.value, c.stack_name, std::cout);
      !queues) {
    std::cout << "Not deploying: a queue name is taken.\n";
    return print_error(queues.error()), 1;
  }
  if (auto note = no_alarm_recipient_note(c.template_options.monitoring)) std::cout << *note << "\n";
  deploy::Console console{std::cout, std::cerr, deploy::terminal_confirm(std::cout)};
  deploy::DeployOptions options;
  options.stack_name = c.stack_name;
  options.region = settings->stack.region;
  options.yes = c.yes;
  options.watch.poll = std::chrono::milliseconds(int64_t(c.poll_s * 1000));
  options.watch.timeout = std::chrono::seconds(int64_t(c.timeout_min * 60));
  options.tags = {{"managed-by", "benchling-webhook"}, {"benchling-webhook-version", core::kVersion}};
  // ECS's reasons for stopped tasks while the stack settles; enough of one kind stops the wait.
  deploy::TaskWatch tasks(aws_context.client(), c.stack_name, console.now(), std::cout);
  options.watch.on_poll = [&tasks] { return tasks.poll(); };
  auto outcome = deploy::deploy_stack(aws_context.cloudformation(), *body, options, console);
  if (!outcome) return print_error(outcome.error()), 1;
  if (outcome->changed) std::cout << "Stack " << c.stack_name << " is " << outcome->stack.status << ".\n";
  print_next_steps(outcome->stack, c, settings->stack.region);
  return 0;
}

int run_status(const DeployCommands& c) {
  auto settings = region_settings(c);
  if (!settings) return usage_or_failure(settings.error());
  service::AwsContext aws_context(aws::process_env(), *settings);
  aws::Ecs ecs(aws_context.client());
  deploy::Console console{std::cout, std::cerr, {}};
  deploy::StatusOptions options;
  options.stack_name = c.stack_name;
  options.webhook_url = c.webhook_url;
  aws::Elbv2 elb(aws_context.client());
  aws::CloudWatch cloudwatch(aws_context.client());
  options.elb = &elb;
  options.cloudwatch = &cloudwatch;
  options.secrets = &aws_context.secrets();
  auto healthy = deploy::show_status(aws_context.cloudformation(), ecs, aws_context.sqs(), aws_context.http(),
                                     options, console);
  if (!healthy) return print_error(healthy.error()), 1;
  return *healthy ? 0 : 1;
}

int run_destroy(const DeployCommands& c) {
  auto settings = region_settings(c);
  if (!settings) return usage_or_failure(settings.error());
  service::AwsContext aws_context(aws::process_env(), *settings);
  deploy::Console console{std::cout, std::cerr, deploy::terminal_confirm(std::cout)};
  deploy::DestroyOptions options;
  options.stack_name = c.stack_name;
  options.yes = c.yes;
  options.force = c.force;
  options.watch.poll = std::chrono::milliseconds(int64_t(c.poll_s * 1000));
  options.watch.timeout = std::chrono::seconds(int64_t(c.timeout_min * 60));
  auto done = deploy::destroy_stack(aws_context.cloudformation(), aws_context.sqs(), options, console);
  if (!done) return print_error(done.error()), 1;
  return 0;
}

int run_logs(const DeployCommands& c) {
  auto settings = region_settings(c);
  if (!settings) return usage_or_failure(settings.error());
  auto since = deploy::parse_duration(c.since);
  if (!since) {
    return usage_or_failure(core::make_error(core::ErrorCode::kInvalidArgument,
                                             "Invalid --since value: " + c.since,
                                             "Use a number and a unit: 90s, 10m, 2h or 7d (at most 30d)"));
  }
  service::AwsContext aws_context(aws::process_env(), *settings);
  aws::Logs logs(aws_context.client());
  deploy::Console console{std::cout, std::cerr, {}};
  deploy::LogsOptions options;
  options.stack_name = c.stack_name;
  options.since = *since;
  options.filter = c.filter;
  options.follow = c.follow;
  options.poll = std::chrono::milliseconds(int64_t(c.poll_s * 1000));
  if (c.follow_for_s > 0) options.follow_for = std::chrono::milliseconds(int64_t(c.follow_for_s * 1000));
  auto done = deploy::show_logs(aws_context.cloudformation(), logs, options, console);
  if (!done) return print_error(done.error()), 1;
  return 0;
}

int run_manifest(const DeployCommands& c) {
  const std::string yaml = deploy::render_app_manifest(c.manifest);
  if (c.output.empty() || c.output == "-") {
    std::cout << yaml;
    return 0;
  }
  std::ofstream file(c.output, std::ios::binary | std::ios::trunc);
  if (!(file << yaml) || !file.flush()) {
    std::cerr << "error: cannot write " << c.output << "\n";
    return 1;
  }
  std::cerr << "Wrote " << c.output
            << ". Next: in Benchling's Developer Console create an app from this manifest,\n"
            << "copy its App Definition ID and client credentials into the secret (benchling-webhook secret "
               "create),\n"
            << "then run benchling-webhook deploy.\n";
  return 0;
}

}  // namespace

std::unique_ptr<DeployCommands> add_deploy_commands(CLI::App& app) {
  auto c = std::make_unique<DeployCommands>();
  c->template_cmd = app.add_subcommand("template",
                                       "Print the service's CloudFormation template (JSON) for these "
                                       "settings, after the same checks as deploy");
  add_template_flags(c->template_cmd, *c);

  c->deploy_cmd = app.add_subcommand(
      "deploy",
      "Check the configuration, then create or update the service's stack through a change set, showing the "
      "changes and the stack events until it is done");
  add_template_flags(c->deploy_cmd, *c);
  c->deploy_cmd->add_flag("--yes,-y", c->yes, "Apply the change set without asking");
  c->deploy_cmd->add_option("--poll-interval", c->poll_s, "Seconds between progress checks")
      ->check(CLI::Range(0.05, 60.0))
      ->capture_default_str();
  c->deploy_cmd->add_option("--timeout", c->timeout_min, "Minutes to follow the stack before giving up")
      ->check(CLI::Range(1.0, 24 * 60.0))
      ->capture_default_str();

  c->status_cmd = app.add_subcommand(
      "status",
      "Show the stack, the ECS rollout, the queues and the endpoint's readiness; exit 0 when healthy");
  add_region(c->status_cmd, *c);
  c->status_cmd->add_option("--webhook-url", c->webhook_url,
                            "Probe this URL instead of the stack's WebhookEndpoint output");

  c->destroy_cmd = app.add_subcommand("destroy", "Delete the service's stack (asks first)");
  add_region(c->destroy_cmd, *c);
  c->destroy_cmd->add_flag("--yes,-y", c->yes, "Delete without asking");
  c->destroy_cmd->add_flag("--force", c->force,
                           "Delete even when the queues still hold jobs (they are lost)");
  c->destroy_cmd->add_option("--poll-interval", c->poll_s, "Seconds between progress checks")
      ->check(CLI::Range(0.05, 60.0))
      ->capture_default_str();
  c->destroy_cmd->add_option("--timeout", c->timeout_min, "Minutes to follow the deletion before giving up")
      ->check(CLI::Range(1.0, 24 * 60.0))
      ->capture_default_str();

  c->logs_cmd = app.add_subcommand("logs", "Print the service's recent log lines from CloudWatch Logs");
  add_region(c->logs_cmd, *c);
  c->logs_cmd->add_option("--since", c->since, "How far back: 90s, 10m, 2h, 7d")->capture_default_str();
  c->logs_cmd->add_option("--filter", c->filter,
                          "CloudWatch Logs filter pattern, e.g. '\"level\":\"ERROR\"'");
  c->logs_cmd->add_flag("--follow,-f", c->follow, "Keep printing new lines until interrupted");
  c->logs_cmd->add_option("--poll-interval", c->poll_s, "Seconds between polls when following")
      ->check(CLI::Range(0.05, 60.0));
  c->logs_cmd->add_option("--follow-for", c->follow_for_s, "Stop following after this many seconds")
      ->check(CLI::Range(0.0, 86400.0));

  c->manifest_cmd = app.add_subcommand(
      "manifest",
      "Print (or write) the Benchling app manifest: the canvas feature and the webhook subscriptions");
  c->manifest_cmd->add_option("--name", c->manifest.name,
                              "App name (default: the catalog host with '.' and ':' as '-', else "
                              "\"Quilt Integration\")");
  c->manifest_cmd->add_option("--catalog", c->manifest.catalog_host,
                              "Quilt catalog host, for the default name");
  c->manifest_cmd->add_option("--output,-o", c->output, "Write to this file instead of stdout");
  return c;
}

int run_deploy_commands(const DeployCommands& c) {
  if (*c.template_cmd) return run_template(c);
  if (*c.deploy_cmd) return run_deploy(c);
  if (*c.status_cmd) return run_status(c);
  if (*c.destroy_cmd) return run_destroy(c);
  if (*c.logs_cmd) return run_logs(c);
  if (*c.manifest_cmd) return run_manifest(c);
  return -1;
}

}  // namespace bw::cli
