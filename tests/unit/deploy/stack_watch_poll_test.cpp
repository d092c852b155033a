// watch_stack's on_poll hook (deploy's ECS task watch) against a scripted CloudFormation on loopback.
#include <gtest/gtest.h>

#include <sstream>

#include "deploy/stack_watch.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::deploy {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::Reply;

Reply in_progress(const RecordedRequest& r) {
  if (r.body.find("Action=DescribeStackEvents") != std::string::npos) {
    return Reply::text(200,
                       "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents/>"
                       "</DescribeStackEventsResult></DescribeStackEventsResponse>")
        .with_header("Content-Type", "text/xml");
  }
  return Reply::text(200,
                     "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>bw</StackName>"
                     "<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/bw/1</StackId>"
                     "<StackStatus>CREATE_IN_PROGRESS</StackStatus></member></Stacks></DescribeStacksResult>"
                     "</DescribeStacksResponse>")
      .with_header("Content-Type", "text/xml");
}

TEST(StackWatch, AnErrorFromOnPollStopsTheWatchWhileTheStackIsStillSettling) {
  LoopbackServer server(in_progress);
  testing::AwsLoopback<aws::CloudFormation> aws(server, "AWS_ENDPOINT_URL_CLOUDFORMATION", "us-east-1");
  std::ostringstream out, err;
  Console console{out, err, {}, [](std::chrono::milliseconds) {}};
  WatchOptions options;
  int polls = 0;
  options.on_poll = [&]() -> core::Result<void> {
    if (++polls < 3) return {};
    return core::make_error(core::ErrorCode::kRemote, "3 tasks stopped with the same failure", "fix it");
  };
  auto result = watch_stack(aws.service, "bw", "", console, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "3 tasks stopped with the same failure");
  EXPECT_EQ(polls, 3);
}

}  // namespace
}  // namespace bw::deploy
