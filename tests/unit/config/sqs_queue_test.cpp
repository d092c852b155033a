#include "config/sqs_queue.hpp"

#include <gtest/gtest.h>

namespace bw::config {
namespace {

TEST(SqsQueueArn, DerivesTheAwsUrl) {
  auto q = parse_sqs_queue_arn("arn:aws:sqs:eu-central-1:123456789012:quilt-packager");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->url, "https://sqs.eu-central-1.amazonaws.com/123456789012/quilt-packager");
  EXPECT_EQ(q->arn, "arn:aws:sqs:eu-central-1:123456789012:quilt-packager");
}

TEST(SqsQueueArn, RejectsAnEmptyRegion) {
  EXPECT_FALSE(parse_sqs_queue_arn("arn:aws:sqs::123456789012:q").has_value());
}

TEST(SqsQueueUrl, AwsUrlGivesRegionAccountNameAndTheArn) {
  auto q =
      parse_sqs_queue_url("https://sqs.us-west-2.amazonaws.com/123456789012/quilt-packager", "eu-west-1");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->region, "us-west-2");  // the host's region wins over the stack's
  EXPECT_EQ(q->account, "123456789012");
  EXPECT_EQ(q->name, "quilt-packager");
  EXPECT_EQ(q->arn, "arn:aws:sqs:us-west-2:123456789012:quilt-packager");
  EXPECT_EQ(q->url, "https://sqs.us-west-2.amazonaws.com/123456789012/quilt-packager");
}

TEST(SqsQueueUrl, LegacyHostsNameTheirRegion) {
  auto legacy = parse_sqs_queue_url("https://ap-southeast-2.queue.amazonaws.com/123456789012/q.fifo", "");
  ASSERT_TRUE(legacy.has_value());
  EXPECT_EQ(legacy->arn, "arn:aws:sqs:ap-southeast-2:123456789012:q.fifo");
  auto east = parse_sqs_queue_url("https://queue.amazonaws.com/123456789012/q", "");
  ASSERT_TRUE(east.has_value());
  EXPECT_EQ(east->region, "us-east-1");
  auto localstack =
      parse_sqs_queue_url("http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/q", "");
  ASSERT_TRUE(localstack.has_value());
  EXPECT_EQ(localstack->region, "eu-west-1");
}

TEST(SqsQueueUrl, CustomEndpointTakesTheStacksRegionAndKeepsTheUrlAsGiven) {
  auto q = parse_sqs_queue_url("http://127.0.0.1:5123/123456789012/quilt-packager", "us-east-1");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->url, "http://127.0.0.1:5123/123456789012/quilt-packager");
  EXPECT_EQ(q->arn, "arn:aws:sqs:us-east-1:123456789012:quilt-packager");
  // "sqs.amazonaws.com" names no region: the label after sqs. must look like one.
  auto no_region = parse_sqs_queue_url("https://sqs.amazonaws.com/123456789012/q", "eu-north-1");
  ASSERT_TRUE(no_region.has_value());
  EXPECT_EQ(no_region->region, "eu-north-1");
}

TEST(SqsQueueUrl, UnrecoverableRegionAccountOrNameIsRejected) {
  for (const char* bad : {
           "http://127.0.0.1:5123/123456789012/q",  // no region anywhere
       }) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_sqs_queue_url(bad, "").has_value());
  }
  for (const char* bad : {
           "sqs.us-east-1.amazonaws.com/123456789012/q",                 // no scheme
           "ftp://sqs.us-east-1.amazonaws.com/123456789012/q",           // not http(s)
           "https://sqs.us-east-1.amazonaws.com/12345/q",                // account not 12 digits
           "https://sqs.us-east-1.amazonaws.com/123456789012/",          // no name
           "https://sqs.us-east-1.amazonaws.com/123456789012",           // no name
           "https://sqs.us-east-1.amazonaws.com/123456789012/a/b",       // extra segment
           "https://sqs.us-east-1.amazonaws.com/123456789012/q?x=1",     // query
           "https://sqs.us-east-1.amazonaws.com/123456789012/bad.name",  // not a queue name
           "https://sqs.us-east-1.amazonaws.com:/123456789012/q",        // empty port
           "https:///123456789012/q",                                    // no host
           "arn:aws:sqs:us-east-1:123456789012:q",                       // an ARN, not a URL
       }) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_sqs_queue_url(bad, "us-east-1").has_value());
  }
}

}  // namespace
}  // namespace bw::config

namespace bw::config {
namespace {

TEST(SqsQueue, UrlAndArnRoundTrip) {
  for (const char* arn :
       {"arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sqs:eu-central-2:000000000000:a_b-c.fifo",
        "arn:aws:sqs:us-gov-west-1:123456789012:"
        "x"}) {
    SCOPED_TRACE(arn);
    auto q = parse_sqs_queue_arn(arn);
    ASSERT_TRUE(q.has_value());
    auto back = parse_sqs_queue_url(q->url, "");
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->arn, arn);
    EXPECT_EQ(back->url, q->url);
  }
}

}  // namespace
}  // namespace bw::config
