// deploy/template.hpp: the CloudFormation template of one benchling-webhook deployment, as pure data.
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/secret_ref.hpp"
#include "config/stack_arn.hpp"
#include "core/error.hpp"

namespace bw::deploy {

//! Alarms, API access logs and throttling (template_alarms.cpp).
struct MonitoringOptions {
  std::string alarm_topic_arn;        //!< --alarm-topic-arn: an existing SNS topic the alarms notify
  std::string alarm_email;            //!< --alarm-email: a topic with this email subscription is created
  int oldest_job_alarm_minutes = 60;  //!< --oldest-job-alarm-minutes: age of the oldest work-queue message
  int api_burst_limit = 200;          //!< --api-burst-limit: the stage's throttling burst (requests)
  int api_rate_limit = 100;           //!< --api-rate-limit: the stage's steady rate (requests per second)
  //! Set the region's API Gateway CloudWatch Logs role (AWS::ApiGateway::Account with a role under
  //! /benchling-webhook/, retained on delete). The pre-flight decides (stack_sets_api_gateway_role).
  bool set_api_gateway_account = false;
};

//! Everything the template depends on. The program bakes these values in (no CFN Parameters) and
//! renders the template again on every deploy.
struct TemplateOptions {
  config::StackArn quilt_stack;  //!< parsed QuiltStackARN
  config::SecretRef secret;      //!< parsed BenchlingSecret; secret.value is passed to the container as given
  std::string image_uri;         //!< --image-uri (required)
  int cpu = 256;                 //!< --cpu: Fargate CPU units
  int memory_mib = 512;          //!< --memory: MiB, one of the sizes Fargate allows for `cpu`
  int desired_count = 2;         //!< --desired-count
  int min_tasks = 2;             //!< --min-tasks
  int max_tasks = 10;            //!< --max-tasks
  int cpu_target_percent = 70;   //!< --cpu-target: average CPU the autoscaling policy tracks
  //! --workers-per-task: export jobs one task runs at once. They wait on Benchling, not on CPU, which is
  //! why the service also scales on backlog.
  int workers_per_task = 4;
  int canvas_workers_per_task = 2;  //!< --canvas-workers-per-task: canvas-queue workers per task
  //! --backlog-per-task: waiting work-queue messages per running task the backlog policy holds; 0 means
  //! workers_per_task (one more round of jobs per task).
  int backlog_per_task = 0;
  int log_retention_days = 30;  //!< --log-retention-days: a value CloudWatch Logs accepts
  // From the resolved configuration (the secret and the Quilt stack outputs):
  std::string user_bucket;  //!< the secret's user_bucket
  std::string
      packager_queue_arn;  //!< the packager queue's ARN (given by the Quilt stack or derived from its URL)
  std::string athena_database;        //!< Quilt output UserAthenaDatabaseName
  std::string iceberg_database;       //!< Quilt output IcebergDatabaseName; "" when the stack has none
  std::string user_athena_workgroup;  //!< Quilt output UserAthenaWorkgroupName; "" when the stack has none
  std::string webhook_allow_list;     //!< the secret's comma-separated value; empty = any source
  //! Customer-managed KMS keys behind the secret, the user bucket and the packager queue (the pre-flight
  //! finds them): the task role may Decrypt and GenerateDataKey with exactly these.
  std::vector<std::string> kms_key_arns;
  // Network. vpc_id empty: the template creates a VPC with CIDR vpc_cidr, two public subnets in the
  // region's first two AZs and an internet gateway; tasks get a public IP for egress. Otherwise the
  // given VPC and subnets (at least 2), whose CIDR blocks the tasks' security group admits on 8080.
  std::string vpc_id;                    //!< --vpc-id
  std::vector<std::string> subnet_ids;   //!< --subnet-ids
  std::string vpc_cidr = "10.0.0.0/16";  //!< --vpc-cidr: the created VPC's block (unused with --vpc-id)
  //! With --vpc-id: the VPC's IPv4 blocks as EC2 reports them (the pre-flight reads them), each admitted by
  //! the tasks' security group, so a VPC with secondary blocks works and no CIDR has to be typed.
  std::vector<std::string> vpc_cidr_blocks;
  std::optional<bool> assign_public_ip;  //!< --assign-public-ip; default: true without --vpc-id
  MonitoringOptions monitoring;
};

//! Container port, NLB target port and the PORT the container is given.
inline constexpr int kContainerPort = 8080;
//! The API Gateway stage; WebhookEndpoint ends in "/prod".
inline constexpr const char* kStageName = "prod";
//! CreateChangeSet's TemplateBody limit in bytes.
inline constexpr std::size_t kMaxTemplateBodyBytes = 51200;

//! Checks every option. Errors name the flag or the source of the value and what is allowed:
//! kInvalidArgument for flags (--image-uri, --cpu, --memory, --desired-count, --min-tasks, --max-tasks,
//! --cpu-target, --log-retention-days, --vpc-id, --subnet-ids, --vpc-cidr, --assign-public-ip,
//! --alarm-topic-arn, --alarm-email, --oldest-job-alarm-minutes, --api-burst-limit, --api-rate-limit,
//! --quilt-stack-arn, --benchling-secret), kInvalidSecret for the secret's user_bucket and
//! webhook_allow_list, kInvalidConfig for the Quilt stack's packager queue, UserAthenaDatabaseName,
//! IcebergDatabaseName and UserAthenaWorkgroupName.
core::Result<void> validate_options(const TemplateOptions& options);

//! validate_options without the values resolved from AWS: what the command line alone decides, checked
//! before any AWS call.
core::Result<void> validate_flags(const TemplateOptions& options);

//! The template (validate_options first). Deterministic: the same options give the same JSON, and the
//! API Deployment's logical id is "Deployment" + 8 hex digits of a hash of the API's policy and
//! integration, so it changes exactly when those do (CloudFormation never redeploys an unchanged
//! Deployment). It creates the Athena workgroup "benchling-webhook-<h>" (managed query results); the
//! task role may query in it and in UserAthenaWorkgroupName (when given), and read the Glue tables of
//! UserAthenaDatabaseName and IcebergDatabaseName (when given). Outputs: WebhookEndpoint (no trailing slash),
//! LogGroupName, WorkQueueUrl, DeadLetterQueueUrl, EventsQueueUrl, ClusterName, ServiceArn, ServiceName,
//! ApiId, TargetGroupArn, TemplateVersion; EventsDeadLetterQueueUrl, AlarmNamePrefix, ApiAccessLogGroupName,
//! AlarmTopicArn (with a recipient) from template_alarms.cpp; DeployedSettings and DeployCommand from
//! template_settings.cpp.
core::Result<boost::json::object> render_template(const TemplateOptions& options);

//! Fargate's memory sizes (MiB) for a CPU value; empty for a CPU value Fargate does not offer.
std::vector<int> fargate_memory_sizes(int cpu);

//! The IAM resource for GetSecretValue on the secret: a full ARN as is; a name or partial ARN as
//! arn:aws:secretsmanager:<region>:<account>:secret:<name>-?????? (the ARN's region/account, else the
//! Quilt stack's).
std::string secret_resource_arn(const config::SecretRef& secret, const config::StackArn& stack);

//! "arn:aws:ecr:<region>:<account>:repository/<repo>" for an ECR image URI
//! (<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]); nullopt for any other registry.
std::optional<std::string> ecr_repository_arn(std::string_view image_uri);

}  // namespace bw::deploy
