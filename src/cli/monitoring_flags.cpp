#include "cli/monitoring_flags.hpp"

#include <CLI/CLI.hpp>

namespace bw::cli {

void add_monitoring_flags(CLI::App* cmd, deploy::MonitoringOptions& m) {
  cmd->add_option("--alarm-topic-arn", m.alarm_topic_arn,
                  "SNS topic (same region) the CloudWatch alarms notify; excludes --alarm-email");
  cmd->add_option("--alarm-email", m.alarm_email,
                  "Create an SNS topic for the alarms with this address subscribed (AWS emails a "
                  "confirmation link first); excludes --alarm-topic-arn");
  cmd->add_option("--oldest-job-alarm-minutes", m.oldest_job_alarm_minutes,
                  "Alarm when the oldest work-queue job is older than this (longer than your longest export)")
      ->capture_default_str();
  cmd->add_option("--api-burst-limit", m.api_burst_limit, "API stage throttling: requests taken at once")
      ->capture_default_str();
  cmd->add_option("--api-rate-limit", m.api_rate_limit, "API stage throttling: steady requests per second")
      ->capture_default_str();
}

std::optional<std::string> no_alarm_recipient_note(const deploy::MonitoringOptions& m) {
  if (!m.alarm_topic_arn.empty() || !m.alarm_email.empty()) return std::nullopt;
  return "Alarms have no recipients: add --alarm-email ADDRESS or --alarm-topic-arn ARN to this deploy "
         "command to be notified.";
}

}  // namespace bw::cli
