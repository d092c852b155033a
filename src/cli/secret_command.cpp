// cli/secret_command.cpp
#include "cli/secret_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <vector>

#include "aws/aws_client.hpp"
#include "aws/clients.hpp"
#include "aws/cloudformation.hpp"
#include "aws/secrets_manager.hpp"
#include "config/secret_ref.hpp"
#include "config/secret_schema.hpp"
#include "config/stack_arn.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "deploy/deployed_settings.hpp"
#include "http/client.hpp"

namespace bw::cli {
namespace {

constexpr const char* kTtlReminder =
    "Running services pick the change up within their secret TTL (serve --secret-ttl, default 5 minutes); "
    "no restart is needed.";
constexpr const char* kTtlReminderBaked =
    "Running services pick the change up within their secret TTL (serve --secret-ttl, default 5 minutes), "
    "except user_bucket and webhook_allow_list, which the stack's template bakes in: a deployed stack must "
    "be "
    "redeployed for those.";
constexpr const char* kDefaultDescription = "Benchling app settings for benchling-webhook";

//! Where the command acts: the secret as given, classified, and the region to call.
struct Target {
  std::string secret_id;
  config::SecretRef ref;
  std::string region;
};

//! Secret values known to this run, scrubbed from anything printed (errors quote AWS, which may quote us).
class Redactions {
 public:
  void add(const std::string& secret) {
    if (secret.size() < 4) return;  // too short to search for without mangling ordinary text
    secrets_.push_back(secret);
    core::log::add_redaction(secret);
  }
  std::string apply(std::string text) const {
    for (const auto& s : secrets_) {
      for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 3)) {
        text.replace(pos, s.size(), "***");
      }
    }
    return text;
  }

 private:
  std::vector<std::string> secrets_;
};

void print_error(const core::Error& e, const Redactions& redactions) {
  std::cerr << "error: " << redactions.apply(e.to_text()) << "\n";
}

//! A document error as parse_secret gives it; for missing keys, also the flags that set them (first, so
//! it shows above the example secret).
core::Error document_error(core::Error e) {
  constexpr std::string_view kMissing = "Missing: ";
  if (!e.message.starts_with("Missing required parameters") || !e.suggestion.starts_with(kMissing)) return e;
  std::string flags;
  std::string_view rest = std::string_view(e.suggestion).substr(kMissing.size());
  while (!rest.empty()) {
    const auto comma = rest.find(", ");
    std::string key(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    std::replace(key.begin(), key.end(), '_', '-');
    if (key == "client-secret") key = "client-secret-file";
    flags += (flags.empty() ? "--" : " --") + key;
  }
  e.details.insert(e.details.begin(), {"Set them with", flags + " (or --from-file)"});
  return e;
}

bool valid_region(std::string_view r) {
  return !r.empty() && r.size() <= 32 && std::all_of(r.begin(), r.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::optional<std::string> pick(const std::optional<std::string>& flag, const aws::EnvFn& env,
                                std::string_view name) {
  if (flag && !flag->empty()) return flag;
  return aws::env_value(env, name);
}

//! Secret name from --benchling-secret or $BenchlingSecret; region from --region, the secret ARN, or the
//! stack ARN (--quilt-stack-arn or $QuiltStackARN). Every error here is a usage error.
core::Result<Target> resolve_target(const SecretCommandOptions& o, const aws::EnvFn& env) {
  auto secret = pick(o.benchling_secret, env, "BenchlingSecret");
  if (!secret) {
    return core::make_error(core::ErrorCode::kMissingSetting, "No secret given",
                            "Give --benchling-secret NAME|ARN or set BenchlingSecret");
  }
  auto ref = config::parse_secret_ref(*secret);
  if (!ref) return ref.error();
  Target t{*secret, std::move(*ref), {}};

  if (o.region && !o.region->empty()) {
    if (!valid_region(*o.region)) {
      return core::make_error(core::ErrorCode::kInvalidArgument,
                              "Invalid --region '" + o.region->substr(0, 40) + "'",
                              "Give an AWS region such as us-east-1");
    }
    if (t.ref.is_arn() && t.ref.region != *o.region) {
      return core::make_error(
          core::ErrorCode::kInvalidArgument,
          "The secret ARN is in region " + t.ref.region + " but --region says " + *o.region,
          "Drop --region (the ARN's region is used) or give the secret's name");
    }
    t.region = *o.region;
    return t;
  }
  if (t.ref.is_arn()) {
    t.region = t.ref.region;
    return t;
  }
  if (auto stack = pick(o.quilt_stack_arn, env, "QuiltStackARN")) {
    auto arn = config::parse_stack_arn(*stack);
    if (!arn) return arn.error();
    t.region = arn->region;
    return t;
  }
  return core::make_error(core::ErrorCode::kMissingSetting,
                          "Cannot tell which AWS region secret '" + t.ref.display() + "' is in",
                          "give --region (e.g. --region us-east-1), a secret ARN, or --quilt-stack-arn / "
                          "QuiltStackARN");
}

//! Reads at most `limit` + 1 bytes of `path` ("-": stdin), so an oversized input is seen as such without
//! reading it all. Errors name the flag and path, never the content.
core::Result<std::string> read_input(const std::string& path, std::string_view flag, std::size_t limit) {
  const bool from_stdin = path == "-";
  std::FILE* f = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "Cannot read " + std::string(flag) + " " + path + ": " + std::strerror(errno),
                            "Give the path of a readable file, or - for standard input");
  }
  std::string text;
  char buf[8192];
  while (text.size() <= limit) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, n);
    if (n < sizeof buf) break;
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  if (!from_stdin) std::fclose(f);
  if (failed) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "Cannot read " + std::string(flag) + " " + path + ": " + std::strerror(err),
                            "Give the path of a readable file, or - for standard input");
  }
  if (text.size() > limit) text.resize(limit + 1);
  return text;
}

