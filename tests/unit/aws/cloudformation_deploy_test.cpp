// CloudFormation calls for deploy / status / destroy. The reply bodies marked "moto" were captured
// byte for byte from moto 5.2.1; the others follow the AWS API reference.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>

#include "aws/cloudformation.hpp"
#include "core/encoding.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/probe/1773755b-33f1-4476-b764-b6ab5df9c49d";
constexpr const char* kChangeSetArn =
    "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs1/ddacc3dd-4a9d-49ff-bb6e-f3de9e6d0cc9";
constexpr const char* kNs = R"( xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/")";

struct Harness : testing::AwsLoopback<CloudFormation> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_CLOUDFORMATION", "us-east-1"), cfn(&service) {}
  CloudFormation* cfn;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

Reply xml(int status, std::string body) {
  return Reply::text(status, std::move(body)).with_header("Content-Type", "text/xml");
}

Reply validation_error(const std::string& message) {
  return xml(400, std::string("<ErrorResponse") + kNs +
                      "><Error><Type>Sender</Type><Code>ValidationError</Code>" + "<Message>" + message +
                      "</Message></Error><RequestId>r1</RequestId></ErrorResponse>");
}

// The value of form field `key` in a query-protocol body ("<absent>" when missing).
std::string form_field(const std::string& body, const std::string& key) {
  const std::string needle = core::form_encode(key) + "=";
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('&', pos);
    if (end == std::string::npos) end = body.size();
    std::string_view pair(body.data() + pos, end - pos);
    if (pair.substr(0, needle.size()) == needle) return std::string(pair.substr(needle.size()));
    pos = end + 1;
  }
  return "<absent>";
}

long long epoch_s(const std::optional<core::SystemTime>& t) {
  return t ? std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() : -1;
}
long long epoch_s(core::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// ---- DescribeStacks / find_stack -------------------------------------------------------------------

const std::string kStackUpdateFailed = std::string("<DescribeStacksResponse") + kNs +
                                       R"(><DescribeStacksResult><Stacks><member>
<StackName>probe</StackName><StackId>)" +
                                       kStackArn +
                                       R"(</StackId>
<CreationTime>2024-01-02T03:04:05.123Z</CreationTime><LastUpdatedTime>2024-02-03T04:05:06Z</LastUpdatedTime>
<StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>
<StackStatusReason>The following resource(s) failed to update: [Service]. &amp; more</StackStatusReason>
</member></Stacks></DescribeStacksResult></DescribeStacksResponse>)";

TEST(CloudFormationDeploy, DescribeStacksReadsStatusReasonAndTimes) {
  auto stack = parse_describe_stacks(kStackUpdateFailed, "probe");
  ASSERT_TRUE(stack) << stack.error().to_text();
  EXPECT_EQ(stack->status, "UPDATE_ROLLBACK_COMPLETE");
  EXPECT_EQ(stack->status_reason, "The following resource(s) failed to update: [Service]. & more");
  EXPECT_EQ(epoch_s(stack->creation_time), 1704164645);
  EXPECT_EQ(epoch_s(stack->last_updated_time), 1706933106);
}

TEST(CloudFormationDeploy, DescribeStacksOfMotoHasNoLastUpdatedTime) {
  // moto: a stack updated through a change set, with microsecond times and no LastUpdatedTime.
  const std::string moto =
      std::string("<DescribeStacksResponse") + kNs + "><DescribeStacksResult><Stacks><member><StackId>" +
      kStackArn +
      "</StackId><StackName>probe</StackName><Parameters/><CreationTime>2026-11-26T20:40:"
      "03.914429Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><DisableRollback>"
      "false</DisableRollback><NotificationARNs/><Tags><member><Key>app</Key><Value>bw</"
      "Value></member></Tags><EnableTerminationProtection>false</"
      "EnableTerminationProtection></member></Stacks></DescribeStacksResult>"
      "<ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></DescribeStacksResponse>";
  auto stack = parse_describe_stacks(moto, "probe");
  ASSERT_TRUE(stack);
  EXPECT_EQ(stack->id, kStackArn);
  EXPECT_EQ(stack->status, "UPDATE_COMPLETE");
  EXPECT_EQ(epoch_s(stack->creation_time), 1795725603);
  EXPECT_FALSE(stack->last_updated_time);
  EXPECT_TRUE(stack->status_reason.empty());
  EXPECT_TRUE(stack->outputs.empty());  // Tags' <member> must not be read as outputs
}

