#include <gtest/gtest.h>

#include "aws/cloudformation.hpp"

namespace bw::aws {
namespace {

TEST(CloudFormationList, EveryStackOfThePageWithItsOutputsAndTheNextToken) {
  auto page = parse_describe_stacks_page(R"(<DescribeStacksResponse
      xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks>
    <member><StackName>a</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/a/1</StackId>
      <StackStatus>CREATE_COMPLETE</StackStatus>
      <Outputs><member><OutputKey>DeployedSettings</OutputKey><OutputValue>{"x":1}</OutputValue></member></Outputs>
    </member>
    <member><StackName>b</StackName><StackStatus>UPDATE_COMPLETE</StackStatus></member>
  </Stacks><NextToken>tok</NextToken></DescribeStacksResult></DescribeStacksResponse>)");
  ASSERT_TRUE(page) << page.error().to_text();
  ASSERT_EQ(page->stacks.size(), 2u);
  EXPECT_EQ(page->stacks[0].name, "a");
  EXPECT_EQ(page->stacks[0].output("DeployedSettings").value_or(""), "{\"x\":1}");
  EXPECT_EQ(page->stacks[1].status, "UPDATE_COMPLETE");
  EXPECT_EQ(page->next_token.value_or(""), "tok");

  auto last = parse_describe_stacks_page(
      "<DescribeStacksResponse><DescribeStacksResult><Stacks/></DescribeStacksResult></"
      "DescribeStacksResponse>");
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->stacks.empty());
  EXPECT_FALSE(last->next_token);
  EXPECT_FALSE(parse_describe_stacks_page("<Other/>"));
}

}  // namespace
}  // namespace bw::aws
