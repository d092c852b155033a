#include "aws/ecs_tasks.hpp"

#include <boost/json.hpp>

#include <cmath>

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {
namespace {

constexpr std::size_t kMaxReply = 4 * 1024 * 1024;
constexpr std::size_t kMaxField = 2048;
constexpr std::size_t kMaxReason = 4096;
constexpr std::size_t kMaxTasks = 100;
constexpr std::size_t kMaxContainers = 20;

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("ECS", "ecs", action, why);
}

std::string str(const boost::json::object& o, std::string_view key, std::size_t limit = kMaxField) {
  return core::get_clipped_string(o, key, limit);
}

std::optional<int> integer(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64() && v.get_int64() >= -1000000 && v.get_int64() <= 1000000) return int(v.get_int64());
  if (v.is_uint64() && v.get_uint64() <= 1000000) return int(v.get_uint64());
  if (v.is_double() && std::isfinite(v.get_double()) && std::fabs(v.get_double()) <= 1e6) {
    return int(v.get_double());
  }
  return std::nullopt;
}

const boost::json::array* array_of(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_array() ? &it->value().get_array() : nullptr;
}

}  // namespace

core::Result<std::vector<std::string>> parse_list_tasks(std::string_view json) {
  auto parsed = load_json_reply(json, {"ECS", "ecs", "ListTasks", kMaxReply});
  if (!parsed) return parsed.error();
  const auto* arns = array_of(*parsed, "taskArns");
  if (arns == nullptr) return unreadable("ListTasks", "no taskArns");
  std::vector<std::string> out;
  for (const auto& a : *arns) {
    if (out.size() >= kMaxTasks) break;
    if (!a.is_string() || a.get_string().size() > kMaxField) return unreadable("ListTasks", "a bad task ARN");
    out.emplace_back(a.get_string());
  }
  return out;
}

core::Result<std::vector<EcsTask>> parse_describe_tasks(std::string_view json) {
  auto parsed = load_json_reply(json, {"ECS", "ecs", "DescribeTasks", kMaxReply});
  if (!parsed) return parsed.error();
  const auto* tasks = array_of(*parsed, "tasks");
  if (tasks == nullptr) return unreadable("DescribeTasks", "no tasks");
  std::vector<EcsTask> out;
  for (const auto& t : *tasks) {
    if (out.size() >= kMaxTasks) break;
    if (!t.is_object()) return unreadable("DescribeTasks", "a task is not an object");
    const auto& o = t.get_object();
    EcsTask task;
    task.arn = str(o, "taskArn");
    task.id = task.arn.substr(task.arn.rfind('/') == std::string::npos ? 0 : task.arn.rfind('/') + 1);
    task.last_status = str(o, "lastStatus");
    task.desired_status = str(o, "desiredStatus");
    task.stop_code = str(o, "stopCode");
    task.stopped_reason = str(o, "stoppedReason", kMaxReason);
    task.task_definition = str(o, "taskDefinitionArn");
    task.group = str(o, "group");
    task.created_at = core::get_epoch_seconds(o, "createdAt");
    task.stopped_at = core::get_epoch_seconds(o, "stoppedAt");
    if (const auto* containers = array_of(o, "containers")) {
      for (const auto& c : *containers) {
        if (task.containers.size() >= kMaxContainers) break;
        if (!c.is_object()) return unreadable("DescribeTasks", "a container is not an object");
        const auto& co = c.get_object();
        task.containers.push_back(
            {str(co, "name"), str(co, "lastStatus"), integer(co, "exitCode"), str(co, "reason", kMaxReason)});
      }
    }
    if (task.arn.empty()) return unreadable("DescribeTasks", "a task without taskArn");
    out.push_back(std::move(task));
  }
  return out;
}

core::Result<std::string> EcsTasks::call(std::string_view action, std::string body,
                                         std::string_view cluster) {
  http::Request req =
      json_protocol("AmazonEC2ContainerServiceV20141113." + std::string(action), std::move(body), "1.1");
  req.max_response_bytes = kMaxReply + 64 * 1024;
  auto reply = client_.call("ecs", "ecs", std::move(req), action);
  auto annotate = [&](core::Error e) {
    return e.with("Cluster", std::string(cluster)).with("Region", client_.region());
  };
  if (!reply) return annotate(reply.error());
  if (reply->error) {
    return annotate(to_core_error_saying(*reply->error, action));
  }
  return std::move(reply->response.body);
}

core::Result<std::vector<std::string>> EcsTasks::list_tasks(std::string_view cluster,
                                                            std::string_view service,
                                                            std::string_view desired_status) {
  boost::json::object body{{"cluster", cluster}, {"serviceName", service}, {"desiredStatus", desired_status}};
  auto reply = call("ListTasks", boost::json::serialize(body), cluster);
  if (!reply) return reply.error();
  return parse_list_tasks(*reply);
}

core::Result<std::vector<EcsTask>> EcsTasks::describe_tasks(std::string_view cluster,
                                                            const std::vector<std::string>& arns) {
  if (arns.empty()) return std::vector<EcsTask>{};
  boost::json::array tasks;
  for (std::size_t i = 0; i < arns.size() && i < kMaxTasks; ++i) tasks.emplace_back(arns[i]);
  boost::json::object body{{"cluster", cluster}, {"tasks", std::move(tasks)}};
  auto reply = call("DescribeTasks", boost::json::serialize(body), cluster);
  if (!reply) return reply.error();
  return parse_describe_tasks(*reply);
}

}  // namespace bw::aws