TEST(CloudFormationDeploy, FindStackIsNulloptWhenTheStackDoesNotExist) {
  LoopbackServer server(testing::sequence({validation_error("Stack with id probe does not exist")}));
  Harness h(server);
  auto found = h.cfn->find_stack("probe");
  ASSERT_TRUE(found) << found.error().to_text();
  EXPECT_FALSE(found->has_value());
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].body, "Action=DescribeStacks&Version=2010-05-15&StackName=probe");
}

TEST(CloudFormationDeploy, FindStackReturnsTheStack) {
  LoopbackServer server(testing::sequence({xml(200, kStackUpdateFailed)}));
  Harness h(server);
  auto found = h.cfn->find_stack("probe");
  ASSERT_TRUE(found) << found.error().to_text();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, kStackArn);
}

// A wrong endpoint answering 404 must not look like "no stack": deploy would create a second one.
TEST(CloudFormationDeploy, FindStackTreatsOtherNotFoundRepliesAsErrors) {
  LoopbackServer server(testing::sequence({Reply::text(404, "<html>not here</html>")}));
  Harness h(server);
  auto found = h.cfn->find_stack("probe");
  ASSERT_FALSE(found);
  EXPECT_EQ(detail(found.error(), "Stack"), "probe");
  EXPECT_EQ(detail(found.error(), "Region"), "us-east-1");
}

TEST(CloudFormationDeploy, FindStackReportsAccessDenied) {
  LoopbackServer server(testing::sequence(
      {xml(403,
           "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized to perform "
           "cloudformation:DescribeStacks</Message></Error></ErrorResponse>")}));
  Harness h(server);
  auto found = h.cfn->find_stack("probe");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_NE(found.error().message.find("not authorized"), std::string::npos);
}

// ---- CreateChangeSet -------------------------------------------------------------------------------

const std::string kCreateChangeSetReply =
    std::string("<CreateChangeSetResponse") + kNs + "><CreateChangeSetResult><Id>" + kChangeSetArn +
    "</Id><StackId>" + kStackArn +
    "</StackId></CreateChangeSetResult><ResponseMetadata><RequestId>8k</"
    "RequestId></ResponseMetadata></CreateChangeSetResponse>";  // moto

ChangeSetRequest sample_request() {
  ChangeSetRequest r;
  r.stack_name = "probe";
  r.change_set_name = "deploy-20240102-030405";
  r.template_body = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue # a & b\n";
  r.change_set_type = "CREATE";
  r.capabilities = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"};
  r.tags = {{"app", "benchling-webhook"}, {"version", "1.2.3"}};
  r.description = "benchling-webhook 1.2.3";
  r.client_token = "tok-1";
  return r;
}

TEST(CloudFormationDeploy, CreateChangeSetSendsEveryParameterAndReadsIds) {
  LoopbackServer server(testing::sequence({xml(200, kCreateChangeSetReply)}));
  Harness h(server);
  auto ref = h.cfn->create_change_set(sample_request());
  ASSERT_TRUE(ref) << ref.error().to_text();
  EXPECT_EQ(ref->id, kChangeSetArn);
  EXPECT_EQ(ref->stack_id, kStackArn);

  ASSERT_EQ(server.request_count(), 1u);
  const auto req = server.requests()[0];
  EXPECT_EQ(req.body,
            "Action=CreateChangeSet&Version=2010-05-15&StackName=probe&ChangeSetName=deploy-20240102-030405"
            "&ChangeSetType=CREATE&TemplateBody=" +
                core::form_encode(sample_request().template_body) +
                "&Capabilities.member.1=CAPABILITY_IAM&Capabilities.member.2=CAPABILITY_NAMED_IAM"
                "&Tags.member.1.Key=app&Tags.member.1.Value=benchling-webhook"
                "&Tags.member.2.Key=version&Tags.member.2.Value=1.2.3"
                "&Description=benchling-webhook%201.2.3&ClientToken=tok-1");
  EXPECT_NE(req.header("Authorization").value_or("").find("/us-east-1/cloudformation/aws4_request"),
            std::string::npos);
}

