#include "deploy/template.hpp"

#include <gtest/gtest.h>

#include "config/athena_workgroup.hpp"

#include <boost/json.hpp>

#include <set>
#include <string>

#include "config/secret_ref.hpp"
#include "config/stack_arn.hpp"

namespace bw::deploy {
namespace {

namespace json = boost::json;

constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
constexpr const char* kPackagerQueue = "arn:aws:sqs:us-east-1:123456789012:quilt-prod-PackagerQueue-AbC123";
constexpr const char* kImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/benchling-webhook:0.1.0";

TemplateOptions options(std::string_view secret = "benchling/creds") {
  TemplateOptions o;
  o.quilt_stack = config::parse_stack_arn(kStackArn).value();
  o.secret = config::parse_secret_ref(secret, o.quilt_stack.region).value();
  o.image_uri = kImage;
  o.user_bucket = "acme-benchling";
  o.packager_queue_arn = kPackagerQueue;
  o.athena_database = "userathenadatabase-x1y2";
  return o;
}

TemplateOptions existing_vpc_options() {
  auto o = options();
  o.vpc_id = "vpc-0123456789abcdef0";
  o.subnet_ids = {"subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"};
  o.vpc_cidr_blocks = {"172.31.0.0/16"};  // what the pre-flight read from EC2
  return o;
}

json::object render(const TemplateOptions& o) {
  auto r = render_template(o);
  EXPECT_TRUE(r) << (r ? "" : r.error().to_text());
  return r ? *r : json::object{};
}

const json::object& resources(const json::object& t) {
  return t.at("Resources").as_object();
}

const json::object& props(const json::object& t, std::string_view id) {
  return resources(t).at(id).at("Properties").as_object();
}

std::vector<std::string> ids_of_type(const json::object& t, std::string_view type) {
  std::vector<std::string> out;
  for (const auto& [id, r] : resources(t)) {
    if (r.at("Type").as_string() == type) out.emplace_back(id);
  }
  return out;
}

std::string deployment_id(const json::object& t) {
  const auto ids = ids_of_type(t, "AWS::ApiGateway::Deployment");
  EXPECT_EQ(ids.size(), 1u);
  return ids.empty() ? "" : ids[0];
}

const json::array& task_statements(const json::object& t) {
  return props(t, "TaskRole").at("Policies").at(0).at("PolicyDocument").at("Statement").as_array();
}

const json::object& statement(const json::object& t, std::string_view sid) {
  for (const auto& s : task_statements(t)) {
    if (s.at("Sid").as_string() == sid) return s.as_object();
  }
  ADD_FAILURE() << "no statement " << sid;
  static const json::object kEmpty;
  return kEmpty;
}

json::value get_att(std::string_view id, std::string_view attr) {
  return json::object{{"Fn::GetAtt", json::array{id, attr}}};
}

json::object container(const json::object& t) {
  return props(t, "TaskDefinition").at("ContainerDefinitions").at(0).as_object();
}

std::string flag_of(const core::Error& e) {
  for (const auto& [k, v] : e.details) {
    if (k == "flag") return v;
  }
  return "";
}

// --- the container -----------------------------------------------------------------------------

TEST(Template, ContainerEnvironmentIsExactlyTheTwoSettingsAndPort) {
  auto o = options("arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-AbC123");
  const auto t = render(o);
  const auto& container = props(t, "TaskDefinition").at("ContainerDefinitions").at(0).as_object();
  EXPECT_EQ(
      container.at("Environment"),
      json::parse(R"([{"Name":"QuiltStackARN","Value":")" + std::string(kStackArn) +
                  R"("},{"Name":"BenchlingSecret","Value":"arn:aws:secretsmanager:us-east-1:123456789012:)"
                  R"(secret:benchling/creds-AbC123"},{"Name":"PORT","Value":"8080"}])"));
  EXPECT_FALSE(container.contains("Secrets"));
  EXPECT_EQ(props(t, "TaskDefinition").at("ContainerDefinitions").as_array().size(), 1u);
}

TEST(Template, ContainerRunsAsNonRootOnAReadOnlyRootWithTmpAndLiveHealthCheck) {
  const auto t = render(options());
  const auto& td = props(t, "TaskDefinition");
  const auto& c = td.at("ContainerDefinitions").at(0).as_object();
  EXPECT_EQ(c.at("User"), "1000:1000");
  EXPECT_EQ(c.at("ReadonlyRootFilesystem"), true);
  EXPECT_EQ(c.at("MountPoints").at(0).at("ContainerPath"), "/tmp");
  EXPECT_EQ(td.at("Volumes"), json::parse(R"([{"Name":"tmp"}])"));
  const auto& command = c.at("HealthCheck").at("Command").as_array();
  EXPECT_EQ(command.back(), "http://127.0.0.1:8080/health/live");
  EXPECT_EQ(c.at("PortMappings").at(0).at("ContainerPort"), 8080);
  EXPECT_EQ(td.at("Cpu"), "256");
  EXPECT_EQ(td.at("Memory"), "512");
  EXPECT_EQ(td.at("Family"), "benchling-webhook-7060b1a38f95a5ac");
}