//! The AWS side for the secret's region (no Quilt stack needed).
struct Aws {
  Aws(const aws::EnvFn& env, const std::string& region)
      : clients(env, region), secrets(clients.client()), cloudformation(clients.client()) {}
  aws::Clients clients;
  aws::SecretsManager secrets;
  aws::CloudFormation cloudformation;
};

bool changes_baked_value(const std::vector<std::string>& changed_keys) {
  for (const auto& key : changed_keys) {
    for (auto baked : deploy::kBakedSecretKeys) {
      if (key == baked) return true;
    }
  }
  return false;
}

//! After an update that changed a value the template bakes in: every stack of the secret's region deployed
//! with this secret whose baked values now differ gets the redeploy command (the stack's DeployCommand).
void print_redeploys(const std::vector<std::string>& changed_keys, const config::BenchlingSecret& secret,
                     const std::string& name, const std::string& arn, Aws& aws) {
  if (!changes_baked_value(changed_keys)) return;
  auto deployments = deploy::find_deployments_of_secret(aws.cloudformation, name, arn);
  if (!deployments) {
    std::cerr << "warning: could not look for stacks deployed with this secret ("
              << deployments.error().message
              << "); a stack built with the old user_bucket or webhook_allow_list must be redeployed\n";
    return;
  }
  for (const auto& d : *deployments) {
    const auto drift = deploy::settings_drift(d.settings, secret.user_bucket, secret.webhook_allow_list);
    if (drift.empty()) continue;
    std::cout << "\nStack " << d.stack_name
              << " must be redeployed for this to take effect: the template bakes these values in\n"
              << deploy::drift_lines(drift) << "Redeploy it with:\n  " << d.deploy_command << "\n";
  }
}

std::string time_text(const std::optional<core::SystemTime>& t) {
  return t ? core::format_iso8601(*t) : std::string("unknown");
}