TEST(CloudFormationDeploy, CreateChangeSetMakesAFreshClientTokenAndOmitsEmptyDescription) {
  LoopbackServer server(testing::sequence({xml(200, kCreateChangeSetReply)}));
  Harness h(server);
  ChangeSetRequest r = sample_request();
  r.client_token.reset();
  r.description.clear();
  r.change_set_type = "UPDATE";
  ASSERT_TRUE(h.cfn->create_change_set(r));
  ASSERT_TRUE(h.cfn->create_change_set(r));
  const auto reqs = server.requests();
  const std::string t1 = form_field(reqs[0].body, "ClientToken");
  const std::string t2 = form_field(reqs[1].body, "ClientToken");
  EXPECT_TRUE(std::regex_match(t1, std::regex("[0-9a-f]{64}"))) << t1;
  EXPECT_NE(t1, t2);
  EXPECT_EQ(form_field(reqs[0].body, "Description"), "<absent>");
  EXPECT_EQ(form_field(reqs[0].body, "ChangeSetType"), "UPDATE");
}

TEST(CloudFormationDeploy, CreateChangeSetUsesTemplateUrlWhenNoBodyIsGiven) {
  LoopbackServer server(testing::sequence({xml(200, kCreateChangeSetReply)}));
  Harness h(server);
  ChangeSetRequest r = sample_request();
  r.template_body.clear();
  r.template_url = "https://bucket.s3.amazonaws.com/t.yaml";
  ASSERT_TRUE(h.cfn->create_change_set(r));
  const auto body = server.requests()[0].body;
  EXPECT_EQ(form_field(body, "TemplateURL"), core::form_encode(r.template_url));
  EXPECT_EQ(form_field(body, "TemplateBody"), "<absent>");
}

TEST(CloudFormationDeploy, CreateChangeSetRejectsBadRequestsWithoutCalling) {
  LoopbackServer server(testing::sequence({xml(200, kCreateChangeSetReply)}));
  Harness h(server);
  auto with = [](auto change) {
    ChangeSetRequest r = sample_request();
    change(r);
    return r;
  };
  const std::vector<ChangeSetRequest> bad = {
      with([](ChangeSetRequest& r) { r.change_set_name = "1starts-with-digit"; }),
      with([](ChangeSetRequest& r) { r.change_set_name = "has_underscore"; }),
      with([](ChangeSetRequest& r) { r.change_set_name = std::string(129, 'a'); }),
      with([](ChangeSetRequest& r) { r.change_set_type = "IMPORT"; }),
      with([](ChangeSetRequest& r) { r.template_body.clear(); }),
      with([](ChangeSetRequest& r) { r.template_body = std::string(51201, 'x'); }),
      with([](ChangeSetRequest& r) { r.tags.resize(51); }),
      with([](ChangeSetRequest& r) { r.description = std::string(1025, 'd'); }),
      with([](ChangeSetRequest& r) { r.stack_name.clear(); }),
      with([](ChangeSetRequest& r) { r.client_token = "bad token"; }),
  };
  for (const auto& r : bad) {
    auto ref = h.cfn->create_change_set(r);
    ASSERT_FALSE(ref);
    EXPECT_EQ(ref.error().code, core::ErrorCode::kInvalidArgument) << ref.error().message;
    EXPECT_FALSE(ref.error().healable());
  }
  EXPECT_EQ(server.request_count(), 0u);

  ChangeSetRequest at_limit = sample_request();
  at_limit.template_body = std::string(51200, 'x');
  EXPECT_TRUE(h.cfn->create_change_set(at_limit));
}

TEST(CloudFormationDeploy, CreateChangeSetUpdateOfMissingStackIsNotFound) {
  // moto and AWS: ValidationError "Stack with id nope does not exist" (HTTP 400).
  LoopbackServer server(testing::sequence({validation_error("Stack with id nope does not exist")}));
  Harness h(server);
  ChangeSetRequest r = sample_request();
  r.stack_name = "nope";
  r.change_set_type = "UPDATE";
  auto ref = h.cfn->create_change_set(r);
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(ref.error().message, "Stack not found: nope");
  EXPECT_EQ(detail(ref.error(), "ChangeSet"), r.change_set_name);
}

