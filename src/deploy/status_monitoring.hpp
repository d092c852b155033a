// deploy/status_monitoring.hpp: status's rows for the load balancer's targets, the dead-letter queues and
// the stack's alarms.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/cloudformation.hpp"
#include "aws/cloudwatch.hpp"
#include "aws/elbv2.hpp"
#include "deploy/console.hpp"
#include "deploy/stack_lookup.hpp"

namespace bw::aws {
class Sqs;
}

namespace bw::deploy {

//! One status row: its text, and the problem it shows (empty when none).
struct StatusRow {
  std::string text;
  std::string problem;
};

//! "2 of 3 healthy; 10.0.1.7:8080 unhealthy (Target.FailedHealthChecks)". A problem when a target is
//! unhealthy or none is healthy (the API then has nothing to send to). Pure.
StatusRow targets_row(const std::vector<aws::TargetHealth>& targets);

//! "jobs 0 (<queue>), package events 2 (<queue>)" (nullopt: "not readable"); a problem when the events'
//! queue holds messages (the work queue's are the Jobs row's problem). Pure.
StatusRow dead_letters_row(const std::optional<QueueDepth>& jobs, const std::optional<QueueDepth>& events);

//! "5: 4 OK, 1 ALARM (<name>); notify <topic>" or "...; notify nobody (deploy with --alarm-email ...)";
//! a problem per alarm in ALARM, with its reason. Pure.
StatusRow alarms_row(const std::vector<aws::MetricAlarm>& alarms);

//! One `status` row: the label padded to 10 columns, then the text.
void print_status_row(Console& console, std::string_view label, const std::string& text);

//! Prints the Targets, DLQs (dead-letter queues) and Alarms rows (each skipped when its client is null or its
//! output is missing from the stack) and appends their problems.
void show_monitoring(const aws::Stack& stack, aws::Sqs& sqs, aws::Elbv2* elb, aws::CloudWatch* cloudwatch,
                     Console& console, std::vector<std::string>& problems);

}  // namespace bw::deploy
