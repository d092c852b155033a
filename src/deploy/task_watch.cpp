#include "deploy/task_watch.hpp"

#include <deque>
#include <ostream>

#include "aws/cloudformation_resources.hpp"
#include "aws/ecs_tasks.hpp"
#include "aws/logs.hpp"
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy {

TaskWatch::TaskWatch(aws::AwsClient& client, std::string stack_name, core::SystemTime since,
                     std::ostream& out, int stop_after)
    : client_(client),
      stack_name_(std::move(stack_name)),
      since_(since),
      out_(out),
      decide_(since, stop_after) {}

bool TaskWatch::locate() {
  if (!cluster_.empty() && !service_.empty()) return true;
  auto resources = aws::describe_stack_resources(client_, stack_name_);
  if (!resources) return false;
  for (const auto& r : *resources) {
    if (r.physical_id.empty()) continue;
    // The first of each (the template has one of each).
    if (r.type == "AWS::ECS::Cluster" && cluster_.empty()) cluster_ = r.physical_id;
    if (r.type == "AWS::ECS::Service" && service_.empty()) service_ = r.physical_id;
    if (r.type == "AWS::Logs::LogGroup" && log_group_.empty()) log_group_ = r.physical_id;
  }
  return !cluster_.empty() && !service_.empty();
}

void TaskWatch::print_last_log_lines(const aws::EcsTask& task) {
  const std::string stream = std::string("benchling-webhook/") + detail::kContainerName + "/" + task.id;
  if (log_group_.empty()) return;
  aws::Logs logs(client_);
  aws::FilterRequest request;
  request.group = log_group_;
  const auto from = task.created_at.value_or(since_) - std::chrono::minutes(1);
  request.start_ms = std::chrono::duration_cast<std::chrono::milliseconds>(from.time_since_epoch()).count();
  request.stream_prefix = stream;
  request.limit = 1000;
  std::deque<std::string> last;
  for (int page = 0; page < 5; ++page) {
    auto events = logs.filter_log_events(request);
    if (!events) {
      out_ << "    (its log lines could not be read: " << events.error().message << ")\n";
      return;
    }
    for (const auto& e : events->events) {
      std::string message = e.message;
      while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
      last.push_back(std::move(message));
      if (last.size() > kTaskLogLines) last.pop_front();
    }
    if (events->next_token.empty()) break;
    request.next_token = events->next_token;
  }
  if (last.empty()) {
    out_ << "    no log lines in " << log_group_ << " " << stream << " (the container never wrote any)\n";
    return;
  }
  out_ << "    last log lines (" << log_group_ << " " << stream << "):\n";
  for (const auto& line : last) out_ << "      " << line << "\n";
}

core::Result<void> TaskWatch::blind(const core::Error& e) {
  if (!warned_) {
    out_ << "  (not following the service's stopped tasks: " << e.message << ")\n";
    warned_ = true;
  }
  return {};
}

core::Result<void> TaskWatch::poll() {
  if (!locate()) return {};
  aws::EcsTasks ecs(client_);
  // ListTasks filters by the service's name; the stack knows the service by its ARN (.../<cluster>/<name>).
  const std::string service_name =
      service_.substr(service_.rfind('/') == std::string::npos ? 0 : service_.rfind('/') + 1);
  auto arns = ecs.list_tasks(cluster_, service_name, "STOPPED");
  if (!arns) return blind(arns.error());
  if (arns->empty()) return {};
  auto tasks = ecs.describe_tasks(cluster_, *arns);
  if (!tasks) return blind(tasks.error());
  auto step = decide_.observe(*tasks, stack_name_);
  for (const auto& task : step.new_failures) {
    for (const auto& line : describe_stopped_task(task)) out_ << "  " << line << "\n";
    print_last_log_lines(task);
  }
  out_.flush();
  if (step.stop) return *step.stop;
  return {};
}

}  // namespace bw::deploy