TEST(CloudFormationDeploy, CreateChangeSetTemplateErrorCarriesAwsMessage) {
  LoopbackServer server(
      testing::sequence({validation_error("Template format error: Unresolved resource dependencies [Vpc]")}));
  Harness h(server);
  auto ref = h.cfn->create_change_set(sample_request());
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      ref.error().message,
      "CloudFormation rejected CreateChangeSet: Template format error: Unresolved resource dependencies "
      "[Vpc]");
  EXPECT_EQ(detail(ref.error(), "Stack"), "probe");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(CloudFormationDeploy, CreateChangeSetMissingCapabilityNamesIt) {
  LoopbackServer server(testing::sequence(
      {xml(400,
           "<ErrorResponse><Error><Type>Sender</Type><Code>InsufficientCapabilitiesException</Code>"
           "<Message>Requires capabilities : [CAPABILITY_NAMED_IAM]</Message></Error></ErrorResponse>")}));
  Harness h(server);
  auto ref = h.cfn->create_change_set(sample_request());
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(ref.error().message.find("CAPABILITY_NAMED_IAM"), std::string::npos);
}

// ---- DescribeChangeSet -----------------------------------------------------------------------------

// moto, CREATE change set of a new stack.
const std::string kMotoChangeSet =
    std::string("<DescribeChangeSetResponse") + kNs +
    "><DescribeChangeSetResult><ChangeSetName>cs1</ChangeSetName><ChangeSetId>" + kChangeSetArn +
    "</ChangeSetId><StackId>" + kStackArn +
    "</StackId><StackName>probe</StackName><Description>first</Description>"
    "<Parameters/><CreationTime>2026-11-26T20:40:03.915284Z</CreationTime>"
    "<ExecutionStatus>AVAILABLE</ExecutionStatus><Status>CREATE_COMPLETE</Status>"
    "<NotificationARNs/><Tags/><Changes><member><Type>Resource</Type>"
    "<ResourceChange><Action>Add</Action><LogicalResourceId>Queue</"
    "LogicalResourceId><ResourceType>AWS::SQS::Queue</ResourceType></"
    "ResourceChange></member><member><Type>Resource</Type><ResourceChange><Action>"
    "Add</Action><LogicalResourceId>Group</LogicalResourceId><ResourceType>AWS::"
    "Logs::LogGroup</ResourceType></ResourceChange></member></Changes></"
    "DescribeChangeSetResult><ResponseMetadata><RequestId>jm</RequestId></"
    "ResponseMetadata></DescribeChangeSetResponse>";

// moto, UPDATE change set with the stack's own template.
const std::string kMotoNoChanges =
    std::string("<DescribeChangeSetResponse") + kNs +
    "><DescribeChangeSetResult><ChangeSetName>cs2</"
    "ChangeSetName><ChangeSetId>arn:aws:cloudformation:us-east-1:"
    "123456789012:changeSet/cs2/e6c2</ChangeSetId><StackId>" +
    kStackArn +
    "</StackId><StackName>probe</StackName><Parameters/><CreationTime>2026-11-26T20:40:03.972855Z</"
    "CreationTime><ExecutionStatus>UNAVAILABLE</ExecutionStatus><Status>FAILED</Status><StatusReason>The "
    "submitted information didn't contain changes. Submit different information to create a change set."
    "</StatusReason><NotificationARNs/><Tags/><Changes/></"
    "DescribeChangeSetResult><ResponseMetadata><RequestId>"
    "yA</RequestId></ResponseMetadata></DescribeChangeSetResponse>";

// AWS-shaped page with a replacement and a NextToken.
std::string aws_change_page(const std::string& logical_id, const std::string& token) {
  std::string s = std::string("<DescribeChangeSetResponse") + kNs +
                  "><DescribeChangeSetResult><ChangeSetName>cs3</ChangeSetName><ChangeSetId>" +
                  kChangeSetArn + "</ChangeSetId><StackName>probe</StackName><StackId>" + kStackArn +
                  "</StackId><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus>"
                  "<Changes><member><Type>Resource</Type><ResourceChange><Action>Modify</Action>"
                  "<LogicalResourceId>" +
                  logical_id +
                  "</LogicalResourceId><PhysicalResourceId>arn:aws:ecs:us-east-1:1:service/c/s</"
                  "PhysicalResourceId><ResourceType>AWS::ECS::Service</ResourceType><Replacement>Conditional"
                  "</Replacement><Scope><member>Properties</member></Scope><Details><member><Target>"
                  "<Attribute>Properties</Attribute><Name>TaskDefinition</Name><RequiresRecreation>Never"
                  "</RequiresRecreation></Target></member></Details></ResourceChange></member></Changes>";
  if (!token.empty()) s += "<NextToken>" + token + "</NextToken>";
  return s + "</DescribeChangeSetResult></DescribeChangeSetResponse>";
}