TEST(Template, CpuAndMemoryOptionsReachTheTaskDefinition) {
  auto o = options();
  o.cpu = 1024;
  o.memory_mib = 3072;
  const auto t = render(o);
  EXPECT_EQ(props(t, "TaskDefinition").at("Cpu"), "1024");
  EXPECT_EQ(props(t, "TaskDefinition").at("Memory"), "3072");
}

// --- IAM -----------------------------------------------------------------------------------------

TEST(Template, TaskRoleNamesEveryResourceAndNeverStar) {
  const auto t = render(options());
  const auto text = json::serialize(props(t, "TaskRole"));
  EXPECT_EQ(text.find("\"*\""), std::string::npos) << text;
  for (const auto& s : task_statements(t)) {
    const auto& r = s.at("Resource");
    if (r.is_string()) {
      EXPECT_NE(r.as_string(), "*");
    }
  }
  EXPECT_EQ(statement(t, "ReadQuiltStack").at("Resource"), kStackArn);
  EXPECT_EQ(statement(t, "ReadQuiltStack").at("Action"), json::array{"cloudformation:DescribeStacks"});
  EXPECT_EQ(statement(t, "ReadWriteUserBucketObjects").at("Resource"), "arn:aws:s3:::acme-benchling/*");
  EXPECT_EQ(statement(t, "ListUserBucket").at("Resource"), "arn:aws:s3:::acme-benchling");
  EXPECT_EQ(statement(t, "SendToPackagerQueue").at("Resource"), kPackagerQueue);
  EXPECT_EQ(statement(t, "UseWorkQueue").at("Resource"),
            (json::array{get_att("WorkQueue", "Arn"), get_att("CanvasQueue", "Arn")}));
  EXPECT_EQ(statement(t, "ConsumePackageEvents").at("Resource"), get_att("EventsQueue", "Arn"));
  EXPECT_EQ(statement(t, "QueryAthena").at("Resource"),
            json::array{"arn:aws:athena:us-east-1:123456789012:workgroup/" +
                        config::service_workgroup_name(kStackArn, options().secret.value)});
  EXPECT_EQ(statement(t, "ReadQuiltDatabase").at("Resource"),
            json::parse(R"(["arn:aws:glue:us-east-1:123456789012:catalog",)"
                        R"("arn:aws:glue:us-east-1:123456789012:database/userathenadatabase-x1y2",)"
                        R"("arn:aws:glue:us-east-1:123456789012:table/userathenadatabase-x1y2/*"])"));
}

TEST(Template, TheTaskMayOnlySendToTheDeadLetterQueues) {
  const auto t = render(options());
  EXPECT_EQ(statement(t, "MoveToDeadLetterQueues").at("Action"), json::array{"sqs:SendMessage"});
  EXPECT_EQ(statement(t, "MoveToDeadLetterQueues").at("Resource"),
            (json::array{get_att("DeadLetterQueue", "Arn"), get_att("EventsDeadLetterQueue", "Arn")}));
}

TEST(Template, EventsQueueCannotBeWrittenByTheTask) {
  const auto t = render(options());
  const auto actions = json::serialize(statement(t, "ConsumePackageEvents").at("Action"));
  EXPECT_EQ(actions.find("SendMessage"), std::string::npos);
}

TEST(Template, SecretByNameIsScopedToTheStackRegionAndAccountWithSuffixWildcard) {
  const auto t = render(options("benchling/creds"));
  EXPECT_EQ(statement(t, "ReadBenchlingSecret").at("Resource"),
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-??????");
  EXPECT_EQ(statement(t, "ReadBenchlingSecret").at("Action"), json::array{"secretsmanager:GetSecretValue"});
}

TEST(Template, SecretByFullArnIsUsedAsIs) {
  const std::string arn = "arn:aws:secretsmanager:us-west-2:210987654321:secret:benchling/creds-AbC123";
  const auto t = render(options(arn));
  EXPECT_EQ(statement(t, "ReadBenchlingSecret").at("Resource"), json::value(arn));
}

TEST(Template, SecretByPartialArnUsesItsOwnRegionAndAccount) {
  const auto t = render(options("arn:aws:secretsmanager:us-west-2:210987654321:secret:benchling/creds"));
  EXPECT_EQ(statement(t, "ReadBenchlingSecret").at("Resource"),
            "arn:aws:secretsmanager:us-west-2:210987654321:secret:benchling/creds-??????");
}

TEST(Template, EcrImageGetsRepositoryScopedPullStatements) {
  const auto t = render(options());
  const auto& stmts =
      props(t, "ExecutionRole").at("Policies").at(0).at("PolicyDocument").at("Statement").as_array();
  ASSERT_EQ(stmts.size(), 3u);
  EXPECT_EQ(stmts[0].at("Resource"), get_att("LogGroup", "Arn"));
  EXPECT_EQ(stmts[1].at("Resource"), "arn:aws:ecr:us-east-1:123456789012:repository/benchling-webhook");
  EXPECT_EQ(stmts[2].at("Action"), json::array{"ecr:GetAuthorizationToken"});
}

TEST(Template, OtherRegistriesGetNoEcrStatements) {
  auto o = options();
  o.image_uri = "ghcr.io/quiltdata/benchling-webhook@sha256:0123456789abcdef";
  const auto t = render(o);
  const auto text = json::serialize(props(t, "ExecutionRole"));
  EXPECT_EQ(text.find("ecr:"), std::string::npos);
}

TEST(Template, EcrRepositoryArnFromImageUri) {
  EXPECT_EQ(ecr_repository_arn("712023778557.dkr.ecr.us-east-1.amazonaws.com/quiltdata/benchling:latest"),
            "arn:aws:ecr:us-east-1:712023778557:repository/quiltdata/benchling");
  EXPECT_EQ(ecr_repository_arn("712023778557.dkr.ecr.eu-west-1.amazonaws.com/bw@sha256:abc"),
            "arn:aws:ecr:eu-west-1:712023778557:repository/bw");
  EXPECT_EQ(ecr_repository_arn("712023778557.dkr.ecr.eu-west-1.amazonaws.com/bw"),
            "arn:aws:ecr:eu-west-1:712023778557:repository/bw");
  EXPECT_EQ(ecr_repository_arn("docker.io/library/busybox:1"), std::nullopt);
  EXPECT_EQ(ecr_repository_arn("public.ecr.aws/quilt/bw:1"), std::nullopt);
  EXPECT_EQ(ecr_repository_arn("busybox"), std::nullopt);
}

// --- API -----------------------------------------------------------------------------------------

TEST(Template, EmptyAllowListGivesAnUnconditionalPolicy) {
  const auto t = render(options());
  const auto& stmt = props(t, "Api").at("Policy").at("Statement").at(0).as_object();
  EXPECT_EQ(stmt.at("Action"), "execute-api:Invoke");
  EXPECT_EQ(stmt.at("Resource"), "execute-api:/*");
  EXPECT_FALSE(stmt.contains("Condition"));
}

TEST(Template, OperatorViewsAreDeniedThroughThePublicApiButWebhooksAndHealthAreNot) {
  const auto t = render(options());
  const auto& statements = props(t, "Api").at("Policy").at("Statement").as_array();
  ASSERT_EQ(statements.size(), 2u);
  const auto& deny = statements.at(1).as_object();
  EXPECT_EQ(deny.at("Effect"), "Deny");
  EXPECT_EQ(deny.at("Resource"), json::parse(R"(["execute-api:/*/GET/config","execute-api:/*/GET/metrics",
                                                   "execute-api:/*/GET/health/secrets"])"));
  const std::string text = json::serialize(deny);
  EXPECT_EQ(text.find("POST"), std::string::npos);
  EXPECT_EQ(text.find("GET/health\""), std::string::npos);
}

