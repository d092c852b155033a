#include "deploy/status_monitoring.hpp"

#include <map>
#include <ostream>

#include "aws/sqs.hpp"

namespace bw::deploy {
namespace {

std::string depth_text(const std::optional<QueueDepth>& q) {
  if (!q) return "not readable";
  return std::to_string(q->total()) + " (" + q->name + ")";
}

}  // namespace

void print_status_row(Console& c, std::string_view label, const std::string& text) {
  std::string l(label);
  l.resize(10, ' ');
  c.out << l << text << "\n";
}

StatusRow targets_row(const std::vector<aws::TargetHealth>& targets) {
  std::size_t healthy = 0;
  std::string others;
  for (const auto& t : targets) {
    if (t.state == "healthy") {
      ++healthy;
      continue;
    }
    others.append("; ").append(t.id).append(":").append(t.port).append(" ").append(t.state);
    if (!t.reason.empty()) others.append(" (").append(t.reason).append(")");
  }
  StatusRow r;
  if (targets.empty()) {
    r.text = "none registered";
    r.problem = "no task is registered with the load balancer";
    return r;
  }
  r.text = std::to_string(healthy) + " of " + std::to_string(targets.size()) + " healthy" + others;
  bool unhealthy = false;
  for (const auto& t : targets) unhealthy = unhealthy || t.state == "unhealthy";
  if (unhealthy) {
    r.problem = "load balancer targets fail their health checks";
  } else if (healthy == 0) {
    r.problem = "no healthy target behind the load balancer";
  }
  return r;
}

StatusRow dead_letters_row(const std::optional<QueueDepth>& jobs, const std::optional<QueueDepth>& events) {
  StatusRow r;
  r.text = "jobs " + depth_text(jobs) + ", package events " + depth_text(events);
  // The work queue's dead letters are already a problem of the Jobs row.
  if (events && events->total() > 0) {
    r.problem =
        std::to_string(events->total()) + " package event(s) failed 5 times and wait in " + events->name;
  }
  return r;
}

StatusRow alarms_row(const std::vector<aws::MetricAlarm>& alarms) {
  StatusRow r;
  if (alarms.empty()) {
    r.text = "none found (redeploy to create them)";
    return r;
  }
  std::map<std::string, int> by_state;
  std::string firing;
  std::string topic;
  for (const auto& a : alarms) {
    ++by_state[a.state.empty() ? "unknown" : a.state];
    if (topic.empty() && !a.alarm_actions.empty()) topic = a.alarm_actions.front();
    if (a.state == "ALARM") {
      firing += (firing.empty() ? "" : ", ") + a.name;
      if (!r.problem.empty()) r.problem += "; ";
      r.problem += "alarm " + a.name + " is in ALARM";
      if (!a.state_reason.empty()) r.problem += ": " + a.state_reason;
    }
  }
  r.text = std::to_string(alarms.size()) + ":";
  bool first = true;
  for (const auto& [state, n] : by_state) {
    r.text.append(first ? " " : ", ").append(std::to_string(n)).append(" ").append(state);
    first = false;
  }
  if (!firing.empty()) r.text.append(" (").append(firing).append(")");
  r.text += topic.empty() ? "; notify nobody (deploy with --alarm-email or --alarm-topic-arn)"
                          : "; notify " + topic;
  return r;
}

void show_monitoring(const aws::Stack& stack, aws::Sqs& sqs, aws::Elbv2* elb, aws::CloudWatch* cloudwatch,
                     Console& console, std::vector<std::string>& problems) {
  auto add = [&](std::string_view label, const StatusRow& r) {
    print_status_row(console, label, r.text);
    if (!r.problem.empty()) problems.push_back(r.problem);
  };
  if (elb) {
    if (auto group = stack.output("TargetGroupArn")) {
      auto targets = elb->describe_target_health(*group);
      if (targets) {
        add("Targets", targets_row(*targets));
      } else {
        add("Targets", {"not readable: " + targets.error().message, "load balancer targets not readable"});
      }
    }
  }
  add("DLQs", dead_letters_row(queue_depth(sqs, stack, "DeadLetterQueueUrl"),
                               queue_depth(sqs, stack, "EventsDeadLetterQueueUrl")));
  if (cloudwatch) {
    if (auto prefix = stack.output("AlarmNamePrefix")) {
      auto alarms = cloudwatch->describe_alarms(*prefix);
      // Reading alarms is a convenience: a denied call is shown, not counted against the service.
      add("Alarms", alarms ? alarms_row(*alarms) : StatusRow{"not readable: " + alarms.error().message, ""});
    }
  }
}

}  // namespace bw::deploy