TEST(CloudFormationDeploy, DescribeChangeSetReadsMotoReply) {
  LoopbackServer server(testing::sequence({xml(200, kMotoChangeSet)}));
  Harness h(server);
  auto cs = h.cfn->describe_change_set("cs1", "probe");
  ASSERT_TRUE(cs) << cs.error().to_text();
  EXPECT_EQ(cs->id, kChangeSetArn);
  EXPECT_EQ(cs->name, "cs1");
  EXPECT_EQ(cs->stack_id, kStackArn);
  EXPECT_EQ(cs->status, "CREATE_COMPLETE");
  EXPECT_EQ(cs->execution_status, "AVAILABLE");
  EXPECT_FALSE(cs->has_no_changes());
  ASSERT_EQ(cs->changes.size(), 2u);
  EXPECT_EQ(cs->changes[0].action, "Add");
  EXPECT_EQ(cs->changes[0].logical_id, "Queue");
  EXPECT_EQ(cs->changes[0].resource_type, "AWS::SQS::Queue");
  EXPECT_EQ(cs->changes[0].physical_id, "");
  EXPECT_EQ(cs->changes[1].logical_id, "Group");
  EXPECT_EQ(server.requests()[0].body,
            "Action=DescribeChangeSet&Version=2010-05-15&ChangeSetName=cs1&StackName=probe");
}

TEST(CloudFormationDeploy, DescribeChangeSetFollowsNextTokenAndMergesChanges) {
  LoopbackServer server(testing::sequence(
      {xml(200, aws_change_page("Service", "page/2+")), xml(200, aws_change_page("Api", ""))}));
  Harness h(server);
  auto cs = h.cfn->describe_change_set(kChangeSetArn, "");
  ASSERT_TRUE(cs) << cs.error().to_text();
  ASSERT_EQ(cs->changes.size(), 2u);
  EXPECT_EQ(cs->changes[0].logical_id, "Service");
  EXPECT_EQ(cs->changes[0].action, "Modify");
  EXPECT_EQ(cs->changes[0].replacement, "Conditional");
  EXPECT_EQ(cs->changes[0].physical_id, "arn:aws:ecs:us-east-1:1:service/c/s");
  EXPECT_EQ(cs->changes[1].logical_id, "Api");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(form_field(reqs[0].body, "NextToken"), "<absent>");
  EXPECT_EQ(form_field(reqs[0].body, "StackName"), "<absent>");  // an ARN needs no stack name
  EXPECT_EQ(form_field(reqs[1].body, "NextToken"), "page%2F2%2B");
}