TEST(Template, AllowListBecomesASourceIpCondition) {
  auto o = options();
  o.webhook_allow_list = " 203.0.113.0/24, 198.51.100.7 ,2001:db8::/32";
  const auto t = render(o);
  const auto& stmt = props(t, "Api").at("Policy").at("Statement").at(0).as_object();
  EXPECT_EQ(
      stmt.at("Condition"),
      json::parse(R"({"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.7","2001:db8::/32"]}})"));
}

TEST(Template, InvalidAllowListIsASecretError) {
  auto o = options();
  o.webhook_allow_list = "203.0.113.0/24,300.1.1.1";
  auto r = render_template(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidSecret);
  EXPECT_EQ(r.error().message, "Invalid webhook_allow_list entry '300.1.1.1'");
}

TEST(Template, DeploymentIdChangesWithTheAllowListOnly) {
  const auto base = deployment_id(render(options()));
  EXPECT_EQ(base.size(), std::string("Deployment").size() + 8);
  EXPECT_EQ(deployment_id(render(options())), base);

  auto other = options();
  other.image_uri = "ghcr.io/acme/bw:2";
  other.cpu = 512;
  other.memory_mib = 1024;
  other.desired_count = 3;
  EXPECT_EQ(deployment_id(render(other)), base);

  auto listed = options();
  listed.webhook_allow_list = "203.0.113.0/24";
  const auto with_list = deployment_id(render(listed));
  EXPECT_NE(with_list, base);
  listed.webhook_allow_list = "203.0.113.0/25";
  EXPECT_NE(deployment_id(render(listed)), with_list);
}

TEST(Template, StageProdDeploysTheCurrentDeployment) {
  const auto t = render(options());
  const auto& stage = props(t, "Stage");
  EXPECT_EQ(stage.at("StageName"), "prod");
  EXPECT_EQ(stage.at("DeploymentId"), json::parse(R"({"Ref":")" + deployment_id(t) + R"("})"));
  EXPECT_EQ(resources(t).at(deployment_id(t)).at("DependsOn"), json::array{"ProxyMethod"});
  EXPECT_TRUE(ids_of_type(t, "AWS::ApiGateway::Account").empty());
}

