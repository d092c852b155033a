#include "aws/cloudformation_resources.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

TEST(CloudFormationResources, DescribeStackResourcesGivesPhysicalIdsAndTypes) {
  auto r = parse_describe_stack_resources(R"(<DescribeStackResourcesResponse
    xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStackResourcesResult><StackResources>
    <member><StackName>bw</StackName><LogicalResourceId>WorkQueue</LogicalResourceId>
      <PhysicalResourceId>https://sqs.us-east-1.amazonaws.com/123456789012/bw-h.fifo</PhysicalResourceId>
      <ResourceType>AWS::SQS::Queue</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>
    <member><LogicalResourceId>Service</LogicalResourceId>
      <ResourceType>AWS::ECS::Service</ResourceType><ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus></member>
    </StackResources></DescribeStackResourcesResult></DescribeStackResourcesResponse>)");
  ASSERT_TRUE(r) << r.error().to_text();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].logical_id, "WorkQueue");
  EXPECT_EQ((*r)[0].physical_id, "https://sqs.us-east-1.amazonaws.com/123456789012/bw-h.fifo");
  EXPECT_EQ((*r)[0].type, "AWS::SQS::Queue");
  EXPECT_EQ((*r)[1].physical_id, "");
  EXPECT_EQ((*r)[1].status, "CREATE_IN_PROGRESS");
}

TEST(CloudFormationResources, UnreadableRepliesAreRemoteErrors) {
  for (const char* bad : {"", "not xml", "<Other/>"}) {
    auto r = parse_describe_stack_resources(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  }
}

}  // namespace
}  // namespace bw::aws