TEST(CloudFormationDeploy, DescribeChangeSetStopsOnARepeatingToken) {
  LoopbackServer server(testing::sequence({xml(200, aws_change_page("Service", "same"))}));
  Harness h(server);
  auto cs = h.cfn->describe_change_set("cs3", "probe");
  ASSERT_FALSE(cs);
  EXPECT_EQ(cs.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(CloudFormationDeploy, NoChangesIsRecognisedInBothWordings) {
  auto moto = parse_describe_change_set(kMotoNoChanges);
  ASSERT_TRUE(moto);
  EXPECT_EQ(moto->change_set.status, "FAILED");
  EXPECT_EQ(moto->change_set.execution_status, "UNAVAILABLE");
  EXPECT_TRUE(moto->change_set.changes.empty());
  EXPECT_TRUE(moto->change_set.has_no_changes());

  ChangeSet other;
  other.status = "FAILED";
  other.status_reason = "No updates are to be performed.";
  EXPECT_TRUE(other.has_no_changes());
  other.status_reason = "Template error: instance of Fn::GetAtt references undefined resource Vpc";
  EXPECT_FALSE(other.has_no_changes());
  other.status = "CREATE_COMPLETE";
  other.status_reason = "The submitted information didn't contain changes.";
  EXPECT_FALSE(other.has_no_changes());  // only a FAILED change set means "nothing to do"
}

TEST(CloudFormationDeploy, MissingChangeSetIsNotFoundInAwsAndMotoShapes) {
  const std::vector<Reply> replies = {
      xml(404,
          "<ErrorResponse><Error><Type>Sender</Type><Code>ChangeSetNotFound</Code><Message>ChangeSet "
          "[cs9] does not exist</Message></Error></ErrorResponse>"),
      validation_error("Stack with id cs9 does not exist"),  // moto names the change set as a stack
  };
  for (const auto& reply : replies) {
    LoopbackServer server(testing::sequence({reply}));
    Harness h(server);
    auto cs = h.cfn->describe_change_set("cs9", "probe");
    ASSERT_FALSE(cs);
    EXPECT_EQ(cs.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(cs.error().message, "Change set not found: cs9");
    EXPECT_EQ(detail(cs.error(), "Stack"), "probe");
    EXPECT_EQ(detail(cs.error(), "ChangeSet"), "cs9");
    EXPECT_EQ(server.request_count(), 1u);
  }
}

// ---- Execute / Delete change set, DeleteStack -------------------------------------------------------

TEST(CloudFormationDeploy, ExecuteChangeSetSendsNameStackAndToken) {
  LoopbackServer server(testing::sequence(
      {xml(200, std::string("<ExecuteChangeSetResponse") + kNs +
                    "><ExecuteChangeSetResult/><ResponseMetadata><RequestId>W9</RequestId></ResponseMetadata>"
                    "</ExecuteChangeSetResponse>")}));
  Harness h(server);
  auto done = h.cfn->execute_change_set("cs1", "probe");
  ASSERT_TRUE(done) << done.error().to_text();
  const auto body = server.requests()[0].body;
  EXPECT_EQ(body.rfind("Action=ExecuteChangeSet&Version=2010-05-15&ChangeSetName=cs1&StackName=probe&"
                       "ClientRequestToken=",
                       0),
            0u)
      << body;
  EXPECT_TRUE(std::regex_match(form_field(body, "ClientRequestToken"), std::regex("[0-9a-f]{64}")));
}

TEST(CloudFormationDeploy, ExecuteChangeSetInWrongStateIsInvalidArgument) {
  LoopbackServer server(testing::sequence(
      {xml(400,
           "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidChangeSetStatus</Code><Message>ChangeSet "
           "[cs2] cannot be executed in its current status of [FAILED]</Message></Error></ErrorResponse>")}));
  Harness h(server);
  auto done = h.cfn->execute_change_set("cs2", "probe");
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(done.error().message.find("current status of [FAILED]"), std::string::npos);
  EXPECT_NE(done.error().suggestion.find("Wait"), std::string::npos);
}

// moto answers an HTML 500 page for ExecuteChangeSet of an unknown change set: retried, then kRemote.
TEST(CloudFormationDeploy, HtmlServerErrorIsRetriedThenRemote) {
  LoopbackServer server(testing::sequence(
      {Reply::text(500, "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n")
           .with_header("Content-Type", "text/html")}));
  Harness h(server);
  auto done = h.cfn->execute_change_set("nope", "probe");
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, core::ErrorCode::kRemote);
  EXPECT_TRUE(done.error().healable());
  EXPECT_EQ(server.request_count(), 4u);
}

TEST(CloudFormationDeploy, DeleteChangeSetAndDeleteStackSendTheirNames) {
  LoopbackServer server(testing::sequence(
      {xml(200, std::string("<DeleteChangeSetResponse") + kNs +
                    "><DeleteChangeSetResult/><ResponseMetadata><RequestId>d</RequestId></ResponseMetadata>"
                    "</DeleteChangeSetResponse>"),
       xml(200,
           std::string("<DeleteStackResponse") + kNs +
               "><ResponseMetadata><RequestId>E</RequestId></ResponseMetadata></DeleteStackResponse>")}));
  Harness h(server);
  ASSERT_TRUE(h.cfn->delete_change_set("cs2", "probe"));
  ASSERT_TRUE(h.cfn->delete_stack(kStackArn));
  const auto reqs = server.requests();
  EXPECT_EQ(reqs[0].body, "Action=DeleteChangeSet&Version=2010-05-15&ChangeSetName=cs2&StackName=probe");
  EXPECT_EQ(form_field(reqs[1].body, "Action"), "DeleteStack");
  EXPECT_EQ(form_field(reqs[1].body, "StackName"), core::form_encode(kStackArn));
  EXPECT_TRUE(std::regex_match(form_field(reqs[1].body, "ClientRequestToken"), std::regex("[0-9a-f]{64}")));
}

// ---- DescribeStackEvents ---------------------------------------------------------------------------

std::string event_xml(const std::string& id, const std::string& logical, const std::string& status,
                      const std::string& reason, const std::string& ts = "2026-11-26T20:40:03.938819Z") {
  std::string s = "<member><StackId>" + std::string(kStackArn) + "</StackId><EventId>" + id +
                  "</EventId><StackName>probe</StackName><LogicalResourceId>" + logical +
                  "</LogicalResourceId><PhysicalResourceId>" + std::string(kStackArn) +
                  "</PhysicalResourceId><ResourceType>AWS::CloudFormation::Stack</ResourceType><Timestamp>" +
                  ts + "</Timestamp><ResourceStatus>" + status + "</ResourceStatus>";
  if (!reason.empty()) s += "<ResourceStatusReason>" + reason + "</ResourceStatusReason>";
  return s + "</member>";
}

std::string events_page(const std::vector<std::string>& members, const std::string& token = "") {
  std::string s =
      std::string("<DescribeStackEventsResponse") + kNs + "><DescribeStackEventsResult><StackEvents>";
  for (const auto& m : members) s += m;
  s += "</StackEvents>";
  if (!token.empty()) s += "<NextToken>" + token + "</NextToken>";
  return s +
         "</DescribeStackEventsResult><ResponseMetadata><RequestId>3f</RequestId></ResponseMetadata>"
         "</DescribeStackEventsResponse>";
}

TEST(CloudFormationDeploy, StackEventsAreReadNewestFirstAsSent) {
  // moto's shape (captured): stack-level events only, microsecond timestamps.
  auto page = parse_stack_events(events_page({
      event_xml("fc33", "probe", "CREATE_COMPLETE", "", "2026-11-26T20:40:03.938819Z"),
      event_xml("46d6", "probe", "CREATE_IN_PROGRESS", "User Initiated", "2026-11-26T20:40:03.928761Z"),
      event_xml("ccc0", "probe", "REVIEW_IN_PROGRESS", "User Initiated", "2026-11-26T20:40:02.914444Z"),
  }));
  ASSERT_TRUE(page) << page.error().to_text();
  ASSERT_EQ(page->events.size(), 3u);
  EXPECT_FALSE(page->next_token);
  const StackEvent& e = page->events[1];
  EXPECT_EQ(e.event_id, "46d6");
  EXPECT_EQ(e.stack_id, kStackArn);
  EXPECT_EQ(e.stack_name, "probe");
  EXPECT_EQ(e.logical_id, "probe");
  EXPECT_EQ(e.physical_id, kStackArn);
  EXPECT_EQ(e.resource_type, "AWS::CloudFormation::Stack");
  EXPECT_EQ(e.status, "CREATE_IN_PROGRESS");
  EXPECT_EQ(e.reason, "User Initiated");
  EXPECT_EQ(epoch_s(e.timestamp), 1795725603);
  EXPECT_EQ(page->events[0].reason, "");
  EXPECT_EQ(epoch_s(page->events[2].timestamp), 1795725602);
}

TEST(CloudFormationDeploy, StackEventsStopAtTheLastSeenEventAcrossPages) {
  LoopbackServer server(testing::sequence({
      xml(200, events_page({event_xml("e5", "Service", "UPDATE_FAILED", "Circuit breaker &lt;tripped&gt;"),
                            event_xml("e4", "Service", "UPDATE_IN_PROGRESS", "")},
                           "tok2")),
      xml(200, events_page({event_xml("e3", "Api", "UPDATE_COMPLETE", ""),
                            event_xml("e2", "probe", "UPDATE_IN_PROGRESS", "User Initiated"),
                            event_xml("e1", "probe", "CREATE_COMPLETE", "")},
                           "tok3")),
      xml(200, events_page({event_xml("e0", "probe", "CREATE_IN_PROGRESS", "")})),
  }));
  Harness h(server);
  auto events = h.cfn->describe_stack_events("probe", "e2");
  ASSERT_TRUE(events) << events.error().to_text();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].event_id, "e5");
  EXPECT_EQ((*events)[0].reason, "Circuit breaker <tripped>");
  EXPECT_EQ((*events)[2].event_id, "e3");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);  // never asks for the page after the one holding e2
  EXPECT_EQ(reqs[0].body, "Action=DescribeStackEvents&Version=2010-05-15&StackName=probe");
  EXPECT_EQ(reqs[1].body, "Action=DescribeStackEvents&Version=2010-05-15&StackName=probe&NextToken=tok2");
}