TEST(Template, ProxyMethodForwardsThePathOverTheVpcLink) {
  const auto t = render(options());
  EXPECT_EQ(props(t, "ProxyResource").at("PathPart"), "{proxy+}");
  const auto& m = props(t, "ProxyMethod");
  EXPECT_EQ(m.at("HttpMethod"), "ANY");
  const auto& i = m.at("Integration").as_object();
  EXPECT_EQ(i.at("Type"), "HTTP_PROXY");
  EXPECT_EQ(i.at("ConnectionType"), "VPC_LINK");
  EXPECT_EQ(i.at("TimeoutInMillis"), 29000);
  EXPECT_EQ(i.at("Uri"), json::parse(R"({"Fn::Sub":"http://${LoadBalancer.DNSName}/{proxy}"})"));
  EXPECT_EQ(i.at("RequestParameters"),
            json::parse(R"({"integration.request.path.proxy":"method.request.path.proxy"})"));
  EXPECT_EQ(props(t, "Api").at("EndpointConfiguration"), json::parse(R"({"Types":["REGIONAL"]})"));
}

// --- service, queues, events ----------------------------------------------------------------------

TEST(Template, ServiceRollsBackOnAFailedDeploymentAndScalesOnCpu) {
  auto o = options();
  o.min_tasks = 3;
  o.desired_count = 4;
  o.max_tasks = 7;
  o.cpu_target_percent = 55;
  const auto t = render(o);
  const auto& svc = props(t, "Service");
  EXPECT_EQ(svc.at("DesiredCount"), 4);
  EXPECT_EQ(svc.at("DeploymentConfiguration").at("DeploymentCircuitBreaker"),
            json::parse(R"({"Enable":true,"Rollback":true})"));
  EXPECT_EQ(svc.at("HealthCheckGracePeriodSeconds"), 60);
  EXPECT_FALSE(svc.contains("ServiceName"));  // generated names: several stacks per account
  const auto& depends = resources(t).at("Service").at("DependsOn").as_array();
  EXPECT_NE(std::find(depends.begin(), depends.end(), json::value("Listener")), depends.end());
  EXPECT_EQ(props(t, "ScalableTarget").at("MinCapacity"), 3);
  EXPECT_EQ(props(t, "ScalableTarget").at("MaxCapacity"), 7);
  const auto& policy = props(t, "CpuScalingPolicy").at("TargetTrackingScalingPolicyConfiguration");
  EXPECT_EQ(policy.at("TargetValue"), 55);
  EXPECT_EQ(policy.at("PredefinedMetricSpecification").at("PredefinedMetricType"),
            "ECSServiceAverageCPUUtilization");
}

TEST(Template, QueuesHaveTheNamesTheServiceDerives) {
  const auto o = options();
  const auto t = render(o);
  EXPECT_EQ(props(t, "WorkQueue").at("QueueName"), "benchling-webhook-7060b1a38f95a5ac.fifo");
  EXPECT_EQ(props(t, "DeadLetterQueue").at("QueueName"), "benchling-webhook-7060b1a38f95a5ac-dlq.fifo");
  EXPECT_EQ(props(t, "EventsQueue").at("QueueName"), "benchling-webhook-7060b1a38f95a5ac-events");
  EXPECT_EQ(props(t, "WorkQueue").at("FifoQueue"), true);
  EXPECT_EQ(props(t, "WorkQueue").at("ContentBasedDeduplication"), false);
  EXPECT_EQ(
      props(t, "WorkQueue").at("RedrivePolicy"),
      json::parse(R"({"deadLetterTargetArn":{"Fn::GetAtt":["DeadLetterQueue","Arn"]},"maxReceiveCount":5})"));
  EXPECT_EQ(props(t, "DeadLetterQueue").at("FifoQueue"), true);
  EXPECT_EQ(props(t, "DeadLetterQueue").at("MessageRetentionPeriod"), 1209600);
}

TEST(Template, CanvasViewsHaveTheirOwnFifoQueueSharingTheDeadLetterQueue) {
  const auto t = render(options());
  const auto& canvas = props(t, "CanvasQueue");
  EXPECT_EQ(canvas.at("QueueName"), "benchling-webhook-7060b1a38f95a5ac-canvas.fifo");
  EXPECT_EQ(canvas.at("FifoQueue"), true);
  EXPECT_EQ(canvas.at("ContentBasedDeduplication"), false);
  EXPECT_EQ(canvas.at("RedrivePolicy"), props(t, "WorkQueue").at("RedrivePolicy"));
  EXPECT_EQ(resources(t).at("CanvasQueue").at("DeletionPolicy"), "Delete");
  EXPECT_EQ(t.at("Outputs").at("CanvasQueueUrl").at("Value"), json::parse(R"({"Ref":"CanvasQueue"})"));
}

TEST(Template, WorkersPerTaskReachTheContainerCommand) {
  auto o = options();
  EXPECT_EQ(container(render(o)).at("Command"),
            json::parse(R"(["serve","--workers","4","--canvas-workers","2"])"));
  o.workers_per_task = 12;
  o.canvas_workers_per_task = 3;
  EXPECT_EQ(container(render(o)).at("Command"),
            json::parse(R"(["serve","--workers","12","--canvas-workers","3"])"));
}

TEST(Template, BacklogPerTaskPolicySitsBesideCpu) {
  auto o = options();
  o.workers_per_task = 6;
  auto t = render(o);
  const auto& policy = props(t, "BacklogScalingPolicy");
  EXPECT_EQ(policy.at("PolicyType"), "TargetTrackingScaling");
  EXPECT_EQ(policy.at("ScalingTargetId"), json::parse(R"({"Ref":"ScalableTarget"})"));
  const auto& config = policy.at("TargetTrackingScalingPolicyConfiguration");
  EXPECT_EQ(config.at("TargetValue"), 6);  // default: one more round of jobs per task
  const auto& metrics = config.at("CustomizedMetricSpecification").at("Metrics").as_array();
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[0].at("MetricStat").at("Metric"),
            json::parse(
                R"({"Namespace":"AWS/SQS","MetricName":"ApproximateNumberOfMessagesVisible",)"
                R"("Dimensions":[{"Name":"QueueName","Value":{"Fn::GetAtt":["WorkQueue","QueueName"]}}]})"));
  EXPECT_EQ(metrics[1].at("MetricStat").at("Metric"),
            json::parse(R"({"Namespace":"ECS/ContainerInsights","MetricName":"RunningTaskCount",)"
                        R"("Dimensions":[{"Name":"ClusterName","Value":{"Ref":"Cluster"}},)"
                        R"({"Name":"ServiceName","Value":{"Fn::GetAtt":["Service","Name"]}}]})"));
  EXPECT_EQ(metrics[2].at("Expression"), "visible / tasks");
  EXPECT_EQ(metrics[2].at("ReturnData"), true);
  EXPECT_EQ(metrics[0].at("ReturnData"), false);
  EXPECT_EQ(metrics[1].at("ReturnData"), false);
  // RunningTaskCount exists only with Container Insights on.
  EXPECT_EQ(props(t, "Cluster").at("ClusterSettings"),
            json::parse(R"([{"Name":"containerInsights","Value":"enabled"}])"));
  o.backlog_per_task = 20;
  t = render(o);
  EXPECT_EQ(props(t, "BacklogScalingPolicy").at("TargetTrackingScalingPolicyConfiguration").at("TargetValue"),
            20);
}

TEST(Template, PackageRevisionEventsReachTheEventsQueueFromTheRuleOnly) {
  const auto t = render(options());
  EXPECT_EQ(props(t, "PackageEventsRule").at("EventPattern"),
            json::parse(R"({"source":["com.quiltdata"],"detail-type":["package-revision"]})"));
  EXPECT_EQ(props(t, "PackageEventsRule").at("Targets").at(0).at("Arn"), get_att("EventsQueue", "Arn"));
  const auto& stmt = props(t, "EventsQueuePolicy").at("PolicyDocument").at("Statement").at(0);
  EXPECT_EQ(stmt.at("Principal"), json::parse(R"({"Service":"events.amazonaws.com"})"));
  EXPECT_EQ(stmt.at("Condition"),
            json::parse(R"({"ArnEquals":{"aws:SourceArn":{"Fn::GetAtt":["PackageEventsRule","Arn"]}}})"));
}

TEST(Template, LogGroupHasTheRetention) {
  auto o = options();
  o.log_retention_days = 90;
  EXPECT_EQ(props(render(o), "LogGroup").at("RetentionInDays"), 90);
}

// --- network -------------------------------------------------------------------------------------

TEST(Template, ExistingVpcUsesTheGivenSubnetsAndCreatesNoNetwork) {
  const auto t = render(existing_vpc_options());
  for (const char* type : {"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::InternetGateway",
                           "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::VPCGatewayAttachment"}) {
    EXPECT_TRUE(ids_of_type(t, type).empty()) << type;
  }
  const auto subnets = json::parse(R"(["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"])");
  const auto& vpc_config = props(t, "Service").at("NetworkConfiguration").at("AwsvpcConfiguration");
  EXPECT_EQ(vpc_config.at("Subnets"), subnets);
  EXPECT_EQ(vpc_config.at("AssignPublicIp"), "DISABLED");
  EXPECT_EQ(props(t, "LoadBalancer").at("Subnets"), subnets);
  EXPECT_EQ(props(t, "TargetGroup").at("VpcId"), "vpc-0123456789abcdef0");
  EXPECT_EQ(props(t, "TaskSecurityGroup").at("VpcId"), "vpc-0123456789abcdef0");
  EXPECT_EQ(props(t, "TaskSecurityGroup").at("SecurityGroupIngress").at(0).at("CidrIp"), "172.31.0.0/16");
  EXPECT_EQ(resources(t).at("Service").at("DependsOn"), json::array{"Listener"});
}

TEST(Template, CustomerManagedKeysAreGrantedExactlyAndOnlyWhenThereAreAny) {
  auto statement_of = [](const json::object& t) -> const json::object* {
    for (const auto& policy : props(t, "TaskRole").at("Policies").as_array()) {
      for (const auto& s : policy.at("PolicyDocument").at("Statement").as_array()) {
        if (s.at("Sid") == "UseCustomerManagedKeys") return &s.as_object();
      }
    }
    return nullptr;
  };
  const auto plain = render(options());
  EXPECT_EQ(statement_of(plain), nullptr);
  EXPECT_EQ(json::serialize(plain).find("kms:"), std::string::npos);

  auto o = options();
  o.kms_key_arns = {"arn:aws:kms:us-east-1:712023778557:key/1111",
                    "arn:aws:kms:us-east-1:712023778557:key/2222"};
  const auto t = render(o);
  const auto* s = statement_of(t);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->at("Action"), json::parse(R"(["kms:Decrypt","kms:GenerateDataKey"])"));
  EXPECT_EQ(s->at("Resource"), json::parse(R"(["arn:aws:kms:us-east-1:712023778557:key/1111",)"
                                           R"("arn:aws:kms:us-east-1:712023778557:key/2222"])"));
  o.kms_key_arns = {"alias/my-key"};
  auto bad = render_template(o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidConfig);
}

