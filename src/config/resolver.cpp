#include "config/resolver.hpp"

#include "aws/cloudformation.hpp"
#include "aws/secrets_manager.hpp"
#include "config/athena_workgroup.hpp"
#include "config/secret_schema.hpp"
#include "config/stack_outputs.hpp"

namespace bw::config {
namespace {
//! Stacks whose outputs can be trusted: created, or updated (even if an update was rolled back).
bool usable_status(std::string_view status) {
  return status == "CREATE_COMPLETE" || status.starts_with("UPDATE_") || status.starts_with("IMPORT_");
}

// Each value with the output it came from, so `validate` shows which alternative the stack exports.
std::string describe_outputs(const QuiltOutputs& o, std::string_view stack_arn, std::string_view secret) {
  const AthenaWorkgroup workgroup = choose_athena_workgroup(o, stack_arn, secret);
  std::string out = "catalog " + o.catalog_host + " (" + o.sources.catalog + "), database " +
                    o.athena_database + " (" + o.sources.athena_database + "), packager queue " +
                    o.packager_queue.name + " (" + o.sources.packager_queue + "), ";
  out += o.iceberg_database.empty()
             ? std::string(
                   "no Iceberg database (IcebergDatabaseName absent: linked packages use the "
                   "packages view)")
             : "Iceberg database " + o.iceberg_database + " (" + o.sources.iceberg_database + ")";
  out += ", Athena workgroup " + workgroup.name + " (" + workgroup.source + ")";
  return out;
}

void record(std::vector<Check>* checks, std::string name, bool ok, std::string detail) {
  if (checks) checks->push_back({std::move(name), ok, std::move(detail)});
}
}  // namespace

Resolver::Resolver(aws::CloudFormation& cloudformation, aws::SecretsManager& secrets, Settings settings)
    : cloudformation_(cloudformation), secrets_(secrets), settings_(std::move(settings)) {}

core::Result<ResolvedConfig> Resolver::resolve(std::vector<Check>* checks) const {
  const StackArn& arn = settings_.stack;
  record(checks, "QuiltStackARN is a CloudFormation stack ARN", true,
         arn.name + " in " + arn.region + ", account " + arn.account);

  // Looked up by full ARN: a deleted-and-recreated stack with the same name is a different stack.
  auto stack = cloudformation_.describe_stack(arn.arn);
  if (!stack && stack.error().code == core::ErrorCode::kNotFound) {
    core::Error e = stack.error();
    e.message = "Stack not found: " + arn.name;  // the ARN itself is in the details
    record(checks, "Quilt stack found", false, e.message);
    return e;
  }
  if (!stack) {
    record(checks, "Quilt stack found", false, stack.error().message);
    return stack.error();
  }
  if (!usable_status(stack->status)) {
    auto e = core::make_error(core::ErrorCode::kInvalidConfig,
                              "Quilt stack " + arn.name + " is in state " + stack->status,
                              "Wait for the stack to finish, or fix it in the CloudFormation console; the "
                              "service uses only stacks in a *_COMPLETE state");
    e.with("Stack", arn.arn).with("Status", stack->status);
    record(checks, "Quilt stack found", false, e.message);
    return e;
  }
  record(checks, "Quilt stack found", true, stack->status);

  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& o : stack->outputs) pairs.emplace_back(o.key, o.value);
  auto outputs = resolve_outputs(pairs, arn.name, arn.region);
  if (!outputs) {
    record(checks, "Quilt stack outputs", false, outputs.error().message);
    return outputs.error();
  }
  record(checks, "Quilt stack outputs", true, describe_outputs(*outputs, arn.arn, settings_.secret_id));

  auto secret = read_secret(checks);
  if (!secret) return secret.error();
  ResolvedConfig config;
  config.stack = arn;
  config.secret_id = settings_.secret_id;
  config.secret_ref = settings_.secret_ref;
  config.quilt = std::move(*outputs);
  config.benchling = std::move(secret->benchling);
  config.secret_version_id = std::move(secret->version_id);
  return config;
}

core::Result<ResolvedConfig> Resolver::refresh_secret(const ResolvedConfig& last) const {
  auto secret = read_secret(nullptr);
  if (!secret) return secret.error();
  ResolvedConfig config = last;
  config.benchling = std::move(secret->benchling);
  config.secret_version_id = std::move(secret->version_id);
  return config;
}

core::Result<Resolver::Secret> Resolver::read_secret(std::vector<Check>* checks) const {
  auto secret = secrets_.get_secret_value(settings_.secret_id);
  if (!secret) {
    record(checks, "Benchling secret readable", false, secret.error().message);
    return secret.error();
  }
  record(checks, "Benchling secret readable", true, "version " + secret->version_id);

  auto parsed = parse_secret(secret->secret_string.value_or(""), settings_.secret_id);
  if (!parsed) {
    record(checks, "Benchling secret valid", false, parsed.error().message);
    return parsed.error();
  }
  record(checks, "Benchling secret valid", true, "tenant " + parsed->tenant);
  return Secret{std::move(*parsed), secret->version_id};
}

}  // namespace bw::config