TEST(CloudFormationDeploy, StackEventsReadAtMostMaxPages) {
  std::atomic<int> n{0};
  LoopbackServer server([&n](const testing::RecordedRequest&) {
    const int i = ++n;
    return xml(200, events_page({event_xml("e" + std::to_string(i), "probe", "UPDATE_IN_PROGRESS", "")},
                                "tok" + std::to_string(i)));
  });
  Harness h(server);
  auto one = h.cfn->describe_stack_events("probe");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1u);
  EXPECT_EQ(server.request_count(), 1u);

  server.clear_requests();
  auto unseen = h.cfn->describe_stack_events("probe", "never-seen", 3);
  ASSERT_TRUE(unseen);
  EXPECT_EQ(unseen->size(), 3u);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(CloudFormationDeploy, StackEventsOfMissingStackIsNotFound) {
  LoopbackServer server(testing::sequence({validation_error("Stack with id nostack does not exist")}));
  Harness h(server);
  auto events = h.cfn->describe_stack_events("nostack");
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(events.error().message, "Stack not found: nostack");
  EXPECT_EQ(detail(events.error(), "Region"), "us-east-1");
  EXPECT_EQ(detail(events.error(), "AWS said"), "Stack with id nostack does not exist");
}

// ---- GetTemplate -----------------------------------------------------------------------------------