TEST(Template, ExistingVpcAdmitsEveryBlockEc2Reported) {
  auto o = existing_vpc_options();
  o.vpc_cidr_blocks = {"172.31.0.0/16", "100.64.0.0/20"};  // a secondary block holding the subnets
  const auto t = render(o);
  const auto& ingress = props(t, "TaskSecurityGroup").at("SecurityGroupIngress").as_array();
  ASSERT_EQ(ingress.size(), 2u);
  EXPECT_EQ(ingress.at(0).at("CidrIp"), "172.31.0.0/16");
  EXPECT_EQ(ingress.at(1).at("CidrIp"), "100.64.0.0/20");
  for (const auto& rule : ingress) EXPECT_EQ(rule.at("FromPort"), 8080);

  o.vpc_cidr_blocks = {};
  auto none = render_template(o);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_NE(none.error().message.find("vpc-0123456789abcdef0"), std::string::npos);
  o.vpc_cidr_blocks = {"2600:1f18::/56"};
  EXPECT_FALSE(render_template(o));
}

TEST(Template, ExistingVpcCanAssignPublicIps) {
  auto o = existing_vpc_options();
  o.assign_public_ip = true;
  EXPECT_EQ(
      props(render(o), "Service").at("NetworkConfiguration").at("AwsvpcConfiguration").at("AssignPublicIp"),
      "ENABLED");
}

