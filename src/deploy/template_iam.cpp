// deploy/template_iam.cpp: the task execution role and the least-privilege task role.
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy::detail {
namespace {

namespace json = boost::json;

json::array strings(std::initializer_list<std::string_view> items) {
  json::array out;
  for (auto s : items) out.emplace_back(s);
  return out;
}

json::object statement(std::string_view sid, json::array actions, json::value resource_value) {
  return json::object{{"Sid", sid},
                      {"Effect", "Allow"},
                      {"Action", std::move(actions)},
                      {"Resource", std::move(resource_value)}};
}

json::object statement(std::string_view sid, json::array actions, std::string_view resource_arn) {
  return statement(sid, std::move(actions), json::value(resource_arn));
}

json::object role(std::string_view description, json::object trust_statement, std::string_view policy_name,
                  json::array statements) {
  return resource(
      "AWS::IAM::Role",
      {{"Description", description},
       {"AssumeRolePolicyDocument",
        json::object{{"Version", kPolicyVersion}, {"Statement", json::array{std::move(trust_statement)}}}},
       {"Policies",
        json::array{json::object{{"PolicyName", policy_name},
                                 {"PolicyDocument", json::object{{"Version", kPolicyVersion},
                                                                 {"Statement", std::move(statements)}}}}}}});
}

json::object ecs_tasks_trust() {
  return json::object{{"Effect", "Allow"},
                      {"Principal", json::object{{"Service", "ecs-tasks.amazonaws.com"}}},
                      {"Action", "sts:AssumeRole"}};
}

}  // namespace

void add_roles(json::object& resources, const TemplateOptions& o) {
  // Execution role: what ECS itself needs to start the container (pull the image, ship its logs).
  json::array exec;
  exec.push_back(statement("WriteContainerLogs", strings({"logs:CreateLogStream", "logs:PutLogEvents"}),
                           cfn_get_att(kLogGroup, "Arn")));
  if (auto repo = ecr_repository_arn(o.image_uri)) {
    exec.push_back(statement(
        "PullImage",
        strings({"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}),
        *repo));
    // GetAuthorizationToken is account-wide: AWS offers no resource to scope it to.
    exec.push_back(
        statement("GetRegistryToken", strings({"ecr:GetAuthorizationToken"}), std::string_view("*")));
  }
  resources[kExecutionRole] = role("benchling-webhook: ECS pulls the image and writes container logs",
                                   ecs_tasks_trust(), "benchling-webhook-execution", std::move(exec));

  // Task role: what the service calls, each on exactly its resource.
  const auto& stack = o.quilt_stack;
  const std::string bucket_arn = "arn:aws:s3:::" + o.user_bucket;
  const std::string glue_prefix = "arn:aws:glue:" + stack.region + ":" + stack.account + ":";
  json::array task;
  task.push_back(statement("ReadQuiltStack", strings({"cloudformation:DescribeStacks"}), stack.arn));
  task.push_back(statement("ReadBenchlingSecret", strings({"secretsmanager:GetSecretValue"}),
                           secret_resource_arn(o.secret, stack)));
  task.push_back(statement("ReadWriteUserBucketObjects",
                           strings({"s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"}),
                           bucket_arn + "/*"));
  task.push_back(statement("ListUserBucket", strings({"s3:ListBucket", "s3:GetBucketLocation"}), bucket_arn));
  task.push_back(statement("SendToPackagerQueue",
                           strings({"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}),
                           o.packager_queue_arn));
  task.push_back(
      statement("UseWorkQueue",
                strings({"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                         "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}),
                json::array{cfn_get_att(kWorkQueue, "Arn"), cfn_get_att(kCanvasQueue, "Arn")}));
  task.push_back(statement("ConsumePackageEvents",
                           strings({"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                                    "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}),
                           cfn_get_att(kEventsQueue, "Arn")));
  // A job failing permanently, or on its last receive, is moved to its dead-letter queue by the service
  // itself, with its last error as a message attribute (SQS's own move cannot record one).
  task.push_back(statement("MoveToDeadLetterQueues", strings({"sqs:SendMessage"}),
                           json::array{cfn_get_att(kDeadLetterQueue, "Arn"),
                                       cfn_get_att(kEventsDeadLetterQueue, "Arn")}));
  // Linked-package searches: in the Quilt stack's workgroup when it exports one, else in ours; both are
  // granted so that the service keeps working when the stack starts or stops exporting it. Never
  // "primary" (no result location on a fresh account).
  const std::string athena_prefix = "arn:aws:athena:" + stack.region + ":" + stack.account + ":workgroup/";
  json::array workgroups{athena_prefix + service_workgroup(o)};
  if (!o.user_athena_workgroup.empty()) workgroups.emplace_back(athena_prefix + o.user_athena_workgroup);
  task.push_back(
      statement("QueryAthena",
                strings({"athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
                         "athena:StopQueryExecution", "athena:GetWorkGroup"}),
                std::move(workgroups)));
  // The packages view lives in UserAthenaDatabaseName; Quilt 1.70+ keeps the per-bucket Iceberg package
  // tables in IcebergDatabaseName.
  json::array glue{glue_prefix + "catalog", glue_prefix + "database/" + o.athena_database,
                   glue_prefix + "table/" + o.athena_database + "/*"};
  if (!o.iceberg_database.empty()) {
    glue.emplace_back(glue_prefix + "database/" + o.iceberg_database);
    glue.emplace_back(glue_prefix + "table/" + o.iceberg_database + "/*");
  }
  task.push_back(
      statement("ReadQuiltDatabase",
                strings({"glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"}),
                std::move(glue)));

  if (!o.kms_key_arns.empty()) {
    json::array keys;
    for (const auto& arn : o.kms_key_arns) keys.emplace_back(arn);
    task.push_back(statement("UseCustomerManagedKeys", strings({"kms:Decrypt", "kms:GenerateDataKey"}),
                             std::move(keys)));
  }

  // Only ECS tasks of this account may assume the role (confused-deputy guard).
  auto trust = ecs_tasks_trust();
  trust["Condition"] =
      json::object{{"StringEquals", json::object{{"aws:SourceAccount", cfn_ref("AWS::AccountId")}}}};
  resources[kTaskRole] = role("benchling-webhook: what the service itself calls, each on its own resource",
                              std::move(trust), "benchling-webhook-task", std::move(task));
}

}  // namespace bw::deploy::detail