TEST(CloudFormationDeploy, GetTemplateReturnsTheBodyUnescapedAndVerbatim) {
  // moto returns the submitted text as is (indentation kept), XML-escaped.
  const std::string reply =
      std::string("<GetTemplateResponse") + kNs +
      "><GetTemplateResult><TemplateBody>{\n \"Description\": \"a &amp; b &lt;c&gt;\",\n"
      " \"Resources\": {}\n}</TemplateBody></GetTemplateResult><ResponseMetadata>"
      "<RequestId>W</RequestId></ResponseMetadata></GetTemplateResponse>";
  LoopbackServer server(testing::sequence({xml(200, reply)}));
  Harness h(server);
  auto body = h.cfn->get_template("probe");
  ASSERT_TRUE(body) << body.error().to_text();
  EXPECT_EQ(*body, "{\n \"Description\": \"a & b <c>\",\n \"Resources\": {}\n}");
  EXPECT_EQ(server.requests()[0].body,
            "Action=GetTemplate&Version=2010-05-15&StackName=probe&TemplateStage=Original");
}

TEST(CloudFormationDeploy, GetTemplateJoinsTextAndCdata) {
  auto body = parse_get_template(
      "<GetTemplateResponse><GetTemplateResult><TemplateBody>a: 1\n<![CDATA[b: <x>]]>\nc: 2</TemplateBody>"
      "</GetTemplateResult></GetTemplateResponse>");
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "a: 1\nb: <x>\nc: 2");
}

// ---- Parsers on bad input --------------------------------------------------------------------------

TEST(CloudFormationDeploy, ParsersRejectBrokenRepliesWithoutQuotingThem) {
  const std::string secretish = "<NotTheRoot>SECRETVALUE</NotTheRoot>";
  EXPECT_EQ(parse_create_change_set(secretish).error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(parse_describe_change_set(secretish).error().to_text().find("SECRETVALUE"), std::string::npos);
  EXPECT_FALSE(parse_stack_events("<DescribeStackEventsResponse><DescribeStackEventsResult>"));
  EXPECT_FALSE(parse_get_template("<GetTemplateResponse><GetTemplateResult/></GetTemplateResponse>"));
  EXPECT_FALSE(parse_create_change_set(
      "<CreateChangeSetResponse><CreateChangeSetResult><Id></Id></CreateChangeSetResult>"
      "</CreateChangeSetResponse>"));
  EXPECT_FALSE(parse_stack_events(std::string(4 * 1024 * 1024 + 1, ' ')));

  auto long_token = parse_stack_events(events_page({}, std::string(1025, 't')));
  ASSERT_FALSE(long_token);
  EXPECT_EQ(long_token.error().code, core::ErrorCode::kRemote);

  // Oversized strings are clipped, not kept whole.
  auto clipped =
      parse_stack_events(events_page({event_xml("e1", "x", "CREATE_FAILED", std::string(10000, 'r'))}));
  ASSERT_TRUE(clipped);
  EXPECT_EQ(clipped->events[0].reason.size(), 4096u);

  auto untimed = parse_stack_events(events_page({event_xml("e1", "x", "CREATE_FAILED", "", "yesterday")}));
  ASSERT_TRUE(untimed);
  EXPECT_EQ(epoch_s(untimed->events[0].timestamp), 0);  // an unreadable time is the epoch, not an error
}

}  // namespace
}  // namespace bw::aws