TEST(Template, CreatedVpcHasTwoPublicSubnetsInTwoZonesAndTasksGetPublicIps) {
  auto o = options();
  o.vpc_cidr = "10.20.0.0/16";
  const auto t = render(o);
  EXPECT_EQ(ids_of_type(t, "AWS::EC2::VPC").size(), 1u);
  EXPECT_EQ(ids_of_type(t, "AWS::EC2::Subnet").size(), 2u);
  EXPECT_EQ(props(t, "PublicSubnet1").at("CidrBlock"), "10.20.0.0/24");
  EXPECT_EQ(props(t, "PublicSubnet2").at("CidrBlock"), "10.20.1.0/24");
  EXPECT_EQ(props(t, "PublicSubnet2").at("AvailabilityZone"),
            json::parse(R"({"Fn::Select":[1,{"Fn::GetAZs":""}]})"));
  EXPECT_EQ(props(t, "Vpc").at("CidrBlock"), "10.20.0.0/16");
  EXPECT_EQ(props(t, "TaskSecurityGroup").at("SecurityGroupIngress").at(0).at("CidrIp"), "10.20.0.0/16");
  const auto& vpc_config = props(t, "Service").at("NetworkConfiguration").at("AwsvpcConfiguration");
  EXPECT_EQ(vpc_config.at("AssignPublicIp"), "ENABLED");
  EXPECT_EQ(vpc_config.at("Subnets"), json::parse(R"([{"Ref":"PublicSubnet1"},{"Ref":"PublicSubnet2"}])"));
  // Tasks pull the image over the internet route: the service waits for it.
  const auto depends = json::serialize(resources(t).at("Service").at("DependsOn"));
  EXPECT_NE(depends.find("PublicDefaultRoute"), std::string::npos);
}

TEST(Template, SmallCreatedVpcIsSplitInHalves) {
  auto o = options();
  o.vpc_cidr = "192.168.10.0/26";
  const auto t = render(o);
  EXPECT_EQ(props(t, "PublicSubnet1").at("CidrBlock"), "192.168.10.0/27");
  EXPECT_EQ(props(t, "PublicSubnet2").at("CidrBlock"), "192.168.10.32/27");
}

TEST(Template, LoadBalancerIsAnInternalNlbCheckingReadiness) {
  const auto t = render(options());
  EXPECT_EQ(props(t, "LoadBalancer").at("Scheme"), "internal");
  EXPECT_EQ(props(t, "LoadBalancer").at("Type"), "network");
  const auto& tg = props(t, "TargetGroup");
  EXPECT_EQ(tg.at("Protocol"), "TCP");
  EXPECT_EQ(tg.at("Port"), 8080);
  EXPECT_EQ(tg.at("TargetType"), "ip");
  EXPECT_EQ(tg.at("HealthCheckProtocol"), "HTTP");
  EXPECT_EQ(tg.at("HealthCheckPath"), "/health/ready");
  EXPECT_EQ(props(t, "Listener").at("Port"), 80);
}

// --- outputs, size, determinism ---------------------------------------------------------------------