void print_masked(const config::BenchlingSecret& secret) {
  std::cout << core::to_pretty_json(deploy::masked_secret(secret)) << "\n";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

//! The document inputs shared by create and update: --from-file and --client-secret-file.
//! Returns the exit code on failure.
std::optional<int> read_document_inputs(const SecretCommandOptions& o, deploy::SecretDocumentInput& in,
                                        Redactions& redactions) {
  if (o.from_file && o.client_secret_file && *o.from_file == "-" && *o.client_secret_file == "-") {
    print_error(core::make_error(core::ErrorCode::kInvalidArgument,
                                 "--from-file and --client-secret-file cannot both read standard input",
                                 "Give one of them as a file path"),
                redactions);
    return 2;
  }
  if (o.client_secret_file) {
    auto text = read_input(*o.client_secret_file, "--client-secret-file", config::kMaxSecretBytes);
    if (!text) return print_error(text.error(), redactions), 2;
    const std::string source = *o.client_secret_file == "-" ? "standard input" : *o.client_secret_file;
    auto secret = deploy::client_secret_from_text(*text, source);
    if (!secret) return print_error(secret.error(), redactions), 1;
    redactions.add(*secret);
    in.fields.client_secret = std::move(*secret);
  }
  if (o.from_file) {
    auto text = read_input(*o.from_file, "--from-file", config::kMaxSecretBytes);
    if (!text) return print_error(text.error(), redactions), 2;
    // The file may hold the client secret: keep it out of anything printed.
    if (auto parsed = core::parse_json(*text, "file"); parsed && parsed->is_object()) {
      if (auto cs = core::get_string(parsed->get_object(), "client_secret")) redactions.add(*cs);
    }
    in.file_text = std::move(*text);
    in.file_name = *o.from_file == "-" ? "standard input" : *o.from_file;
  }
  return std::nullopt;
}

bool any_field(const deploy::SecretFields& f) {
  for (const auto* v : {&f.tenant, &f.client_id, &f.client_secret, &f.app_definition_id, &f.user_bucket,
                        &f.pkg_prefix, &f.pkg_key, &f.log_level, &f.enable_webhook_verification,
                        &f.webhook_allow_list, &f.workflow, &f.api_url, &f.jwks_url}) {
    if (*v) return true;
  }
  return false;
}

int run_create(const SecretCommandOptions& o, const Target& t, const aws::EnvFn& env) {
  Redactions redactions;
  if (t.ref.is_arn()) {
    print_error(
        core::make_error(core::ErrorCode::kInvalidArgument, "secret create needs a secret name, not an ARN",
                         "Give the name, e.g. --benchling-secret benchling/creds; to change an existing "
                         "secret use `benchling-webhook secret update`"),
        redactions);
    return 2;
  }
  deploy::SecretDocumentInput in;
  in.mode = deploy::SecretMode::kCreate;
  in.secret_id = t.secret_id;
  in.fields = o.fields;
  if (auto rc = read_document_inputs(o, in, redactions)) return *rc;

  // Validate first: a broken document never reaches AWS.
  auto doc = deploy::build_secret_document(in);
  if (!doc) return print_error(document_error(doc.error()), redactions), 1;
  redactions.add(doc->secret.client_secret);

  Aws aws(env, t.region);
  auto described = aws.secrets.describe_secret(t.secret_id);
  if (described) {
    auto e =
        described->exists
            ? core::make_error(core::ErrorCode::kInvalidArgument, "Secret already exists: " + t.secret_id,
                               "use `benchling-webhook secret update` to change it")
            : core::make_error(core::ErrorCode::kInvalidArgument,
                               "Secret " + t.secret_id + " is scheduled for deletion",
                               "Restore it (aws secretsmanager restore-secret --secret-id " + t.secret_id +
                                   ") and use `benchling-webhook secret update`, or choose another name");
    return print_error(e.with("ARN", described->arn).with("Region", t.region), redactions), 1;
  }
  // Without DescribeSecret permission, CreateSecret itself still refuses a name in use.
  const auto code = described.error().code;
  if (code != core::ErrorCode::kNotFound && code != core::ErrorCode::kAccessDenied) {
    return print_error(described.error(), redactions), 1;
  }

  if (o.dry_run) {
    std::cout << "Dry run: would create secret " << t.secret_id << " in " << t.region
              << "; nothing was written.\n";
    print_masked(doc->secret);
    return 0;
  }
  auto arn = aws.secrets.create_secret(t.secret_id, doc->text, o.description.value_or(kDefaultDescription),
                                       {{"ManagedBy", "benchling-webhook"}});
  if (!arn) return print_error(arn.error(), redactions), 1;
  std::cout << "Created secret " << t.secret_id << "\n"
            << "ARN: " << *arn << "\n";
  print_masked(doc->secret);
  std::cout << "The service reads it with BenchlingSecret=" << t.secret_id << " (or the ARN). "
            << kTtlReminder << "\n";
  return 0;
}

int run_update(const SecretCommandOptions& o, const Target& t, const aws::EnvFn& env) {
  Redactions redactions;
  if (!o.from_file && !o.client_secret_file && !any_field(o.fields)) {
    print_error(
        core::make_error(core::ErrorCode::kInvalidArgument, "Nothing to update",
                         "Give the fields to change as flags (e.g. --user-bucket NAME) or --from-file"),
        redactions);
    return 2;
  }
  deploy::SecretDocumentInput in;
  in.mode = deploy::SecretMode::kUpdate;
  in.secret_id = t.secret_id;
  in.fields = o.fields;
  if (auto rc = read_document_inputs(o, in, redactions)) return *rc;

  Aws aws(env, t.region);
  auto current = aws.secrets.get_secret_value(t.secret_id);
  if (!current) {
    core::Error e = current.error();
    if (e.code == core::ErrorCode::kNotFound)
      e.suggestion = "Create it with `benchling-webhook secret create`";
    return print_error(e, redactions), 1;
  }
  if (current->secret_string) {
    if (auto parsed = core::parse_json(*current->secret_string, "secret"); parsed && parsed->is_object()) {
      if (auto cs = core::get_string(parsed->get_object(), "client_secret")) redactions.add(*cs);
    }
  }
  in.current = current->secret_string;

  auto doc = deploy::build_secret_document(in);
  if (!doc) return print_error(document_error(doc.error()), redactions), 1;
  redactions.add(doc->secret.client_secret);
  if (doc->replaced_unreadable_current) {
    std::cerr << "warning: the current value of " << t.secret_id
              << " is not a JSON object; it is replaced, not merged onto\n";
  }
  const std::string secret_arn = current->arn.empty() ? t.secret_id : current->arn;

  if (doc->changed_keys.empty() && !doc->replaced_unreadable_current) {
    std::cout << "No change: secret " << t.secret_id << " already has these values; nothing was written.\n"
              << "ARN: " << secret_arn << "\n"
              << "Version: " << current->version_id << "\n";
    print_masked(doc->secret);
    return 0;
  }
  if (o.dry_run) {
    std::cout << "Dry run: would update secret " << t.secret_id << " in " << t.region
              << "; nothing was written.\n"
              << "ARN: " << secret_arn << "\n"
              << "Would change: " << joined(doc->changed_keys) << "\n";
    print_masked(doc->secret);
    return 0;
  }
  auto version = aws.secrets.put_secret_value(secret_arn, doc->text);
  if (!version) return print_error(version.error(), redactions), 1;
  std::cout << "Updated secret " << t.secret_id << "\n"
            << "ARN: " << secret_arn << "\n"
            << "Version: " << *version << "\n"
            << "Changed: " << joined(doc->changed_keys) << "\n";
  print_masked(doc->secret);
  std::cout << (changes_baked_value(doc->changed_keys) ? kTtlReminderBaked : kTtlReminder) << "\n";
  print_redeploys(doc->changed_keys, doc->secret, current->name.empty() ? t.ref.name : current->name,
                  secret_arn, aws);
  return 0;
}

int run_show(const Target& t, const aws::EnvFn& env) {
  Redactions redactions;
  Aws aws(env, t.region);
  auto current = aws.secrets.get_secret_value(t.secret_id);
  if (!current) return print_error(current.error(), redactions), 1;
  auto secret = config::parse_secret(current->secret_string.value_or(""), t.secret_id);
  if (secret) redactions.add(secret->client_secret);
  auto described = aws.secrets.describe_secret(t.secret_id);
  if (!described) {
    std::cerr << "warning: " << redactions.apply(described.error().message) << " (last change unknown)\n";
  }

  std::cout << "Secret: " << (current->name.empty() ? t.secret_id : current->name) << "\n"
            << "ARN: " << current->arn << "\n"
            << "Version: " << current->version_id << "\n"
            << "Last changed: " << time_text(described ? described->last_changed : std::nullopt) << "\n";
  if (described && !described->description.empty()) {
    std::cout << "Description: " << described->description << "\n";
  }
  if (!secret) {
    print_error(secret.error(), redactions);
    return 1;
  }
  print_masked(*secret);
  return 0;
}

void add_target_flags(CLI::App* cmd, SecretCommandOptions& o) {
  cmd->add_option(
      "--benchling-secret", o.benchling_secret,
      "Secrets Manager secret name or ARN holding the Benchling settings (default: $BenchlingSecret)");
  cmd->add_option("--region", o.region,
                  "AWS region of the secret (default: the secret ARN's region, else the region of "
                  "--quilt-stack-arn / $QuiltStackARN)");
  cmd->add_option("--quilt-stack-arn", o.quilt_stack_arn,
                  "Quilt CloudFormation stack ARN, used only for its region (default: $QuiltStackARN)");
}

void add_field_flags(CLI::App* cmd, SecretCommandOptions& o) {
  auto& f = o.fields;
  cmd->add_option("--from-file", o.from_file,
                  "JSON object of secret keys to start from (- for stdin); flags override it, and unknown "
                  "keys are rejected");
  cmd->add_option("--tenant", f.tenant, "Benchling tenant, e.g. acme for https://acme.benchling.com");
  cmd->add_option("--client-id", f.client_id, "Benchling app OAuth client id");
  cmd->add_option(
      "--client-secret-file", o.client_secret_file,
      "File holding the Benchling app's client secret (- for stdin); never given as a plain flag, "
      "which would leak into shell history and ps");
  cmd->add_option("--app-definition-id", f.app_definition_id, "Benchling app definition id (appdef_...)");
  cmd->add_option("--user-bucket", f.user_bucket, "S3 bucket the entries are packaged into");
  cmd->add_option("--pkg-prefix", f.pkg_prefix, "Quilt package name prefix (create default: benchling)");
  cmd->add_option("--pkg-key", f.pkg_key,
                  "Metadata key that names the package (create default: experiment_id)");
  cmd->add_option("--log-level", f.log_level,
                  "DEBUG, INFO, WARNING, ERROR or CRITICAL (create default: INFO)");
  cmd->add_option("--enable-webhook-verification", f.enable_webhook_verification,
                  "true or false: verify Benchling's webhook signatures (create default: true)");
  cmd->add_option("--webhook-allow-list", f.webhook_allow_list,
                  "Comma-separated source IPs allowed to send webhooks (create default: empty)");
  cmd->add_option("--workflow", f.workflow, "Quilt workflow name (empty: none)");
  cmd->add_option("--api-url", f.api_url, "Benchling API URL (empty: https://<tenant>.benchling.com)");
  cmd->add_option("--jwks-url", f.jwks_url,
                  "Benchling webhook keys URL (empty: https://apps.benchling.com/api/v1/apps/<app>/jwks)");
  cmd->add_flag("--dry-run", o.dry_run, "Validate and print the masked result; write nothing");
  // Hidden: catches the obvious guess so that the value is refused without being printed back.
  cmd->add_option_function<std::string>(
         "--client-secret", [&o](const std::string&) { o.plain_client_secret_given = true; }, "")
      ->group("");
}

}  // namespace

