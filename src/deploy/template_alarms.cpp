// deploy/template_alarms.cpp: alarms and their SNS topic, API access logs and stage throttling.
#include <algorithm>

#include "deploy/detail/template_parts.hpp"
#include "deploy/preflight_api_logging.hpp"

namespace bw::deploy::detail {
namespace {

namespace json = boost::json;
using core::ErrorCode;

constexpr const char* kAlarmTopic = "AlarmTopic";
constexpr const char* kApiAccessLogGroup = "ApiAccessLogGroup";
constexpr const char* kApiGatewayRole = "ApiGatewayCloudWatchRole";
constexpr const char* kApiGatewayAccount = "ApiGatewayAccount";

constexpr int kMaxOldestJobMinutes = 1440;
constexpr int kMaxBurst = 5000;  // API Gateway's default account burst
constexpr int kMaxRate = 10000;  // API Gateway's default account rate

// One line per request, JSON, from API Gateway's $context variables for REST APIs.
constexpr const char* kAccessLogFormat =
    R"({"requestId":"$context.requestId","ip":"$context.identity.sourceIp",)"
    R"("requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","path":"$context.path",)"
    R"("status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength",)"
    R"("latency":"$context.responseLatency","integrationLatency":"$context.integrationLatency",)"
    R"("integrationStatus":"$context.integration.status","errorMessage":"$context.error.message"})";

core::Error flag_error(std::string_view flag, std::string message, std::string suggestion) {
  return core::make_error(ErrorCode::kInvalidArgument, std::move(message), std::move(suggestion))
      .with("flag", std::string(flag));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// arn:<partition>:sns:<region>:<12 digits>:<1-256 of [A-Za-z0-9_-]>; sets *region.
bool valid_topic_arn(std::string_view arn, std::string* region) {
  constexpr std::string_view kArn = "arn:";
  if (!arn.starts_with(kArn)) return false;
  arn.remove_prefix(kArn.size());
  const auto partition_end = arn.find(':');
  if (partition_end == std::string_view::npos || !arn.substr(0, partition_end).starts_with("aws"))
    return false;
  arn.remove_prefix(partition_end + 1);
  if (!arn.starts_with("sns:")) return false;
  arn.remove_prefix(4);
  const auto region_end = arn.find(':');
  if (region_end == 0 || region_end == std::string_view::npos) return false;
  *region = std::string(arn.substr(0, region_end));
  if (!std::all_of(region->begin(), region->end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-'; })) {
    return false;
  }
  arn.remove_prefix(region_end + 1);
  if (arn.size() < 14 || arn[12] != ':' || !std::all_of(arn.begin(), arn.begin() + 12, is_digit))
    return false;
  const auto name = arn.substr(13);
  return !name.empty() && name.size() <= 256 &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

// A plain address: local part of [A-Za-z0-9._%+-], a domain of at least two dot-separated labels.
bool valid_email(std::string_view address) {
  const auto at = address.find('@');
  if (address.size() > 254 || at == 0 || at == std::string_view::npos || at > 64) return false;
  const auto local = address.substr(0, at);
  const auto domain = address.substr(at + 1);
  if (!std::all_of(local.begin(), local.end(), [](char c) {
        return is_alnum(c) || std::string_view("._%+-").find(c) != std::string_view::npos;
      })) {
    return false;
  }
  if (domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    const auto dot = std::min(domain.find('.', start), domain.size());
    const auto label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) {
      return false;
    }
    start = dot + 1;
  }
  return true;
}

json::object dimension(std::string_view name, json::value value) {
  return json::object{{"Name", name}, {"Value", std::move(value)}};
}

struct AlarmSpec {
  std::string name_suffix;
  std::string description;
  std::string metric_namespace;
  std::string metric;
  json::array dimensions;
  std::string statistic;
  int period_s = 300;
  int evaluation_periods = 1;
  double threshold = 0;
  std::string comparison = "GreaterThanThreshold";
};

json::object alarm(const AlarmSpec& a, std::string_view prefix, const json::array& actions) {
  json::object p{{"AlarmName", std::string(prefix) + a.name_suffix},
                 {"AlarmDescription", a.description},
                 {"Namespace", a.metric_namespace},
                 {"MetricName", a.metric},
                 {"Dimensions", a.dimensions},
                 {"Statistic", a.statistic},
                 {"Period", a.period_s},
                 {"EvaluationPeriods", a.evaluation_periods},
                 {"DatapointsToAlarm", a.evaluation_periods},
                 {"Threshold", a.threshold},
                 {"ComparisonOperator", a.comparison},
                 // No data means nothing happened: an idle queue or API sends no datapoints.
                 {"TreatMissingData", "notBreaching"}};
  if (!actions.empty()) {
    p["AlarmActions"] = actions;
    p["OKActions"] = actions;
  }
  return resource("AWS::CloudWatch::Alarm", std::move(p));
}

json::object retained(json::object r) {
  r["DeletionPolicy"] = "Retain";
  r["UpdateReplacePolicy"] = "Retain";
  return r;
}

// The access log group, the stage's log setting and throttling, and the account-level role that lets
// API Gateway write to CloudWatch Logs.
void add_api_logging(json::object& resources, json::object& outputs, const TemplateOptions& o) {
  // Kept on delete like the container logs: the requests that reached a failed stack say what happened.
  resources[kApiAccessLogGroup] =
      retained(resource("AWS::Logs::LogGroup", {{"RetentionInDays", o.log_retention_days}}));
  outputs["ApiAccessLogGroupName"] =
      json::object{{"Description", "API Gateway access log group"}, {"Value", cfn_ref(kApiAccessLogGroup)}};

  auto& stage = resources[kStage].as_object();
  auto& props = stage["Properties"].as_object();
  props["AccessLogSetting"] = json::object{
      {"DestinationArn",
       cfn_sub(std::string("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${") +
               kApiAccessLogGroup + "}")},
      {"Format", kAccessLogFormat}};
  props["MethodSettings"] = json::array{json::object{{"ResourcePath", "/*"},
                                                     {"HttpMethod", "*"},
                                                     {"ThrottlingBurstLimit", o.monitoring.api_burst_limit},
                                                     {"ThrottlingRateLimit", o.monitoring.api_rate_limit}}};
  if (!o.monitoring.set_api_gateway_account) return;

  // API Gateway logs through one role per account and region (AWS::ApiGateway::Account), set here only
  // when the pre-flight found none or one of ours (stack_sets_api_gateway_role). The role is retained when
  // the stack is deleted: the region's setting keeps naming it, and a deleted role would silently stop
  // the access and execution logs of every API in the region.
  json::object trust{{"Effect", "Allow"},
                     {"Principal", json::object{{"Service", "apigateway.amazonaws.com"}}},
                     {"Action", "sts:AssumeRole"}};
  resources[kApiGatewayRole] = retained(resource(
      "AWS::IAM::Role",
      {{"Description",
        "API Gateway writes access and execution logs to CloudWatch Logs (region-wide setting)"},
       {"Path", kApiGatewayRolePath},
       {"AssumeRolePolicyDocument",
        json::object{{"Version", kPolicyVersion}, {"Statement", json::array{std::move(trust)}}}},
       {"ManagedPolicyArns",
        json::array{cfn_sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")}}}));
  resources[kApiGatewayAccount] =
      resource("AWS::ApiGateway::Account", {{"CloudWatchRoleArn", cfn_get_att(kApiGatewayRole, "Arn")}});
  // Access logging is refused until the region's role is set.
  stage["DependsOn"] = json::array{kApiGatewayAccount};
}

}  // namespace

std::string alarm_name_prefix(std::string_view deployment) {
  return std::string(deployment).append("-");
}

core::Result<void> validate_monitoring(const TemplateOptions& o) {
  const auto& m = o.monitoring;
  if (!m.alarm_topic_arn.empty() && !m.alarm_email.empty()) {
    return flag_error(
        "--alarm-email", "--alarm-topic-arn and --alarm-email exclude each other",
        "Give one: --alarm-topic-arn for an existing SNS topic, or --alarm-email for a topic the "
        "stack creates with that address subscribed");
  }
  if (!m.alarm_topic_arn.empty()) {
    std::string region;
    if (!valid_topic_arn(m.alarm_topic_arn, &region)) {
      return flag_error(
          "--alarm-topic-arn",
          "--alarm-topic-arn '" + m.alarm_topic_arn.substr(0, 300) + "' is not an SNS topic ARN",
          "Give the topic's ARN: arn:aws:sns:<region>:<account>:<topic name>");
    }
    if (!o.quilt_stack.region.empty() && region != o.quilt_stack.region) {
      return flag_error(
          "--alarm-topic-arn", "--alarm-topic-arn is in " + region + ", the stack in " + o.quilt_stack.region,
          "CloudWatch alarms notify topics of their own region: give a topic in " + o.quilt_stack.region);
    }
  }
  if (!m.alarm_email.empty() && !valid_email(m.alarm_email)) {
    return flag_error("--alarm-email",
                      "--alarm-email '" + m.alarm_email.substr(0, 300) + "' is not an email address",
                      "Give one address like ops@example.com (letters, digits and ._%+- before the @)");
  }
  if (m.oldest_job_alarm_minutes < 1 || m.oldest_job_alarm_minutes > kMaxOldestJobMinutes) {
    return flag_error("--oldest-job-alarm-minutes", "--oldest-job-alarm-minutes must be 1 to 1440",
                      "Alarm when a job has waited longer than your longest export takes, e.g. 60");
  }
  if (m.api_burst_limit < 1 || m.api_burst_limit > kMaxBurst) {
    return flag_error("--api-burst-limit", "--api-burst-limit must be 1 to 5000 (requests)",
                      "The requests the API takes at once before throttling, e.g. --api-burst-limit 200");
  }
  if (m.api_rate_limit < 1 || m.api_rate_limit > kMaxRate) {
    return flag_error("--api-rate-limit", "--api-rate-limit must be 1 to 10000 (requests per second)",
                      "The steady request rate the API takes, e.g. --api-rate-limit 100");
  }
  return {};
}

void add_monitoring(json::object& resources, json::object& outputs, const TemplateOptions& o,
                    std::string_view deployment) {
  outputs["EventsDeadLetterQueueUrl"] =
      json::object{{"Description", "Package-events queue's dead-letter queue"},
                   {"Value", cfn_ref(kEventsDeadLetterQueue)}};
  add_api_logging(resources, outputs, o);

  json::array actions;
  const auto& m = o.monitoring;
  if (!m.alarm_topic_arn.empty()) {
    actions.emplace_back(m.alarm_topic_arn);
  } else if (!m.alarm_email.empty()) {
    resources[kAlarmTopic] = resource(
        "AWS::SNS::Topic",
        {{"DisplayName", "benchling-webhook alarms"},
         {"Subscription", json::array{json::object{{"Endpoint", m.alarm_email}, {"Protocol", "email"}}}}});
    actions.push_back(cfn_ref(kAlarmTopic));
  }
  if (!actions.empty()) {
    outputs["AlarmTopicArn"] =
        json::object{{"Description", "SNS topic the alarms notify"}, {"Value", actions[0]}};
  }
  const std::string prefix = alarm_name_prefix(deployment);
  outputs["AlarmNamePrefix"] = json::object{
      {"Description", "Names of the stack's CloudWatch alarms start with this"}, {"Value", prefix}};

  std::vector<std::pair<std::string, AlarmSpec>> alarms;
  const auto dead_letters = [](std::string suffix, std::string what, const char* queue) {
    return AlarmSpec{
        std::move(suffix),
        std::move(what) + " failed 5 times and wait in the dead-letter queue: see benchling-webhook jobs",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        json::array{dimension("QueueName", cfn_get_att(queue, "QueueName"))},
        "Maximum"};
  };
  alarms.emplace_back("WorkDeadLetterAlarm", dead_letters("work-dlq", "Jobs", kDeadLetterQueue));
  alarms.emplace_back("EventsDeadLetterAlarm",
                      dead_letters("events-dlq", "Package-revision events", kEventsDeadLetterQueue));
  alarms.emplace_back(
      "UnhealthyTargetsAlarm",
      AlarmSpec{"unhealthy-targets",
                "Tasks behind the load balancer fail their health checks (3 minutes in a row)",
                "AWS/NetworkELB", "UnHealthyHostCount",
                json::array{dimension("TargetGroup", cfn_get_att(kTargetGroup, "TargetGroupFullName")),
                            dimension("LoadBalancer", cfn_get_att(kLoadBalancer, "LoadBalancerFullName"))},
                "Maximum", 60, 3});
  // A REST API's metrics carry its name and stage.
  const auto api_name = resources[kApi].as_object()["Properties"].as_object()["Name"];
  alarms.emplace_back(
      "Api5xxAlarm",
      AlarmSpec{"api-5xx", "The webhook API answered 5xx at least 5 times in 5 minutes", "AWS/ApiGateway",
                "5XXError", json::array{dimension("ApiName", api_name), dimension("Stage", kStageName)},
                "Sum", 300, 1, 5, "GreaterThanOrEqualToThreshold"});
  alarms.emplace_back("OldestJobAlarm",
                      AlarmSpec{"oldest-job",
                                "A job has waited in the work queue for more than " +
                                    std::to_string(m.oldest_job_alarm_minutes) +
                                    " minutes: the service is down or short of workers",
                                "AWS/SQS", "ApproximateAgeOfOldestMessage",
                                json::array{dimension("QueueName", cfn_get_att(kWorkQueue, "QueueName"))},
                                "Maximum", 300, 1, m.oldest_job_alarm_minutes * 60.0});
  for (const auto& [id, spec] : alarms) resources[id] = alarm(spec, prefix, actions);
}

}  // namespace bw::deploy::detail
