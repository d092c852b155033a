// deploy/template.cpp: option checks and the assembled template (cluster, task, service, queues, outputs).
#include "deploy/template.hpp"

#include <algorithm>
#include <array>

#include "config/queue_names.hpp"
#include "core/version.hpp"
#include "deploy/allow_list.hpp"
#include "deploy/detail/shown.hpp"
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy {

namespace json = boost::json;
using core::ErrorCode;

namespace detail {

json::value cfn_ref(std::string_view logical_id) {
  return json::object{{"Ref", logical_id}};
}

json::value cfn_get_att(std::string_view logical_id, std::string_view attribute) {
  return json::object{{"Fn::GetAtt", json::array{logical_id, attribute}}};
}

json::value cfn_sub(std::string_view text) {
  return json::object{{"Fn::Sub", text}};
}

json::object resource(std::string_view type, json::object properties) {
  return json::object{{"Type", type}, {"Properties", std::move(properties)}};
}

}  // namespace detail

namespace {

using detail::cfn_get_att;
using detail::cfn_ref;
using detail::cfn_sub;
using detail::resource;

constexpr std::array<int, 7> kFargateCpus = {256, 512, 1024, 2048, 4096, 8192, 16384};
constexpr std::array<int, 22> kRetentionDays = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                                365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
constexpr int kMaxTasks = 1000;
constexpr std::size_t kMaxImageUriChars = 1024;
constexpr int kFourteenDays = 1209600;
constexpr int kOneDay = 86400;
constexpr int kMaxWorkersPerTask = 64;
constexpr int kMaxBacklogPerTask = 1000;

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_hex_lower(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

using detail::shown;

std::string join_ints(const auto& values) {
  std::string out;
  for (int v : values) {
    if (!out.empty()) out += ", ";
    out += std::to_string(v);
  }
  return out;
}

core::Error flag_error(std::string_view flag, std::string message, std::string suggestion) {
  return core::make_error(ErrorCode::kInvalidArgument, std::move(message), std::move(suggestion))
      .with("flag", std::string(flag));
}

// <prefix><id> with 8 or 17 lowercase hex digits (vpc-0a1b2c3d, subnet-0123456789abcdef0).
bool valid_aws_id(std::string_view id, std::string_view prefix) {
  if (!id.starts_with(prefix)) return false;
  const auto hex = id.substr(prefix.size());
  return (hex.size() == 8 || hex.size() == 17) && all_of(hex, is_hex_lower);
}

// S3 bucket naming rules for general purpose buckets.
bool valid_bucket(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  if (!is_lower_alnum(b.front()) || !is_lower_alnum(b.back())) return false;
  for (char c : b) {
    if (!is_lower_alnum(c) && c != '.' && c != '-') return false;
  }
  if (b.find("..") != std::string_view::npos) return false;
  if (auto ip = parse_ip_block(b); ip && !ip->v6) return false;  // formatted like an IP address
  return true;
}

// arn:aws:sqs:<region>:<12 digits>:<1-80 of [A-Za-z0-9_-], ".fifo" included>
bool valid_queue_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:sqs:";
  if (!arn.starts_with(kPrefix)) return false;
  arn.remove_prefix(kPrefix.size());
  const auto colon = arn.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (char c : arn.substr(0, colon)) {
    if (!is_lower_alnum(c) && c != '-') return false;
  }
  arn.remove_prefix(colon + 1);
  if (arn.size() < 14 || arn[12] != ':' || !all_of(arn.substr(0, 12), is_digit)) return false;
  auto name = arn.substr(13);
  if (name.empty() || name.size() > 80) return false;
  if (name.ends_with(".fifo")) name.remove_suffix(5);
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

bool valid_database(std::string_view db) {
  return !db.empty() && db.size() <= 255 &&
         std::all_of(db.begin(), db.end(), [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

// Athena: [a-zA-Z0-9._-]{1,128}
bool valid_workgroup(std::string_view name) {
  return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '-';
  });
}

bool valid_image_uri(std::string_view uri) {
  return !uri.empty() && uri.size() <= kMaxImageUriChars && uri.front() != '-' &&
         std::all_of(uri.begin(), uri.end(), [](char c) {
           return is_alnum(c) || std::string_view("./:@_-#").find(c) != std::string_view::npos;
         });
}

std::string memory_choices(int cpu) {
  const auto sizes = fargate_memory_sizes(cpu);
  if (sizes.size() <= 3) return join_ints(sizes);
  return std::to_string(sizes.front()) + " to " + std::to_string(sizes.back()) + " in steps of " +
         std::to_string(sizes[1] - sizes[0]);
}

core::Result<void> validate_sizes(const TemplateOptions& o) {
  if (std::find(kFargateCpus.begin(), kFargateCpus.end(), o.cpu) == kFargateCpus.end()) {
    return flag_error("--cpu", "--cpu " + std::to_string(o.cpu) + " is not a Fargate CPU size",
                      "Use --cpu " + join_ints(kFargateCpus) + " (CPU units; 1024 = 1 vCPU)");
  }
  const auto sizes = fargate_memory_sizes(o.cpu);
  if (std::find(sizes.begin(), sizes.end(), o.memory_mib) == sizes.end()) {
    return flag_error(
        "--memory",
        "--memory " + std::to_string(o.memory_mib) + " is not a Fargate memory size for --cpu " +
            std::to_string(o.cpu),
        "With --cpu " + std::to_string(o.cpu) + " use --memory " + memory_choices(o.cpu) + " (MiB)");
  }
  if (o.min_tasks < 1 || o.min_tasks > kMaxTasks) {
    return flag_error("--min-tasks", "--min-tasks must be 1 to " + std::to_string(kMaxTasks),
                      "Keep at least one task running, e.g. --min-tasks 2");
  }
  if (o.max_tasks < o.min_tasks || o.max_tasks > kMaxTasks) {
    return flag_error("--max-tasks",
                      "--max-tasks must be from --min-tasks (" + std::to_string(o.min_tasks) + ") to " +
                          std::to_string(kMaxTasks),
                      "Set --max-tasks to at least --min-tasks, e.g. --max-tasks 10");
  }
  if (o.desired_count < o.min_tasks || o.desired_count > o.max_tasks) {
    return flag_error(
        "--desired-count",
        "--desired-count must be from --min-tasks (" + std::to_string(o.min_tasks) + ") to --max-tasks (" +
            std::to_string(o.max_tasks) + ")",
        "Pick a count inside the autoscaling range, e.g. --desired-count " + std::to_string(o.min_tasks));
  }
  if (o.workers_per_task < 1 || o.workers_per_task > kMaxWorkersPerTask) {
    return flag_error("--workers-per-task",
                      "--workers-per-task must be 1 to " + std::to_string(kMaxWorkersPerTask),
                      "Jobs wait on Benchling exports, not CPU: 4 per 0.25 vCPU is the default");
  }
  if (o.canvas_workers_per_task < 1 || o.canvas_workers_per_task > kMaxWorkersPerTask) {
    return flag_error("--canvas-workers-per-task",
                      "--canvas-workers-per-task must be 1 to " + std::to_string(kMaxWorkersPerTask),
                      "Canvas views are short: the default of 2 per task serves many users");
  }
  if (o.backlog_per_task < 0 || o.backlog_per_task > kMaxBacklogPerTask) {
    return flag_error(
        "--backlog-per-task",
        "--backlog-per-task must be 1 to " + std::to_string(kMaxBacklogPerTask) + " (0: --workers-per-task)",
        "The waiting jobs per task autoscaling aims for, e.g. --backlog-per-task 8");
  }
  if (o.cpu_target_percent < 10 || o.cpu_target_percent > 90) {
    return flag_error("--cpu-target", "--cpu-target must be 10 to 90 (percent)",
                      "The average CPU the service scales to hold, e.g. --cpu-target 70");
  }
  if (std::find(kRetentionDays.begin(), kRetentionDays.end(), o.log_retention_days) == kRetentionDays.end()) {
    return flag_error("--log-retention-days",
                      "--log-retention-days " + std::to_string(o.log_retention_days) +
                          " is not a retention CloudWatch Logs accepts",
                      "Use one of " + join_ints(kRetentionDays));
  }
  return {};
}

core::Result<void> validate_network(const TemplateOptions& o) {
  const bool created = o.vpc_id.empty();
  if (created) {
    const auto cidr = parse_ip_block(o.vpc_cidr);
    // A created VPC is split into two subnets of at least /28.
    if (!cidr || cidr->v6 || cidr->prefix < 16 || cidr->prefix > 27 || !cidr->aligned()) {
      return flag_error(
          "--vpc-cidr", "--vpc-cidr '" + shown(o.vpc_cidr) + "' is not a usable VPC IPv4 CIDR block",
          "Give the network address with a prefix from /16 to /27, e.g. --vpc-cidr 10.0.0.0/16");
    }
    if (!o.subnet_ids.empty()) {
      return flag_error("--subnet-ids", "--subnet-ids needs --vpc-id",
                        "Pass --vpc-id with the subnets' VPC, or neither to let the stack create a VPC");
    }
    if (o.assign_public_ip == false) {
      return flag_error("--assign-public-ip", "--assign-public-ip false needs --vpc-id",
                        "The VPC the stack creates has no NAT gateway, so its tasks reach AWS and Benchling "
                        "through public IPs; pass --vpc-id and --subnet-ids with NAT-routed subnets instead");
    }
    return {};
  }
  if (!valid_aws_id(o.vpc_id, "vpc-")) {
    return flag_error("--vpc-id", "--vpc-id '" + shown(o.vpc_id) + "' is not a VPC id",
                      "Give an id like vpc-0123456789abcdef0");
  }
  if (o.subnet_ids.size() < 2 || o.subnet_ids.size() > 16) {
    return flag_error(
        "--subnet-ids",
        "--subnet-ids needs 2 to 16 subnets of the VPC (got " + std::to_string(o.subnet_ids.size()) + ")",
        "Give at least two subnets in different Availability Zones, comma-separated, with a route "
        "to the internet (a NAT gateway, or --assign-public-ip true for public subnets)");
  }
  for (std::size_t i = 0; i < o.subnet_ids.size(); ++i) {
    const auto& s = o.subnet_ids[i];
    if (!valid_aws_id(s, "subnet-")) {
      return flag_error("--subnet-ids", "--subnet-ids entry '" + shown(s) + "' is not a subnet id",
                        "Give ids like subnet-0123456789abcdef0, comma-separated");
    }
    if (std::find(o.subnet_ids.begin(), o.subnet_ids.begin() + static_cast<std::ptrdiff_t>(i), s) !=
        o.subnet_ids.begin() + static_cast<std::ptrdiff_t>(i)) {
      return flag_error("--subnet-ids", "--subnet-ids lists '" + s + "' twice",
                        "Give each subnet once, at least two in different Availability Zones");
    }
  }
  return {};
}

core::Result<void> validate_resolved(const TemplateOptions& o) {
  if (!valid_bucket(o.user_bucket)) {
    return core::make_error(
               ErrorCode::kInvalidSecret,
               "Invalid user_bucket '" + shown(o.user_bucket) + "' in the Benchling secret",
               "Set user_bucket to the name of an S3 bucket (3-63 lowercase letters, digits, '.' and "
               "'-'), not an s3:// URL or ARN")
        .with("field", "user_bucket");
  }
  if (!valid_queue_arn(o.packager_queue_arn)) {
    return core::make_error(
               ErrorCode::kInvalidConfig,
               "Invalid packager queue ARN '" + shown(o.packager_queue_arn) + "' from the Quilt stack",
               "The Quilt stack's PackagerQueueUrl, QueueUrl or PackagerQueueArn output must name an SQS "
               "queue (arn:aws:sqs:<region>:<account>:<name>); check --quilt-stack-arn names the Quilt stack")
        .with("output", "PackagerQueueUrl | QueueUrl | PackagerQueueArn");
  }
  if (!valid_database(o.athena_database)) {
    return core::make_error(
               ErrorCode::kInvalidConfig,
               "Invalid UserAthenaDatabaseName '" + shown(o.athena_database) + "' in the Quilt stack",
               "The Quilt stack output UserAthenaDatabaseName must be a Glue database name (letters, digits, "
               "'_' and '-'); check --quilt-stack-arn names the Quilt stack")
        .with("output", "UserAthenaDatabaseName");
  }
  if (!o.iceberg_database.empty() && !valid_database(o.iceberg_database)) {
    return core::make_error(
               ErrorCode::kInvalidConfig,
               "Invalid IcebergDatabaseName '" + shown(o.iceberg_database) + "' in the Quilt stack",
               "The Quilt stack output IcebergDatabaseName must be a Glue database name (letters, digits, "
               "'_' "
               "and '-'); check --quilt-stack-arn names the Quilt stack")
        .with("output", "IcebergDatabaseName");
  }
  if (!o.user_athena_workgroup.empty() && !valid_workgroup(o.user_athena_workgroup)) {
    return core::make_error(
               ErrorCode::kInvalidConfig,
               "Invalid UserAthenaWorkgroupName '" + shown(o.user_athena_workgroup) + "' in the Quilt stack",
               "The Quilt stack output UserAthenaWorkgroupName must be an Athena workgroup name "
               "(1-128 letters, digits, '.', '_' and '-'); check --quilt-stack-arn names the "
               "Quilt stack")
        .with("output", "UserAthenaWorkgroupName");
  }
  auto allow = parse_allow_list(o.webhook_allow_list);
  if (!allow) return allow.error();
  for (const auto& arn : o.kms_key_arns) {
    if (!arn.starts_with("arn:aws:kms:") || arn.find(":key/") == std::string::npos || arn.size() > 2048) {
      return core::make_error(ErrorCode::kInvalidConfig, "'" + shown(arn) + "' is not a KMS key ARN",
                              "KMS DescribeKey should have given the key's ARN; check the key in KMS");
    }
  }
  if (!o.vpc_id.empty()) {
    if (o.vpc_cidr_blocks.empty()) {
      return core::make_error(ErrorCode::kInvalidConfig, "No IPv4 CIDR block known for VPC " + o.vpc_id,
                              "The pre-flight reads them from EC2 (ec2:DescribeVpcs); check it ran");
    }
    for (const auto& block : o.vpc_cidr_blocks) {
      const auto cidr = parse_ip_block(block);
      if (!cidr || cidr->v6 || cidr->prefix < 16 || cidr->prefix > 28 || !cidr->aligned()) {
        return core::make_error(
            ErrorCode::kInvalidConfig,
            "VPC " + o.vpc_id + " reports '" + shown(block) + "', not an IPv4 VPC CIDR block",
            "Check the VPC in EC2: its blocks must be /16 to /28 IPv4 networks");
      }
    }
  }
  return {};
}

json::object log_group(const TemplateOptions& o) {
  auto group = resource("AWS::Logs::LogGroup", {{"RetentionInDays", o.log_retention_days}});
  // Kept when the stack rolls back or is deleted: a first deploy that fails must leave its logs behind to
  // say why. The name is generated, so a later stack never collides with a kept group.
  group["DeletionPolicy"] = "Retain";
  group["UpdateReplacePolicy"] = "Retain";
  return group;
}

json::object task_definition(const TemplateOptions& o, std::string_view deployment) {
  json::array environment{
      json::object{{"Name", "QuiltStackARN"}, {"Value", o.quilt_stack.arn}},
      json::object{{"Name", "BenchlingSecret"}, {"Value", o.secret.value}},
      json::object{{"Name", "PORT"}, {"Value", std::to_string(kContainerPort)}},
  };
  json::object container{
      {"Name", detail::kContainerName},
      {"Image", o.image_uri},
      {"Essential", true},
      {"PortMappings", json::array{json::object{{"ContainerPort", kContainerPort}, {"Protocol", "tcp"}}}},
      {"Environment", std::move(environment)},
      // The image's entrypoint is the binary; these are serve's arguments.
      {"Command", json::array{"serve", "--workers", std::to_string(o.workers_per_task), "--canvas-workers",
                              std::to_string(o.canvas_workers_per_task)}},
      {"User", "1000:1000"},
      {"ReadonlyRootFilesystem", true},
      // The only writable path (export spool). On Fargate the image must declare VOLUME /tmp with a mode
      // user 1000 can write (1777): an undeclared bind mount is created root-owned 0755.
      {"MountPoints",
       json::array{json::object{{"SourceVolume", "tmp"}, {"ContainerPath", "/tmp"}, {"ReadOnly", false}}}},
      {"HealthCheck",
       json::object{{"Command", json::array{"CMD", "/usr/local/bin/benchling-webhook", "health", "--url",
                                            "http://127.0.0.1:8080/health/live"}},
                    {"Interval", 30},
                    {"Timeout", 5},
                    {"Retries", 3},
                    {"StartPeriod", 10}}},
      {"StopTimeout", 30},
      {"LogConfiguration",
       json::object{{"LogDriver", "awslogs"},
                    {"Options", json::object{{"awslogs-group", cfn_ref(detail::kLogGroup)},
                                             {"awslogs-region", cfn_ref("AWS::Region")},
                                             {"awslogs-stream-prefix", "benchling-webhook"}}}}},
  };
  return resource(
      "AWS::ECS::TaskDefinition",
      {{"Family", deployment},
       {"RequiresCompatibilities", json::array{"FARGATE"}},
       {"NetworkMode", "awsvpc"},
       {"RuntimePlatform", json::object{{"OperatingSystemFamily", "LINUX"}, {"CpuArchitecture", "X86_64"}}},
       {"Cpu", std::to_string(o.cpu)},
       {"Memory", std::to_string(o.memory_mib)},
       {"ExecutionRoleArn", cfn_get_att(detail::kExecutionRole, "Arn")},
       {"TaskRoleArn", cfn_get_att(detail::kTaskRole, "Arn")},
       {"Volumes", json::array{json::object{{"Name", "tmp"}}}},
       {"ContainerDefinitions", json::array{std::move(container)}}});
}

json::object service(const TemplateOptions& o, const detail::Network& net) {
  auto svc = resource(
      "AWS::ECS::Service",
      {{"Cluster", cfn_ref(detail::kCluster)},
       {"TaskDefinition", cfn_ref(detail::kTaskDefinition)},
       {"LaunchType", "FARGATE"},
       {"DesiredCount", o.desired_count},
       {"DeploymentController", json::object{{"Type", "ECS"}}},
       {"DeploymentConfiguration",
        json::object{{"MaximumPercent", 200},
                     {"MinimumHealthyPercent", 100},
                     {"DeploymentCircuitBreaker", json::object{{"Enable", true}, {"Rollback", true}}}}},
       {"HealthCheckGracePeriodSeconds", 60},
       {"LoadBalancers", json::array{json::object{{"ContainerName", detail::kContainerName},
                                                  {"ContainerPort", kContainerPort},
                                                  {"TargetGroupArn", cfn_ref(detail::kTargetGroup)}}}},
       {"NetworkConfiguration",
        json::object{
            {"AwsvpcConfiguration",
             json::object{{"AssignPublicIp", net.assign_public_ip ? "ENABLED" : "DISABLED"},
                          {"SecurityGroups", json::array{cfn_get_att(detail::kTaskSecurityGroup, "GroupId")}},
                          {"Subnets", net.subnets}}}}},
       {"EnableECSManagedTags", true},
       {"PropagateTags", "SERVICE"}});
  // The target group must belong to a load balancer (via the listener) before a service can use it, and
  // tasks in a created VPC need its internet route to pull the image.
  json::array depends{detail::kListener};
  for (const auto& d : net.service_depends_on) depends.emplace_back(d);
  svc["DependsOn"] = std::move(depends);
  return svc;
}

json::object redrive(std::string_view dlq) {
  return json::object{{"deadLetterTargetArn", cfn_get_att(dlq, "Arn")},
                      {"maxReceiveCount", config::kMaxReceives}};
}

// The queues belong to this deployment: deleting the stack deletes them, messages included (said
// explicitly, since the default is easy to mistake for an oversight).
json::object queue(json::object properties) {
  auto q = resource("AWS::SQS::Queue", std::move(properties));
  q["DeletionPolicy"] = "Delete";
  q["UpdateReplacePolicy"] = "Delete";
  return q;
}

void add_queues(json::object& resources, const TemplateOptions& o) {
  const config::QueueNames names = config::queue_names(o.quilt_stack.arn, o.secret.value);
  resources[detail::kDeadLetterQueue] = queue({{"QueueName", names.dead_letter},
                                               {"FifoQueue", true},
                                               {"MessageRetentionPeriod", kFourteenDays},
                                               {"SqsManagedSseEnabled", true}});
  resources[detail::kWorkQueue] = queue({{"QueueName", names.work},
                                         {"FifoQueue", true},
                                         {"ContentBasedDeduplication", false},
                                         {"VisibilityTimeout", 300},
                                         {"MessageRetentionPeriod", kFourteenDays},
                                         {"RedrivePolicy", redrive(detail::kDeadLetterQueue)},
                                         {"SqsManagedSseEnabled", true}});
  // Canvas views get their own queue and workers, so a click never waits behind long exports; a view that
  // keeps failing lands in the same dead-letter queue as an export.
  resources[detail::kCanvasQueue] = queue({{"QueueName", names.canvas},
                                           {"FifoQueue", true},
                                           {"ContentBasedDeduplication", false},
                                           {"VisibilityTimeout", 60},
                                           {"MessageRetentionPeriod", kOneDay},
                                           {"RedrivePolicy", redrive(detail::kDeadLetterQueue)},
                                           {"SqsManagedSseEnabled", true}});
  resources[detail::kEventsDeadLetterQueue] = queue({{"QueueName", names.events_dead_letter},
                                                     {"MessageRetentionPeriod", kFourteenDays},
                                                     {"SqsManagedSseEnabled", true}});
  resources[detail::kEventsQueue] = queue({{"QueueName", names.events},
                                           {"VisibilityTimeout", 300},
                                           {"MessageRetentionPeriod", kFourteenDays},
                                           {"RedrivePolicy", redrive(detail::kEventsDeadLetterQueue)},
                                           {"SqsManagedSseEnabled", true}});

  // Every package revision on the default bus; bucket and prefix are filtered by the consumer, since the
  // secret (which names them) is not known to the template.
  resources[detail::kPackageEventsRule] =
      resource("AWS::Events::Rule",
               {{"Description", "Quilt package revisions for benchling-webhook"},
                {"EventPattern", json::object{{"source", json::array{"com.quiltdata"}},
                                              {"detail-type", json::array{"package-revision"}}}},
                {"State", "ENABLED"},
                {"Targets", json::array{json::object{{"Id", "events-queue"},
                                                     {"Arn", cfn_get_att(detail::kEventsQueue, "Arn")}}}}});
  json::object allow_rule{
      {"Sid", "PackageRevisionEvents"},
      {"Effect", "Allow"},
      {"Principal", json::object{{"Service", "events.amazonaws.com"}}},
      {"Action", "sqs:SendMessage"},
      {"Resource", cfn_get_att(detail::kEventsQueue, "Arn")},
      {"Condition",
       json::object{
           {"ArnEquals", json::object{{"aws:SourceArn", cfn_get_att(detail::kPackageEventsRule, "Arn")}}}}}};
  resources[detail::kEventsQueuePolicy] =
      resource("AWS::SQS::QueuePolicy",
               {{"Queues", json::array{cfn_ref(detail::kEventsQueue)}},
                {"PolicyDocument", json::object{{"Version", detail::kPolicyVersion},
                                                {"Statement", json::array{std::move(allow_rule)}}}}});
}

json::object output(std::string_view description, json::value value) {
  return json::object{{"Description", description}, {"Value", std::move(value)}};
}

json::object outputs() {
  // None refers to the VPC link: moto drops outputs that refer to types it does not support.
  return json::object{
      {"WebhookEndpoint", output("Benchling webhook URL (no trailing slash)",
                                 cfn_sub(std::string("https://${") + detail::kApi +
                                         "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + kStageName))},
      {"ApiId", output("REST API id", cfn_ref(detail::kApi))},
      {"LogGroupName", output("Container log group", cfn_ref(detail::kLogGroup))},
      {"WorkQueueUrl", output("Work queue (FIFO)", cfn_ref(detail::kWorkQueue))},
      {"CanvasQueueUrl", output("Canvas view queue (FIFO)", cfn_ref(detail::kCanvasQueue))},
      {"DeadLetterQueueUrl", output("Work queue's dead-letter queue", cfn_ref(detail::kDeadLetterQueue))},
      {"EventsQueueUrl", output("Package-revision events queue", cfn_ref(detail::kEventsQueue))},
      {"ClusterName", output("ECS cluster", cfn_ref(detail::kCluster))},
      {"ServiceArn", output("ECS service ARN", cfn_ref(detail::kService))},
      {"ServiceName", output("ECS service name", cfn_get_att(detail::kService, "Name"))},
      {"TargetGroupArn", output("NLB target group of the service's tasks", cfn_ref(detail::kTargetGroup))},
      {"TemplateVersion", output("benchling-webhook version that generated the template", core::kVersion)},
  };
}

}  // namespace

std::vector<int> fargate_memory_sizes(int cpu) {
  struct Range {
    int cpu, first, last, step;
  };
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
  constexpr std::array<Range, 7> kRanges = {{{256, 512, 2048, 0},
                                             {512, 1024, 4096, 1024},
                                             {1024, 2048, 8192, 1024},
                                             {2048, 4096, 16384, 1024},
                                             {4096, 8192, 30720, 1024},
                                             {8192, 16384, 61440, 4096},
                                             {16384, 32768, 122880, 8192}}};
  for (const auto& r : kRanges) {
    if (r.cpu != cpu) continue;
    if (r.step == 0) return {512, 1024, 2048};
    std::vector<int> out;
    for (int m = r.first; m <= r.last; m += r.step) out.push_back(m);
    return out;
  }
  return {};
}

std::string secret_resource_arn(const config::SecretRef& secret, const config::StackArn& stack) {
  if (secret.kind == config::SecretRefKind::kFullArn) return secret.value;
  const std::string& region = secret.region.empty() ? stack.region : secret.region;
  const std::string& account = secret.account.empty() ? stack.account : secret.account;
  // IAM checks GetSecretValue against the full ARN, whose name ends in "-" and 6 random characters.
  return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + secret.name + "-??????";
}

std::optional<std::string> ecr_repository_arn(std::string_view image_uri) {
  const auto slash = image_uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto host = image_uri.substr(0, slash);
  auto repo = image_uri.substr(slash + 1);
  constexpr std::string_view kDkr = ".dkr.ecr.";
  constexpr std::string_view kSuffix = ".amazonaws.com";
  if (host.size() < 12 + kDkr.size() + 1 + kSuffix.size() || !all_of(host.substr(0, 12), is_digit) ||
      host.substr(12, kDkr.size()) != kDkr || !host.ends_with(kSuffix)) {
    return std::nullopt;
  }
  const auto region = host.substr(12 + kDkr.size(), host.size() - 12 - kDkr.size() - kSuffix.size());
  if (region.empty() ||
      !std::all_of(region.begin(), region.end(), [](char c) { return is_lower_alnum(c) || c == '-'; })) {
    return std::nullopt;
  }
  if (const auto at = repo.find('@'); at != std::string_view::npos) repo = repo.substr(0, at);
  if (const auto colon = repo.rfind(':'); colon != std::string_view::npos) repo = repo.substr(0, colon);
  if (repo.empty() || !std::all_of(repo.begin(), repo.end(), [](char c) {
        return is_lower_alnum(c) || c == '.' || c == '_' || c == '-' || c == '/';
      })) {
    return std::nullopt;
  }
  return "arn:aws:ecr:" + std::string(region) + ":" + std::string(host.substr(0, 12)) + ":repository/" +
         std::string(repo);
}

core::Result<void> validate_flags(const TemplateOptions& o) {
  const auto& stack = o.quilt_stack;
  if (stack.arn.empty() || stack.region.empty() || stack.account.size() != 12) {
    return flag_error(
        "--quilt-stack-arn", "--quilt-stack-arn is missing or was not parsed",
        "Pass the Quilt stack's ARN: arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>");
  }
  if (o.secret.value.empty() || o.secret.name.empty() || (o.secret.is_arn() && o.secret.region.empty())) {
    return flag_error("--benchling-secret", "--benchling-secret is missing or was not parsed",
                      "Pass the Benchling secret's name or ARN");
  }
  if (!valid_image_uri(o.image_uri)) {
    return flag_error("--image-uri",
                      o.image_uri.empty()
                          ? std::string("--image-uri is required")
                          : "--image-uri '" + shown(o.image_uri) + "' is not an image reference",
                      "Give the container image as <registry>/<repository>:<tag> or @sha256:<digest>, e.g. "
                      "123456789012.dkr.ecr.us-east-1.amazonaws.com/benchling-webhook:0.1.0");
  }
  if (auto r = validate_sizes(o); !r) return r;
  if (auto r = detail::validate_monitoring(o); !r) return r;
  return validate_network(o);
}

core::Result<void> validate_options(const TemplateOptions& o) {
  if (auto r = validate_flags(o); !r) return r;
  return validate_resolved(o);
}

core::Result<boost::json::object> render_template(const TemplateOptions& o) {
  if (auto r = validate_options(o); !r) return r.error();
  auto allow_list = parse_allow_list(o.webhook_allow_list);
  if (!allow_list) return allow_list.error();
  const std::string deployment = config::deployment_name(o.quilt_stack.arn, o.secret.value);

  json::object resources;
  const auto net = detail::add_network(resources, o, deployment);
  resources[detail::kLogGroup] = log_group(o);
  resources[detail::kCluster] = resource(
      "AWS::ECS::Cluster",
      {{"ClusterSettings", json::array{json::object{{"Name", "containerInsights"}, {"Value", "enabled"}}}}});
  detail::add_roles(resources, o);
  resources[detail::kTaskDefinition] = task_definition(o, deployment);
  resources[detail::kService] = service(o, net);
  detail::add_autoscaling(resources, o);
  add_queues(resources, o);
  detail::add_athena_workgroup(resources, o);
  detail::add_api(resources, *allow_list, deployment);
  json::object outs = outputs();
  detail::add_monitoring(resources, outs, o, deployment);
  detail::add_deployed_settings(outs, o);

  json::object tmpl{
      {"AWSTemplateFormatVersion", "2010-09-09"},
      {"Description", std::string("benchling-webhook ") + core::kVersion +
                          ": ECS Fargate service behind an internal NLB and a REST API, with its queues"},
      {"Resources", std::move(resources)},
      {"Outputs", std::move(outs)},
  };
  const auto size = json::serialize(tmpl).size();
  if (size > kMaxTemplateBodyBytes) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "The template is " + std::to_string(size) + " bytes, over CloudFormation's " +
                                std::to_string(kMaxTemplateBodyBytes) + "-byte limit",
                            "Shorten webhook_allow_list in the Benchling secret (use CIDR blocks)")
        .with("bytes", std::to_string(size));
  }
  return tmpl;
}

}  // namespace bw::deploy