std::unique_ptr<SecretCommandOptions> add_secret_command(CLI::App& app) {
  auto opts = std::make_unique<SecretCommandOptions>();
  SecretCommandOptions& o = *opts;
  auto* secret = app.add_subcommand("secret",
                                    "Create, update or show the Benchling secret in AWS Secrets Manager. The "
                                    "JSON is validated before it is "
                                    "written; output is masked (the client secret is never printed)");
  secret->require_subcommand(1);

  auto* create = secret->add_subcommand(
      "create",
      "Create the secret from flags and/or --from-file (defaults for pkg_prefix, pkg_key, log_level, "
      "enable_webhook_verification, webhook_allow_list); fails if it exists");
  add_target_flags(create, o);
  add_field_flags(create, o);
  create->add_option("--description", o.description, "Secret description")->default_str(kDefaultDescription);
  create->callback([&o] { o.action = SecretAction::kCreate; });

  auto* update = secret->add_subcommand(
      "update", "Change fields of the existing secret; the fields not given keep their current values");
  add_target_flags(update, o);
  add_field_flags(update, o);
  update->callback([&o] { o.action = SecretAction::kUpdate; });

  auto* show =
      secret->add_subcommand("show", "Print the secret (masked), its version and when it last changed");
  add_target_flags(show, o);
  show->callback([&o] { o.action = SecretAction::kShow; });
  return opts;
}

int run_secret_command(const SecretCommandOptions& options, const aws::EnvFn& env) {
  if (options.action == SecretAction::kNone) return -1;
  if (options.plain_client_secret_given) {
    std::cerr << "error: --client-secret is not accepted: a secret given as a flag value stays in shell "
                 "history and is visible to other users in ps\n\n"
                 "Put it in a file and give --client-secret-file PATH, or pipe it in with "
                 "--client-secret-file -\n";
    return 2;
  }
  auto target = resolve_target(options, env);
  if (!target) {
    std::cerr << "error: " << target.error().to_text() << "\n";
    return 2;
  }
  switch (options.action) {
    case SecretAction::kCreate:
      return run_create(options, *target, env);
    case SecretAction::kUpdate:
      return run_update(options, *target, env);
    case SecretAction::kShow:
      return run_show(*target, env);
    case SecretAction::kNone:
      break;
  }
  return -1;
}

}  // namespace bw::cli
