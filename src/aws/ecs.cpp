#include "aws/ecs.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {

namespace {

constexpr std::size_t kMaxReply = 1024 * 1024;
constexpr std::size_t kMaxField = 2048;
constexpr std::size_t kMaxMessage = 4096;
constexpr std::size_t kMaxDeployments = 100;
constexpr std::size_t kMaxEventsScanned = 1000;

constexpr ReplyOf kReply{"ECS", "ecs", "DescribeServices", kMaxReply};

core::Error unreadable(std::string_view why) {
  return unreadable_reply(kReply, why);
}

core::Error service_not_found(std::string_view service) {
  return core::make_error(core::ErrorCode::kNotFound, "ECS service not found: " + std::string(service),
                          "Check the service name and cluster; deploy creates the service with the stack");
}

std::string str(const boost::json::object& obj, std::string_view key, std::size_t limit = kMaxField) {
  return core::get_clipped_string(obj, key, limit);
}

// A count: integers (or whole doubles) clamped to 0..INT_MAX; 0 when absent or not a number.
int count(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return 0;
  const auto& v = it->value();
  double d = 0;
  if (v.is_int64()) {
    d = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    d = static_cast<double>(v.get_uint64());
  } else if (v.is_double()) {
    d = v.get_double();
  } else {
    return 0;
  }
  if (!std::isfinite(d) || d <= 0) return 0;
  if (d >= static_cast<double>(std::numeric_limits<int>::max())) return std::numeric_limits<int>::max();
  return static_cast<int>(d);
}

}  // namespace

core::Result<EcsService> parse_describe_services(std::string_view json, std::string_view service) {
  auto parsed = load_json_reply(json, kReply);
  if (!parsed) return parsed.error();
  const auto& root = *parsed;

  auto services = core::get_optional_array(root, "services");
  if (!services) return unreadable(services.error().message);
  if (services->empty()) {
    core::Error e = service_not_found(service);
    e.with("Service", std::string(service));
    auto failures = core::get_optional_array(root, "failures");
    if (failures && !failures->empty() && failures->front().is_object()) {
      const auto& f = failures->front().get_object();
      if (auto reason = str(f, "reason"); !reason.empty()) e.with("reason", reason);
      if (auto detail = str(f, "detail"); !detail.empty()) e.with("AWS said", detail);
    }
    return e;
  }
  if (!services->front().is_object()) return unreadable("a service is not an object");
  const auto& s = services->front().get_object();

  EcsService out;
  out.arn = str(s, "serviceArn");
  out.name = str(s, "serviceName");
  out.status = str(s, "status");
  out.desired = count(s, "desiredCount");
  out.running = count(s, "runningCount");
  out.pending = count(s, "pendingCount");
  out.task_definition = str(s, "taskDefinition");

  auto deployments = core::get_optional_array(s, "deployments");
  if (!deployments) return unreadable(deployments.error().message);
  if (deployments->size() > kMaxDeployments) return unreadable("too many deployments");
  for (const auto& d : *deployments) {
    if (!d.is_object()) return unreadable("a deployment is not an object");
    const auto& o = d.get_object();
    EcsDeployment dep;
    dep.id = str(o, "id");
    dep.status = str(o, "status");
    dep.rollout_state = str(o, "rolloutState");
    dep.rollout_state_reason = str(o, "rolloutStateReason", kMaxMessage);
    dep.desired = count(o, "desiredCount");
    dep.running = count(o, "runningCount");
    dep.pending = count(o, "pendingCount");
    dep.failed_tasks = count(o, "failedTasks");
    dep.task_definition = str(o, "taskDefinition");
    dep.created_at = core::get_epoch_seconds(o, "createdAt");
    out.deployments.push_back(std::move(dep));
  }

  auto events = core::get_optional_array(s, "events");
  if (!events) return unreadable(events.error().message);
  if (events->size() > kMaxEventsScanned) return unreadable("too many events");
  for (const auto& ev : *events) {
    if (out.events.size() >= kEcsMaxEvents) break;
    if (!ev.is_object()) return unreadable("an event is not an object");
    const auto& o = ev.get_object();
    out.events.push_back({core::get_epoch_seconds(o, "createdAt"), str(o, "message", kMaxMessage)});
  }
  return out;
}

core::Result<EcsService> Ecs::describe_services(std::string_view cluster, std::string_view service) {
  boost::json::object body{{"services", boost::json::array{boost::json::string(service)}}};
  if (!cluster.empty()) body["cluster"] = cluster;
  http::Request req = json_protocol("AmazonEC2ContainerServiceV20141113.DescribeServices",
                                    boost::json::serialize(body), "1.1");
  req.max_response_bytes = kMaxReply + 64 * 1024;
  auto reply = client_.call("ecs", "ecs", std::move(req), "DescribeServices");
  auto annotate = [&](core::Error e) {
    std::vector<std::pair<std::string, std::string>> front;
    if (!cluster.empty()) front.emplace_back("Cluster", std::string(cluster));
    front.emplace_back("Service", std::string(service));
    front.emplace_back("Region", client_.region());
    // parse_describe_services names the service itself; keep one of each.
    std::erase_if(e.details, [](const auto& kv) { return kv.first == "Service"; });
    e.details.insert(e.details.begin(), front.begin(), front.end());
    return e;
  };
  if (!reply) return annotate(reply.error());
  if (!reply->error) {
    auto parsed = parse_describe_services(reply->response.body, service);
    if (!parsed) return annotate(parsed.error());
    return parsed;
  }
  const AwsError& err = *reply->error;
  if (err.code == "ClusterNotFoundException") {
    return annotate(
        core::make_error(core::ErrorCode::kNotFound,
                         "ECS cluster not found: " + std::string(cluster.empty() ? "default" : cluster),
                         "Check the cluster name (a stack output of the deployment)")
            .with("AWS said", err.message));
  }
  return annotate(to_core_error_saying(err, "DescribeServices"));
}

}  // namespace bw::aws
