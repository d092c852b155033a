#include "deploy/deployed_settings.hpp"

#include <boost/json.hpp>

#include "config/secret_ref.hpp"
#include "core/json.hpp"
#include "deploy/allow_list.hpp"

namespace bw::deploy {
namespace {

namespace json = boost::json;

std::string shortened(const std::string& v) {
  constexpr std::size_t kMax = 200;
  return v.size() <= kMax ? v : v.substr(0, kMax) + "...";
}

}  // namespace

std::string canonical_allow_list(std::string_view list) {
  auto entries = parse_allow_list(list);
  if (!entries) return std::string(list);
  std::string out;
  for (const auto& e : *entries) {
    if (!out.empty()) out += ",";
    out += e;
  }
  return out;
}

std::string deployed_settings_json(const TemplateOptions& o) {
  return json::serialize(json::object{{"quilt_stack_arn", o.quilt_stack.arn},
                                      {"benchling_secret", o.secret.value},
                                      {"user_bucket", o.user_bucket},
                                      {"webhook_allow_list", canonical_allow_list(o.webhook_allow_list)}});
}

std::optional<DeployedSettings> parse_deployed_settings(std::string_view text) {
  auto parsed = core::parse_json(text, "DeployedSettings output", 64 * 1024);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  const auto& obj = parsed->get_object();
  DeployedSettings s;
  auto arn = core::get_string(obj, "quilt_stack_arn");
  auto secret = core::get_string(obj, "benchling_secret");
  auto bucket = core::get_string(obj, "user_bucket");
  auto allow = core::get_string(obj, "webhook_allow_list");
  if (!arn || !secret || !bucket || !allow) return std::nullopt;
  return DeployedSettings{*arn, *secret, *bucket, *allow};
}

std::vector<std::string> deploy_flags(const TemplateOptions& o) {
  const TemplateOptions d;
  std::vector<std::string> f = {"--quilt-stack-arn", o.quilt_stack.arn, "--benchling-secret",
                                o.secret.value,      "--image-uri",     o.image_uri};
  auto number = [&](const char* flag, int value, int default_value) {
    if (value == default_value) return;
    f.emplace_back(flag);
    f.push_back(std::to_string(value));
  };
  auto text = [&](const char* flag, const std::string& value) {
    if (value.empty()) return;
    f.emplace_back(flag);
    f.push_back(value);
  };
  number("--cpu", o.cpu, d.cpu);
  number("--memory", o.memory_mib, d.memory_mib);
  number("--min-tasks", o.min_tasks, d.min_tasks);
  number("--max-tasks", o.max_tasks, d.max_tasks);
  number("--cpu-target", o.cpu_target_percent, d.cpu_target_percent);
  number("--workers-per-task", o.workers_per_task, d.workers_per_task);
  number("--canvas-workers-per-task", o.canvas_workers_per_task, d.canvas_workers_per_task);
  number("--backlog-per-task", o.backlog_per_task, d.backlog_per_task);
  number("--log-retention-days", o.log_retention_days, d.log_retention_days);
  text("--vpc-id", o.vpc_id);
  std::string subnets;
  for (const auto& s : o.subnet_ids) subnets.append(subnets.empty() ? "" : ",").append(s);
  text("--subnet-ids", subnets);
  if (o.vpc_id.empty() && o.vpc_cidr != d.vpc_cidr) text("--vpc-cidr", o.vpc_cidr);
  if (o.assign_public_ip) text("--assign-public-ip", *o.assign_public_ip ? "true" : "false");
  const auto& m = o.monitoring;
  text("--alarm-topic-arn", m.alarm_topic_arn);
  text("--alarm-email", m.alarm_email);
  number("--oldest-job-alarm-minutes", m.oldest_job_alarm_minutes, d.monitoring.oldest_job_alarm_minutes);
  number("--api-burst-limit", m.api_burst_limit, d.monitoring.api_burst_limit);
  number("--api-rate-limit", m.api_rate_limit, d.monitoring.api_rate_limit);
  return f;
}

std::string shell_quote(std::string_view word) {
  constexpr std::string_view kSafe =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:@%+=,-";
  if (!word.empty() && word.find_first_not_of(kSafe) == std::string_view::npos) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::vector<SettingDrift> settings_drift(const DeployedSettings& deployed, std::string_view user_bucket,
                                         std::string_view webhook_allow_list) {
  std::vector<SettingDrift> out;
  if (deployed.user_bucket != user_bucket) {
    out.push_back({"user_bucket", deployed.user_bucket, std::string(user_bucket)});
  }
  const std::string allow = canonical_allow_list(webhook_allow_list);
  if (deployed.webhook_allow_list != allow) {
    out.push_back({"webhook_allow_list", deployed.webhook_allow_list, allow});
  }
  return out;
}

bool names_secret(std::string_view deployed_secret, std::string_view name, std::string_view arn) {
  auto deployed = config::parse_secret_ref(deployed_secret);
  if (!deployed) return false;
  if (deployed->name != name) return false;
  if (!deployed->is_arn()) return true;
  auto current = config::parse_secret_ref(arn);
  return current && current->region == deployed->region && current->account == deployed->account;
}

std::optional<Deployment> deployment_of(const aws::Stack& stack) {
  auto text = stack.output(kDeployedSettingsOutput);
  if (!text) return std::nullopt;
  auto settings = parse_deployed_settings(*text);
  if (!settings) return std::nullopt;
  return Deployment{stack.name, std::move(*settings), stack.output(kDeployCommandOutput).value_or("")};
}

core::Result<std::vector<Deployment>> find_deployments_of_secret(aws::CloudFormation& cfn,
                                                                 std::string_view name,
                                                                 std::string_view arn) {
  auto stacks = cfn.describe_all_stacks();
  if (!stacks) return stacks.error();
  std::vector<Deployment> out;
  for (const auto& stack : *stacks) {
    auto d = deployment_of(stack);
    if (d && names_secret(d->settings.benchling_secret, name, arn)) out.push_back(std::move(*d));
  }
  return out;
}

std::string drift_lines(const std::vector<SettingDrift>& drift, std::string_view indent) {
  std::string out;
  for (const auto& d : drift) {
    out.append(indent)
        .append("- ")
        .append(d.key)
        .append(": deployed '")
        .append(shortened(d.deployed))
        .append("', the secret now says '")
        .append(shortened(d.current))
        .append("'\n");
  }
  return out;
}

}  // namespace bw::deploy
