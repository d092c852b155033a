#include <boost/json/parse.hpp>

#include <ostream>

#include "aws/cloudformation.hpp"
#include "aws/ecs.hpp"
#include "aws/sqs.hpp"
#include "deploy/operate.hpp"
#include "deploy/stack_lookup.hpp"
#include "deploy/stack_state.hpp"
#include "deploy/status_drift.hpp"
#include "deploy/status_monitoring.hpp"
#include "http/client.hpp"

namespace bw::deploy {
namespace {

void row(Console& c, std::string_view label, const std::string& text) {
  print_status_row(c, label, text);
}

//! "ready" from a /health/ready body, or the HTTP status.
std::string readiness(const http::Response& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  std::string text = "HTTP " + std::to_string(r.status);
  if (!ec && v.is_object()) {
    if (auto* s = v.get_object().if_contains("status"); s && s->is_string()) {
      text.append(" ").append(s->get_string().c_str());
    }
  }
  return text;
}

}  // namespace

core::Result<bool> show_status(aws::CloudFormation& cfn, aws::Ecs& ecs, aws::Sqs& sqs, http::Client& http,
                               const StatusOptions& options, Console& console) {
  auto stack = find_service_stack(cfn, options.stack_name);
  if (!stack) return stack.error();
  std::vector<std::string> problems;

  std::string line = stack->name + " (" + cfn_region(cfn) + "): " + stack->status;
  if (!stack->status_reason.empty()) line += " - " + stack->status_reason;
  row(console, "Stack", line);
  if (!is_success_status(stack->status) || stack->status == "DELETE_COMPLETE") {
    problems.push_back("stack is " + stack->status);
  }

  const std::string endpoint = stack->output("WebhookEndpoint").value_or("");
  row(console, "Webhook", endpoint.empty() ? "(no WebhookEndpoint output)" : endpoint);
  if (auto group = stack->output("LogGroupName")) row(console, "Logs", *group);

  const auto cluster = stack->output("ClusterName");
  const auto service = stack->output("ServiceArn");
  if (cluster && service) {
    auto svc = ecs.describe_services(*cluster, *service);
    if (!svc) {
      row(console, "Service", "unknown: " + svc.error().message);
      problems.push_back("ECS service not readable");
    } else {
      std::string rollout;
      for (const auto& d : svc->deployments) {
        if (d.status == "PRIMARY") rollout = d.rollout_state;
      }
      row(console, "Service",
          svc->status + ", " + std::to_string(svc->running) + "/" + std::to_string(svc->desired) +
              " tasks running (" + std::to_string(svc->pending) + " pending)" +
              (rollout.empty() ? std::string() : ", rollout " + rollout));
      for (std::size_t i = 0; i < svc->events.size() && i < 3; ++i) {
        const auto& at = svc->events[i].created_at;
        console.out << "          " << (at ? core::format_iso8601(*at) : std::string("-")) << "  "
                    << svc->events[i].message << "\n";
      }
      if (svc->running < svc->desired) problems.push_back("fewer tasks running than desired");
      if (rollout == "FAILED") problems.push_back("the last rollout failed");
    }
  } else {
    problems.push_back("the stack has no ECS service outputs");
  }

  auto work = queue_depth(sqs, *stack, "WorkQueueUrl");
  auto dead = queue_depth(sqs, *stack, "DeadLetterQueueUrl");
  row(console, "Jobs",
      (work ? std::to_string(work->waiting) + " waiting, " + std::to_string(work->in_flight) + " running"
            : std::string("work queue not readable")) +
          (dead ? "; " + std::to_string(dead->waiting + dead->in_flight) + " in the dead-letter queue"
                : std::string()));
  if (dead && dead->waiting + dead->in_flight > 0) {
    problems.push_back("jobs failed 5 times and wait in the dead-letter queue (" +
                       stack->output("DeadLetterQueueUrl").value_or("") + ")");
  }

  show_monitoring(*stack, sqs, options.elb, options.cloudwatch, console, problems);
  show_settings_drift(*stack, options.secrets, console, problems);

  const std::string base = options.webhook_url.empty() ? endpoint : options.webhook_url;
  if (!base.empty()) {
    http::Request req;
    req.url = (base.ends_with('/') ? base.substr(0, base.size() - 1) : base) + "/health/ready";
    req.timeout = std::chrono::seconds(10);
    auto reply = http.send(req);
    row(console, "Endpoint", "GET " + req.url + " -> " + (reply ? readiness(*reply) : reply.error().message));
    if (!reply || reply->status != 200) problems.push_back("the endpoint is not ready");
  }

  if (problems.empty()) {
    console.out << "Healthy.\n";
    return true;
  }
  console.out << "Not healthy:\n";
  for (const auto& p : problems) console.out << "  - " << p << "\n";
  return false;
}

}  // namespace bw::deploy
