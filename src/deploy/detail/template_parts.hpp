// deploy/detail/template_parts.hpp: the pieces render_template() assembles (private to deploy).
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "deploy/template.hpp"

namespace bw::deploy::detail {

// Logical ids other parts refer to.
inline constexpr const char* kVpc = "Vpc";
inline constexpr const char* kGatewayAttachment = "VpcGatewayAttachment";
inline constexpr const char* kDefaultRoute = "PublicDefaultRoute";
inline constexpr const char* kTaskSecurityGroup = "TaskSecurityGroup";
inline constexpr const char* kLoadBalancer = "LoadBalancer";
inline constexpr const char* kTargetGroup = "TargetGroup";
inline constexpr const char* kListener = "Listener";
inline constexpr const char* kVpcLink = "VpcLink";
inline constexpr const char* kApi = "Api";
inline constexpr const char* kProxyResource = "ProxyResource";
inline constexpr const char* kProxyMethod = "ProxyMethod";
inline constexpr const char* kStage = "Stage";
inline constexpr const char* kCluster = "Cluster";
inline constexpr const char* kLogGroup = "LogGroup";
inline constexpr const char* kExecutionRole = "ExecutionRole";
inline constexpr const char* kTaskRole = "TaskRole";
inline constexpr const char* kTaskDefinition = "TaskDefinition";
inline constexpr const char* kService = "Service";
inline constexpr const char* kScalableTarget = "ScalableTarget";
inline constexpr const char* kCpuScalingPolicy = "CpuScalingPolicy";
inline constexpr const char* kBacklogScalingPolicy = "BacklogScalingPolicy";
inline constexpr const char* kWorkQueue = "WorkQueue";
inline constexpr const char* kCanvasQueue = "CanvasQueue";
inline constexpr const char* kDeadLetterQueue = "DeadLetterQueue";
inline constexpr const char* kEventsQueue = "EventsQueue";
inline constexpr const char* kEventsDeadLetterQueue = "EventsDeadLetterQueue";
inline constexpr const char* kEventsQueuePolicy = "EventsQueuePolicy";
inline constexpr const char* kPackageEventsRule = "PackageEventsRule";
inline constexpr const char* kAthenaWorkGroup = "AthenaWorkGroup";

inline constexpr const char* kContainerName = "benchling-webhook";
inline constexpr const char* kPolicyVersion = "2012-10-17";

// Intrinsic functions.
boost::json::value cfn_ref(std::string_view logical_id);
boost::json::value cfn_get_att(std::string_view logical_id, std::string_view attribute);
boost::json::value cfn_sub(std::string_view text);
boost::json::object resource(std::string_view type, boost::json::object properties);

//! The network the service runs in, as template values.
struct Network {
  boost::json::value vpc_id;   //!< Ref Vpc or the given id
  boost::json::array subnets;  //!< Refs to the created subnets or the given ids
  bool assign_public_ip = false;
  //! Resources the ECS service must wait for (the created VPC's default route and associations).
  std::vector<std::string> service_depends_on;
};

//! VPC (when options.vpc_id is empty), the tasks' security group, the internal NLB, its target group
//! and listener.
Network add_network(boost::json::object& resources, const TemplateOptions& options,
                    std::string_view deployment);

//! VPC link, REST API with its resource policy, {proxy+} ANY method, deployment and `prod` stage.
//! Returns the deployment's logical id.
std::string add_api(boost::json::object& resources, const std::vector<std::string>& allow_list,
                    std::string_view deployment_name);

//! "benchling-webhook-<h>": the workgroup add_athena_workgroup creates (config::service_workgroup_name).
std::string service_workgroup(const TemplateOptions& options);

//! The Athena workgroup with managed query results that linked-package searches use when the Quilt
//! stack exports no UserAthenaWorkgroupName.
void add_athena_workgroup(boost::json::object& resources, const TemplateOptions& options);

//! The scalable target with two target-tracking policies: average CPU, and backlog per task (the work
//! queue's visible messages / running tasks).
void add_autoscaling(boost::json::object& resources, const TemplateOptions& options);

//! The task execution role and the least-privilege task role.
void add_roles(boost::json::object& resources, const TemplateOptions& options);

}  // namespace bw::deploy::detail

namespace bw::deploy::detail {

//! The monitoring flags (--alarm-topic-arn, --alarm-email, --oldest-job-alarm-minutes, --api-burst-limit,
//! --api-rate-limit): kInvalidArgument naming the flag.
core::Result<void> validate_monitoring(const TemplateOptions& options);

//! "benchling-webhook-<h>-" (config::deployment_name + "-"): the names of the stack's alarms start with it.
std::string alarm_name_prefix(std::string_view deployment);

//! Alarms (both dead-letter queues, unhealthy NLB targets, API 5xx, the oldest work-queue message) with
//! their SNS topic, the API stage's access log group and throttling, and the region's API Gateway
//! CloudWatch Logs role; after add_api and add_queues. Adds the outputs EventsDeadLetterQueueUrl,
//! AlarmNamePrefix, ApiAccessLogGroupName and (with a recipient) AlarmTopicArn.
void add_monitoring(boost::json::object& resources, boost::json::object& outputs,
                    const TemplateOptions& options, std::string_view deployment);

}  // namespace bw::deploy::detail

namespace bw::deploy::detail {

//! The outputs DeployedSettings and DeployCommand (template_settings.cpp).
void add_deployed_settings(boost::json::object& outputs, const TemplateOptions& options);

}  // namespace bw::deploy::detail