TEST(Template, OutputsArePresentAndTheEndpointHasNoTrailingSlash) {
  const auto t = render(options());
  const auto& outputs = t.at("Outputs").as_object();
  for (const char* name : {"WebhookEndpoint", "LogGroupName", "WorkQueueUrl", "DeadLetterQueueUrl",
                           "EventsQueueUrl", "ClusterName", "ServiceArn", "ServiceName", "ApiId"}) {
    EXPECT_TRUE(outputs.contains(name)) << name;
  }
  const auto endpoint = outputs.at("WebhookEndpoint").at("Value").at("Fn::Sub").as_string();
  EXPECT_EQ(endpoint, "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod");
  EXPECT_NE(endpoint.back(), '/');
  EXPECT_EQ(json::serialize(outputs).find("VpcLink"), std::string::npos);
  EXPECT_EQ(t.at("AWSTemplateFormatVersion"), "2010-09-09");
  EXPECT_FALSE(t.contains("Parameters"));
}

TEST(Template, FitsCreateChangeSetBodyLimitEvenWithTheLongestAllowList) {
  auto o = existing_vpc_options();
  std::string list;
  for (std::size_t i = 0; i < 100; ++i) {
    list += "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255." + std::to_string(i) + "/128,";
  }
  o.webhook_allow_list = list;
  const auto size = json::serialize(render(o)).size();
  EXPECT_LT(size, kMaxTemplateBodyBytes);
  EXPECT_LT(json::serialize(render(options())).size(), kMaxTemplateBodyBytes / 2);
}

TEST(Template, SameOptionsGiveTheSameTemplate) {
  EXPECT_EQ(json::serialize(render(options())), json::serialize(render(options())));
}

// --- validation ----------------------------------------------------------------------------------

void expect_flag_error(const TemplateOptions& o, std::string_view flag, std::string_view needle) {
  auto r = validate_options(o);
  ASSERT_FALSE(r) << flag;
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << flag;
  EXPECT_EQ(flag_of(r.error()), flag);
  EXPECT_NE((r.error().message + " " + r.error().suggestion).find(flag), std::string::npos)
      << r.error().message;
  EXPECT_NE((r.error().message + " " + r.error().suggestion).find(needle), std::string::npos)
      << r.error().to_text();
  EXPECT_FALSE(render_template(o));
}

TEST(TemplateOptions, DefaultsAreValid) {
  EXPECT_TRUE(validate_options(options()));
  EXPECT_TRUE(validate_options(existing_vpc_options()));
}

TEST(TemplateOptions, BadSizesNameTheFlagAndWhatIsAllowed) {
  auto o = options();
  o.cpu = 300;
  expect_flag_error(o, "--cpu", "256, 512, 1024");
  o = options();
  o.memory_mib = 4096;
  expect_flag_error(o, "--memory", "512, 1024, 2048");
  o = options();
  o.cpu = 1024;
  o.memory_mib = 1024;
  expect_flag_error(o, "--memory", "2048 to 8192 in steps of 1024");
  o = options();
  o.log_retention_days = 8;
  expect_flag_error(o, "--log-retention-days", "14, 30");
  o = options();
  o.desired_count = 11;
  expect_flag_error(o, "--desired-count", "--max-tasks (10)");
  o = options();
  o.min_tasks = 0;
  expect_flag_error(o, "--min-tasks", "1 to");
  o = options();
  o.max_tasks = 1;
  expect_flag_error(o, "--max-tasks", "--min-tasks (2)");
  o = options();
  o.cpu_target_percent = 100;
  expect_flag_error(o, "--cpu-target", "10 to 90");
  o = options();
  o.workers_per_task = 0;
  expect_flag_error(o, "--workers-per-task", "1 to 64");
  o = options();
  o.canvas_workers_per_task = 65;
  expect_flag_error(o, "--canvas-workers-per-task", "1 to 64");
  o = options();
  o.backlog_per_task = -1;
  expect_flag_error(o, "--backlog-per-task", "0: --workers-per-task");
}

TEST(TemplateOptions, EveryFargateCombinationIsAccepted) {
  auto o = options();
  for (int cpu : {256, 512, 1024, 2048, 4096, 8192, 16384}) {
    for (int mem : fargate_memory_sizes(cpu)) {
      o.cpu = cpu;
      o.memory_mib = mem;
      EXPECT_TRUE(validate_options(o)) << cpu << "/" << mem;
    }
  }
  EXPECT_EQ(fargate_memory_sizes(4096).back(), 30720);
  EXPECT_EQ(fargate_memory_sizes(8192).size(), 12u);
  EXPECT_TRUE(fargate_memory_sizes(128).empty());
}

TEST(TemplateOptions, ImageUriIsRequired) {
  auto o = options();
  o.image_uri.clear();
  expect_flag_error(o, "--image-uri", "is required");
  o.image_uri = "repo/image:tag with space";
  expect_flag_error(o, "--image-uri", "not an image reference");
}

