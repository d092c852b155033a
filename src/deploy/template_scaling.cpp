// deploy/template_scaling.cpp: autoscaling on CPU and on the work queue's backlog per task.
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy::detail {

namespace json = boost::json;

namespace {

json::object metric(std::string_view id, std::string_view name_space, std::string_view name,
                    json::array dimensions, std::string_view stat) {
  return json::object{
      {"Id", id},
      {"ReturnData", false},
      {"MetricStat", json::object{{"Metric", json::object{{"Namespace", name_space},
                                                          {"MetricName", name},
                                                          {"Dimensions", std::move(dimensions)}}},
                                  {"Stat", stat}}}};
}

json::object dimension(std::string_view name, json::value value) {
  return json::object{{"Name", name}, {"Value", std::move(value)}};
}

json::object target_tracking(std::string_view name, json::object configuration) {
  configuration["ScaleInCooldown"] = 300;
  configuration["ScaleOutCooldown"] = 60;
  return resource("AWS::ApplicationAutoScaling::ScalingPolicy",
                  {{"PolicyName", name},
                   {"PolicyType", "TargetTrackingScaling"},
                   {"ScalingTargetId", cfn_ref(kScalableTarget)},
                   {"TargetTrackingScalingPolicyConfiguration", std::move(configuration)}});
}

}  // namespace

void add_autoscaling(json::object& resources, const TemplateOptions& o) {
  resources[kScalableTarget] =
      resource("AWS::ApplicationAutoScaling::ScalableTarget",
               {{"ServiceNamespace", "ecs"},
                {"ScalableDimension", "ecs:service:DesiredCount"},
                {"ResourceId", cfn_sub(std::string("service/${") + kCluster + "}/${" + kService + ".Name}")},
                {"MinCapacity", o.min_tasks},
                {"MaxCapacity", o.max_tasks}});
  resources[kCpuScalingPolicy] = target_tracking(
      "benchling-webhook-cpu", {{"PredefinedMetricSpecification",
                                 json::object{{"PredefinedMetricType", "ECSServiceAverageCPUUtilization"}}},
                                {"TargetValue", o.cpu_target_percent}});

  // Exports wait on Benchling with the CPU idle, so CPU alone never sees a backlog. Application Auto Scaling
  // scales out when either policy asks and in only when both allow it. RunningTaskCount comes from
  // Container Insights, which the cluster enables.
  json::array metrics{
      metric("visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             json::array{dimension("QueueName", cfn_get_att(kWorkQueue, "QueueName"))}, "Sum"),
      metric("tasks", "ECS/ContainerInsights", "RunningTaskCount",
             json::array{dimension("ClusterName", cfn_ref(kCluster)),
                         dimension("ServiceName", cfn_get_att(kService, "Name"))},
             "Average"),
      json::object{{"Id", "backlog"},
                   {"Label", "work-queue backlog per task"},
                   {"Expression", "visible / tasks"},
                   {"ReturnData", true}},
  };
  resources[kBacklogScalingPolicy] =
      target_tracking("benchling-webhook-backlog",
                      {{"CustomizedMetricSpecification", json::object{{"Metrics", std::move(metrics)}}},
                       {"TargetValue", o.backlog_per_task > 0 ? o.backlog_per_task : o.workers_per_task}});
}

}  // namespace bw::deploy::detail