TEST(TemplateOptions, BadNetworkOptionsNameTheFlag) {
  auto o = existing_vpc_options();
  o.subnet_ids.pop_back();
  expect_flag_error(o, "--subnet-ids", "2 to 16 subnets");
  o = existing_vpc_options();
  o.subnet_ids[1] = "subnet-xyz";
  expect_flag_error(o, "--subnet-ids", "subnet-xyz");
  o = existing_vpc_options();
  o.subnet_ids[1] = o.subnet_ids[0];
  expect_flag_error(o, "--subnet-ids", "twice");
  o = existing_vpc_options();
  o.vpc_id = "vpc-1";
  expect_flag_error(o, "--vpc-id", "vpc-0123456789abcdef0");
  o = options();
  o.vpc_cidr = "";
  expect_flag_error(o, "--vpc-cidr", "/16 to /27");
  o = options();
  o.vpc_cidr = "10.0.0.1/16";
  expect_flag_error(o, "--vpc-cidr", "network address");
  o = existing_vpc_options();
  o.vpc_cidr = "";  // unused with --vpc-id (the CLI refuses the flag there): EC2's blocks count
  EXPECT_TRUE(validate_flags(o));
  o = options();
  o.subnet_ids = {"subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"};
  expect_flag_error(o, "--subnet-ids", "--vpc-id");
  o = options();
  o.assign_public_ip = false;
  expect_flag_error(o, "--assign-public-ip", "NAT");
  o = options();
  o.vpc_cidr = "10.0.0.0/28";
  expect_flag_error(o, "--vpc-cidr", "/27");
}

TEST(TemplateOptions, UnparsedSettingsNameTheirFlags) {
  auto o = options();
  o.quilt_stack = {};
  expect_flag_error(o, "--quilt-stack-arn", "arn:aws:cloudformation");
  o = options();
  o.secret = {};
  expect_flag_error(o, "--benchling-secret", "name or ARN");
}

TEST(TemplateOptions, BadResolvedValuesNameTheirSource) {
  auto o = options();
  o.user_bucket = "s3://acme-benchling";
  auto r = validate_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidSecret);
  EXPECT_NE(r.error().message.find("user_bucket"), std::string::npos);

  o = options();
  o.packager_queue_arn = "https://sqs.us-east-1.amazonaws.com/123456789012/q";
  r = validate_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_NE(r.error().message.find("packager queue"), std::string::npos);
  EXPECT_EQ(r.error().details.back().second, "PackagerQueueUrl | QueueUrl | PackagerQueueArn");

  o = options();
  o.athena_database = "db*";
  r = validate_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_NE(r.error().message.find("UserAthenaDatabaseName"), std::string::npos);

  o = options();
  o.iceberg_database = "ice\"berg";
  r = validate_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_NE(r.error().message.find("IcebergDatabaseName"), std::string::npos);

  o = options();
  o.user_athena_workgroup = "wg/../primary";
  r = validate_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_NE(r.error().message.find("UserAthenaWorkgroupName"), std::string::npos);
}

TEST(Template, CreatesAManagedResultsWorkgroupNamedFromTheSettings) {
  const auto t = render(options());
  const auto& wg = t.at("Resources").at("AthenaWorkGroup").as_object();
  EXPECT_EQ(wg.at("Type"), "AWS::Athena::WorkGroup");
  const auto& p = wg.at("Properties").as_object();
  EXPECT_EQ(p.at("Name"), json::value(config::service_workgroup_name(kStackArn, options().secret.value)));
  EXPECT_TRUE(p.at("Name").as_string().starts_with("benchling-webhook-"));
  EXPECT_EQ(p.at("RecursiveDeleteOption"), true);
  const auto& c = p.at("WorkGroupConfiguration").as_object();
  EXPECT_EQ(c.at("ManagedQueryResultsConfiguration"), (json::object{{"Enabled", true}}));
  EXPECT_EQ(c.at("EnforceWorkGroupConfiguration"), true);
  EXPECT_FALSE(c.contains("ResultConfiguration"));  // managed results: no bucket of ours
}

TEST(Template, GrantsTheStacksWorkgroupAndIcebergDatabaseWhenItHasThem) {
  auto o = options();
  o.iceberg_database = "quilt_iceberg-x";
  o.user_athena_workgroup = "QuiltUserAthena-wg";
  const auto t = render(o);
  EXPECT_EQ(statement(t, "QueryAthena").at("Resource"),
            (json::array{"arn:aws:athena:us-east-1:123456789012:workgroup/" +
                             config::service_workgroup_name(kStackArn, o.secret.value),
                         "arn:aws:athena:us-east-1:123456789012:workgroup/QuiltUserAthena-wg"}));
  EXPECT_EQ(statement(t, "ReadQuiltDatabase").at("Resource"),
            json::parse(R"(["arn:aws:glue:us-east-1:123456789012:catalog",)"
                        R"("arn:aws:glue:us-east-1:123456789012:database/userathenadatabase-x1y2",)"
                        R"("arn:aws:glue:us-east-1:123456789012:table/userathenadatabase-x1y2/*",)"
                        R"("arn:aws:glue:us-east-1:123456789012:database/quilt_iceberg-x",)"
                        R"("arn:aws:glue:us-east-1:123456789012:table/quilt_iceberg-x/*"])"));
}

}  // namespace
}  // namespace bw::deploy
